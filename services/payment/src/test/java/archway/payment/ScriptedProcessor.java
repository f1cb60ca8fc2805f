package archway.payment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A card processor that answers each charge call as the test scripted it, in order, and
 * records the calls. The real provider is tested behind {@link ProviderClient} on its own.
 */
final class ScriptedProcessor implements CardProcessor {

    /** One charge call as the payment worker made it. */
    record Call(ChargeRequest request, String idempotencyKey, Map<String, String> context) {
    }

    private final Deque<Function<Call, Charge>> answers = new ArrayDeque<>();
    private final List<Call> calls = new ArrayList<>();

    synchronized ScriptedProcessor approves() {
        answers.add(call -> charge(call, true, null));
        return this;
    }

    synchronized ScriptedProcessor declines(String declineCode) {
        answers.add(call -> charge(call, false, declineCode));
        return this;
    }

    synchronized ScriptedProcessor isUnavailable() {
        answers.add(call -> {
            throw new ProcessorUnavailableException("the processor timed out (scripted)", null);
        });
        return this;
    }

    synchronized ScriptedProcessor refuses() {
        answers.add(call -> {
            throw new ChargeRefusedException("the processor refused key " + call.idempotencyKey() + " (scripted)");
        });
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public synchronized Charge charge(ChargeRequest request, String idempotencyKey, Map<String, String> context) {
        Call call = new Call(request, idempotencyKey, Map.copyOf(context));
        calls.add(call);
        Function<Call, Charge> answer = answers.poll();
        if (answer == null) {
            throw new AssertionError("charge call " + calls.size() + " was not expected: " + call);
        }
        return answer.apply(call);
    }

    /** The processor's charge for a call: one id per idempotency key, as a real processor keeps it. */
    private static Charge charge(Call call, boolean approved, String declineCode) {
        return new Charge("ch_" + call.idempotencyKey(), approved, call.request().amount(), call.request().currency(), declineCode);
    }
}
