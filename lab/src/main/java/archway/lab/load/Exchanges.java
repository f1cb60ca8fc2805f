package archway.lab.load;

import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;

/** Sends a request without blocking and hands its outcome, with the body if asked for, to one callback. */
final class Exchanges {

    /** What any answer of the load's endpoints fits in; a longer one fails the exchange. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    private static final byte[] NO_BODY = new byte[0];

    /** Receives the outcome of one exchange, on a client thread. */
    @FunctionalInterface
    interface Outcome {
        void completed(Result result, byte[] body);
    }

    private Exchanges() {
    }

    static void send(Request request, boolean readBody, Outcome outcome) {
        if (readBody) {
            request.send(new Buffered(outcome));
        } else {
            // without a content listener the client drops the body as it arrives: no copy, no garbage
            request.send(result -> outcome.completed(result, NO_BODY));
        }
    }

    private static final class Buffered extends BufferingResponseListener {

        private final Outcome outcome;

        Buffered(Outcome outcome) {
            super(MAX_BODY_BYTES);
            this.outcome = outcome;
        }

        @Override
        public void onComplete(Result result) {
            outcome.completed(result, result.isSucceeded() ? getContent() : NO_BODY);
        }
    }
}
