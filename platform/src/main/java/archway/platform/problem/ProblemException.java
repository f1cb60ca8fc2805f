package archway.platform.problem;

import java.util.Map;

/**
 * A request that cannot be served, as the client should hear it. Handlers throw it; one
 * mapper per server turns it into a problem response. It is an expected outcome, not a
 * bug, so it carries no stack trace (cheap to throw under load).
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.status() + " " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public Problem problem() {
        return problem;
    }

    /** Response headers that belong with this problem, such as {@code WWW-Authenticate}. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, detail));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(401, detail), Map.of("WWW-Authenticate", "Bearer realm=\"archway\""));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, detail));
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(Problem.of(422, detail));
    }

    public static ProblemException unsupportedMediaType(String detail) {
        return new ProblemException(Problem.of(415, detail));
    }

    public static ProblemException contentTooLarge(String detail) {
        return new ProblemException(Problem.of(413, detail));
    }
}
