package archway.gateway.keys;

import archway.gateway.limits.LimitPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The usage plans an operator may issue keys on, by name. */
public final class UsagePlans {

    /** For a small integration: 10 requests per second, bursts of 20, 10 000 a day. */
    public static final UsagePlan BASIC = new UsagePlan("basic", new LimitPolicy(10, 20, 10_000));
    /** For a partner's backend: 100 requests per second, bursts of 200, a million a day. */
    public static final UsagePlan PARTNER = new UsagePlan("partner", new LimitPolicy(100, 200, 1_000_000));

    private final Map<String, UsagePlan> byName = new LinkedHashMap<>();

    public UsagePlans(List<UsagePlan> plans) {
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("usage plans need at least one plan");
        }
        for (UsagePlan plan : plans) {
            if (byName.putIfAbsent(plan.name(), plan) != null) {
                throw new IllegalArgumentException("usage plan " + plan.name() + " is defined twice");
            }
        }
    }

    /** {@link #BASIC} and {@link #PARTNER}. */
    public static UsagePlans defaults() {
        return new UsagePlans(List.of(BASIC, PARTNER));
    }

    /** The plan called {@code name}; {@link IllegalArgumentException} naming the known plans when there is none. */
    public UsagePlan named(String name) {
        UsagePlan plan = name == null ? null : byName.get(name);
        if (plan == null) {
            throw new IllegalArgumentException("unknown usage plan " + (name == null ? "(none given)" : "'" + name + "'")
                    + "; known plans: " + String.join(", ", byName.keySet()));
        }
        return plan;
    }

    /** Every plan, in the order given. */
    public List<UsagePlan> all() {
        return List.copyOf(byName.values());
    }
}
