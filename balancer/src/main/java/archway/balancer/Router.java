package archway.balancer;

import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.tier.Upstreams;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;

/**
 * The balancer's {@link Upstreams}: finds the pool of a request by its {@link Route}s (most
 * specific first) and lets that pool pick; the pool is kept on the request, so the end of
 * each attempt goes to the pool that picked it.
 */
final class Router implements Upstreams {

    private static final String POOL = "archway.balancer.pool";

    private record Target(Route route, Pool pool) {
    }

    private final Target[] targets;
    private final List<Pool> pools;

    Router(List<Route> routes, Map<String, Pool> pools) {
        this.targets = routes.stream()
                .sorted(Comparator.comparingLong(Route::specificity).reversed())
                .map(route -> new Target(route, pools.get(route.pool())))
                .toArray(Target[]::new);
        this.pools = List.copyOf(pools.values());
    }

    @Override
    public URI pick(Request request, URI failed) {
        Pool pool = failed == null ? route(request) : (Pool) request.getAttribute(POOL);
        request.setAttribute(POOL, pool);
        return pool.pick(request, failed);
    }

    @Override
    public void answered(Request request, URI upstream, int status, long nanos) {
        if (request.getAttribute(POOL) instanceof Pool pool) {
            pool.answered(request, upstream, status, nanos);
        }
    }

    @Override
    public void failed(Request request, URI upstream, Throwable failure, long nanos) {
        if (request.getAttribute(POOL) instanceof Pool pool) {
            pool.failed(request, upstream, failure, nanos);
        }
    }

    /** Ready when every pool has an instance up. */
    boolean ready() {
        for (Pool pool : pools) {
            if (!pool.hasUp()) {
                return false;
            }
        }
        return true;
    }

    private Pool route(Request request) {
        String host = Request.getServerName(request);
        String path = Request.getPathInContext(request);
        for (Target target : targets) {
            if (target.route().matches(host, path)) {
                return target.pool();
            }
        }
        throw new ProblemException(Problem.of(404, "no pool of this balancer serves this host and path"));
    }
}
