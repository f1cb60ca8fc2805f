package archway.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.gateway.limits.LimitPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsagePlansTest {

    private final UsagePlans plans = UsagePlans.defaults();

    @Test
    void findsTheDefaultPlansByName() {
        assertThat(plans.named("basic").limit()).isEqualTo(new LimitPolicy(10, 20, 10_000));
        assertThat(plans.named("partner").limit()).isEqualTo(new LimitPolicy(100, 200, 1_000_000));
        assertThat(plans.all()).containsExactly(UsagePlans.BASIC, UsagePlans.PARTNER);
    }

    @Test
    void namesTheKnownPlansWhenAskedForAnother() {
        assertThatThrownBy(() -> plans.named("gold")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown usage plan 'gold'; known plans: basic, partner");
        assertThatThrownBy(() -> plans.named(null)).hasMessage("unknown usage plan (none given); known plans: basic, partner");
    }

    @Test
    void refusesAPlanDefinedTwice() {
        assertThatThrownBy(() -> new UsagePlans(List.of(UsagePlans.BASIC, UsagePlans.BASIC)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("usage plan basic is defined twice");
    }
}
