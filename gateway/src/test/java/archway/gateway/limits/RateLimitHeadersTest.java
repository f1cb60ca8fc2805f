package archway.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.platform.problem.ProblemException;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static final LimitPolicy BASIC = new LimitPolicy(10, 20, 10_000);

    @Test
    void tellsAnAllowedCallerItsLimitWithoutRetryAfter() {
        HttpFields.Mutable headers = HttpFields.build();

        RateLimitHeaders.write(headers, new RateDecision(true, 20, 19, 1, 0));

        assertThat(headers.get("RateLimit-Limit")).isEqualTo("20");
        assertThat(headers.get("RateLimit-Remaining")).isEqualTo("19");
        assertThat(headers.get("RateLimit-Reset")).isEqualTo("1");
        assertThat(headers.get("Retry-After")).isNull();
    }

    @Test
    void tellsARefusedCallerWhenToRetry() {
        HttpFields.Mutable headers = HttpFields.build();

        RateLimitHeaders.write(headers, new RateDecision(false, 20, 0, 2, 1));

        assertThat(headers.get("RateLimit-Remaining")).isEqualTo("0");
        assertThat(headers.get("Retry-After")).isEqualTo("1");
    }

    @Test
    void answersARefusedRateWith429NamingTheRate() {
        ProblemException problem = RateLimitHeaders.tooManyRequests(new RateDecision(false, 20, 0, 2, 1), BASIC,
                "this client address");

        assertThat(problem.problem().status()).isEqualTo(429);
        assertThat(problem.problem().detail())
                .isEqualTo("rate limit of 10 requests per second (bursts of 20) for this client address exceeded; retry in 1 s");
        assertThat(problem.headers()).containsEntry("Retry-After", "1").containsEntry("RateLimit-Limit", "20")
                .containsEntry("RateLimit-Remaining", "0").containsEntry("RateLimit-Reset", "2");
    }

    @Test
    void answersAUsedUpQuotaWith429NamingTheQuota() {
        ProblemException problem = RateLimitHeaders.tooManyRequests(new RateDecision(false, 10_000, 0, 3600, 3600), BASIC,
                "API key ak_3kTq9ZbW1xYc");

        assertThat(problem.problem().detail())
                .isEqualTo("daily quota of 10000 requests for API key ak_3kTq9ZbW1xYc used up; it resets at 00:00 UTC");
        assertThat(problem.headers()).containsEntry("Retry-After", "3600");
    }

    @Test
    void refusesToMakeAProblemOfAnAllowedRequest() {
        assertThatThrownBy(() -> RateLimitHeaders.tooManyRequests(new RateDecision(true, 20, 19, 1, 0), BASIC, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
