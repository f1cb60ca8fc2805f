package archway.gateway;

import archway.gateway.GatewayConfig.BreakerSettings;
import archway.gateway.GatewayConfig.Route;
import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.tier.Upstreams;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;

/**
 * Each route's upstream, behind the route's circuit breaker (Resilience4j).
 *
 * <p>{@link #pick} asks the breaker for permission: while it is open the request is
 * refused at once with a {@code 503} problem whose {@code Retry-After} is the time until it
 * half-opens, and the failing upstream is not called. Every permitted call ends in exactly
 * one {@link #answered} or {@link #failed} (the {@link Upstreams} contract): an answer
 * below {@code 500} is a success, a {@code 5xx}, a timeout or an unreachable upstream an
 * error. Breaker states are in {@code gateway.circuit.state} (0 closed, 1 half-open,
 * 2 open), by route.
 */
final class RouteUpstreams implements Upstreams {

    /** A {@code 5xx} answer, recorded as the breaker's error; expected, so without a stack trace. */
    private static final Exception SERVER_ERROR = new Exception("the upstream answered 5xx", null, false, false) {
    };

    private final Map<String, Breaker> breakers = new HashMap<>();
    private final Clock clock;
    private final Counter refused;

    RouteUpstreams(List<Route> routes, Clock clock, MeterRegistry registry) {
        this.clock = clock;
        this.refused = Routing.rejections(registry, "circuit_open");
        for (Route route : routes) {
            Breaker breaker = new Breaker(route, clock);
            breakers.put(route.name(), breaker);
            Gauge.builder("gateway.circuit.state", breaker, Breaker::stateValue).tag("route", route.name())
                    .description("the route's circuit: 0 closed, 1 half-open, 2 open").register(registry);
        }
    }

    @Override
    public URI pick(Request request, URI failed) {
        if (failed != null) {
            return null;
        }
        Route route = Routing.route(request);
        Breaker breaker = breakers.get(route.name());
        if (!breaker.circuit.tryAcquirePermission()) {
            refused.increment();
            long retryAfter = breaker.secondsUntilHalfOpen(clock.instant());
            throw new ProblemException(Problem.of(503, "the " + route.name() + " upstream is failing; its circuit is open"),
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
        return route.upstream();
    }

    @Override
    public void answered(Request request, URI upstream, int status, long nanos) {
        CircuitBreaker circuit = breakers.get(Routing.route(request).name()).circuit;
        if (status >= 500) {
            circuit.onError(nanos, TimeUnit.NANOSECONDS, SERVER_ERROR);
        } else {
            circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void failed(Request request, URI upstream, Throwable failure, long nanos) {
        breakers.get(Routing.route(request).name()).circuit.onError(nanos, TimeUnit.NANOSECONDS, failure);
    }

    /** One route's circuit breaker, and when it last opened. */
    private static final class Breaker {
        private final CircuitBreaker circuit;
        private final Duration open;
        private volatile Instant openedAt = Instant.EPOCH;

        Breaker(Route route, Clock clock) {
            BreakerSettings settings = route.circuitBreaker();
            this.open = settings.open();
            this.circuit = CircuitBreaker.of(route.name(), CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(settings.windowCalls())
                    .minimumNumberOfCalls(settings.minimumCalls())
                    .failureRateThreshold(settings.failureRatePercent())
                    .waitDurationInOpenState(settings.open())
                    .permittedNumberOfCallsInHalfOpenState(BreakerSettings.HALF_OPEN_CALLS)
                    .clock(clock)
                    .build());
            circuit.getEventPublisher().onStateTransition(event -> {
                if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt = clock.instant();
                }
            });
        }

        long secondsUntilHalfOpen(Instant now) {
            long millis = Duration.between(now, openedAt.plus(open)).toMillis();
            return Math.max(1, (millis + 999) / 1000);
        }

        double stateValue() {
            return switch (circuit.getState()) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                default -> 2;
            };
        }
    }
}
