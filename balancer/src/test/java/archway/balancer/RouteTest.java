package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {

    private static String poolFor(List<Route> routes, String host, String path) {
        return routes.stream().sorted(Comparator.comparingLong(Route::specificity).reversed())
                .filter(route -> route.matches(host, path)).map(Route::pool).findFirst().orElse(null);
    }

    @Test
    void matchesHostsExactlyOrByWildcardIgnoringCase() {
        Route exact = new Route("Shop.Example.com", "/", "shop");
        Route wildcard = new Route("*.example.com", "/", "any");

        assertThat(exact.matches("shop.example.COM", "/x")).isTrue();
        assertThat(exact.matches("shop.example.org", "/x")).isFalse();
        assertThat(wildcard.matches("a.b.example.com", "/")).isTrue();
        assertThat(wildcard.matches("example.com", "/")).isFalse();
        assertThat(wildcard.matches("badexample.com", "/")).isFalse();
        assertThat(wildcard.matches(null, "/")).isFalse();
    }

    @Test
    void matchesPathPrefixesByWholeSegments() {
        Route api = Route.path("/api", "api");

        assertThat(api.matches("h", "/api")).isTrue();
        assertThat(api.matches("h", "/api/v1/orders")).isTrue();
        assertThat(api.matches("h", "/apis")).isFalse();
        assertThat(Route.path("/api/", "api").matches("h", "/api/v1")).isTrue();
        assertThat(Route.all("web").matches("h", "/anything")).isTrue();
    }

    @Test
    void theMostSpecificRouteWins() {
        List<Route> routes = List.of(Route.all("web"), Route.path("/api", "api"), new Route("*.example.com", "/", "tenant"),
                new Route("admin.example.com", "/", "admin"), new Route("*.eu.example.com", "/", "eu"));

        assertThat(poolFor(routes, "other.org", "/api/v1")).isEqualTo("api");
        assertThat(poolFor(routes, "other.org", "/home")).isEqualTo("web");
        assertThat(poolFor(routes, "a.example.com", "/api")).isEqualTo("tenant");
        assertThat(poolFor(routes, "a.eu.example.com", "/")).isEqualTo("eu");
        assertThat(poolFor(routes, "ADMIN.example.com", "/api")).isEqualTo("admin");
        assertThat(poolFor(List.of(Route.path("/api", "api")), "h", "/web")).isNull();
    }
}
