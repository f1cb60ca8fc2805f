package archway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rate limits by route and caller, client addresses behind trusted proxies, and API keys. */
class GatewayLimitsTest extends GatewayHarness {

    private static final String STRICT = """
            [{"name": "strict", "path": "/api/", "upstream": "app",
              "rate_limit": {"per_address": {"per_second": 2, "burst": 2}, "per_user": {"per_second": 3, "burst": 3}}}]""";

    @Test
    void refusesTheCallerOverItsLimitWithRetryAfterAndSaysWhatIsLeft() throws Exception {
        start(table(STRICT));

        HttpResponse<String> first = get("/api/v1/products/1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("2");
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue("1");
        assertThat(first.headers().firstValue("RateLimit-Reset")).hasValue("1");
        assertThat(get("/api/v1/products/1").headers().firstValue("RateLimit-Remaining")).hasValue("0");

        HttpResponse<String> refused = get("/api/v1/products/1");
        assertProblem(refused, 429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(CountingLimiter.RETRY_AFTER_SECONDS));
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(service.calls.get()).isEqualTo(2);
        assertThat(metrics()).containsPattern("gateway_rejections_total\\{.*reason=\"rate_limited\".*} 1\\.0");
    }

    @Test
    void givesEachUserTheirOwnBucketApartFromTheirAddress() throws Exception {
        start(table(STRICT));
        get("/api/v1/products/1");
        get("/api/v1/products/1");
        assertProblem(get("/api/v1/products/1"), 429);

        HttpResponse<String> asUser = get("/api/v1/products/1", "Authorization", bearer(USER));

        assertThat(asUser.statusCode()).isEqualTo(200);
        assertThat(asUser.headers().firstValue("RateLimit-Limit")).hasValue("3");
        assertThat(limiter.lastKey()).isEqualTo("strict|user:user-1");
    }

    @Test
    void believesTheForwardedAddressOnlyFromATrustedProxy() throws Exception {
        start(table(STRICT).withTrustedProxies(List.of("127.0.0.1")));

        get("/api/v1/products/1", "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
        assertThat(limiter.lastKey()).isEqualTo("strict|addr:203.0.113.7");
        get("/api/v1/products/1", "X-Forwarded-For", "203.0.113.8, 127.0.0.1");
        assertThat(limiter.lastKey()).isEqualTo("strict|addr:203.0.113.8");
        get("/api/v1/products/1");
        assertThat(limiter.lastKey()).isEqualTo("strict|addr:127.0.0.1");
    }

    @Test
    void ignoresTheForwardedAddressFromAnUntrustedPeer() throws Exception {
        start(table(STRICT).withTrustedProxies(List.of()));

        get("/api/v1/products/1", "X-Forwarded-For", "203.0.113.7");

        assertThat(limiter.lastKey()).isEqualTo("strict|addr:127.0.0.1");
    }

    @Test
    void limitsAnApiKeyByItsPlanAndHidesTheSecretFromTheService() throws Exception {
        start(table(STRICT));

        HttpResponse<String> response = get("/api/v1/products/1", "X-Api-Key", KEY_SECRET);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(limiter.lastKey()).isEqualTo("strict|key:feed");
        assertThat(response.headers().firstValue("RateLimit-Limit")).hasValue(Long.toString(KEY.plan().limit().burst()));
        assertThat(service.lastHeaders).doesNotContainKey("x-api-key");
    }

    @Test
    void refusesAnUnknownApiKeyEvenOnAPublicRoute() throws Exception {
        start();

        HttpResponse<String> response = get("/api/v1/products/1", "X-Api-Key", "ak_nobody_guess");

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey realm=\"archway\"");
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void anApiKeyIsNotAUser() throws Exception {
        start();

        HttpResponse<String> response = get("/api/v1/users/me", "X-Api-Key", KEY_SECRET);

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(get("/api/v1/users/me", "X-Api-Key", KEY_SECRET, "Authorization", bearer(USER)).statusCode()).isEqualTo(200);
        assertThat(limiter.lastKey()).isEqualTo("users|key:feed");
    }

    @Test
    void signInIsStrictPerAddressAndGeneralRoutesAreGenerous() throws Exception {
        start();

        assertThat(send("POST", "/api/v1/auth/token").headers().firstValue("RateLimit-Limit")).hasValue("30");
        assertThat(get("/api/v1/products/1").headers().firstValue("RateLimit-Limit")).hasValue("10000");
    }
}
