package archway.launcher.ops;

import archway.gateway.keys.ApiKey;
import archway.gateway.keys.IssuedApiKey;
import archway.gateway.keys.UsagePlan;
import java.time.Instant;
import java.util.List;

/** The gateway's API keys as the operations entry shows them: never a secret, except once at issue. */
final class ApiKeyViews {

    private ApiKeyViews() {
    }

    /** The body of {@code POST /api-keys}. */
    record Request(String client, String plan) {
    }

    record Plan(String name, long perSecond, long burst, long dailyQuota) {
        static Plan of(UsagePlan plan) {
            return new Plan(plan.name(), plan.limit().perSecond(), plan.limit().burst(), plan.limit().dailyQuota());
        }
    }

    record Key(String id, String client, Plan plan, Instant createdAt, Instant revokedAt) {
        static Key of(ApiKey key) {
            return new Key(key.id(), key.client(), Plan.of(key.plan()), key.createdAt(), key.revokedAt().orElse(null));
        }
    }

    /** An issued key with its secret, shown this once. */
    record Issued(String id, String client, Plan plan, Instant createdAt, String secret) {
        static Issued of(IssuedApiKey issued) {
            ApiKey key = issued.key();
            return new Issued(key.id(), key.client(), Plan.of(key.plan()), key.createdAt(), issued.secret());
        }
    }

    record Keys(List<Key> items, List<Plan> plans) {
    }
}
