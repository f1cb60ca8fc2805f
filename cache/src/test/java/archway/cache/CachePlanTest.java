package archway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachePlanTest {

    @Test
    void givesEachDataTypeTheStrategyItIsBuiltFor() {
        CachePlan plan = CachePlan.defaults();

        assertThat(plan.entry(CachePlan.PRODUCTS).strategy()).isEqualTo(CachePlan.Strategy.CACHE_ASIDE);
        assertThat(plan.entry(CachePlan.PAGES).strategy()).isEqualTo(CachePlan.Strategy.CACHE_ASIDE);
        assertThat(plan.entry(CachePlan.CATEGORIES).strategy()).isEqualTo(CachePlan.Strategy.CACHE_ASIDE);
        assertThat(plan.entry(CachePlan.STOCK).strategy()).isEqualTo(CachePlan.Strategy.WRITE_THROUGH);
        assertThat(plan.entry(CachePlan.VIEWS).strategy()).isEqualTo(CachePlan.Strategy.WRITE_BEHIND);
        assertThat(plan.entry(CachePlan.VIEWS).flushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(plan.spec(CachePlan.PRODUCTS).enabled()).isTrue();
    }

    @Test
    void appliesSettingsInOrder() {
        CachePlan plan = CachePlan.parse(List.of("catalog.products=off", "catalog.views.flush=500ms",
                "catalog.pages.ttl=2m", "catalog.pages.size=10", "catalog.products.negative-ttl=1s", "inventory.stock.refresh=0.5"));

        assertThat(plan.spec(CachePlan.PRODUCTS).enabled()).isFalse();
        assertThat(plan.spec(CachePlan.PRODUCTS).negativeTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(plan.entry(CachePlan.VIEWS).flushInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(plan.spec(CachePlan.PAGES).ttl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(plan.spec(CachePlan.PAGES).maxEntries()).isEqualTo(10);
        assertThat(plan.spec(CachePlan.STOCK).refreshAhead()).isEqualTo(0.5);
        assertThat(plan.settings()).hasSize(6);
    }

    @Test
    void refusesWhatItDoesNotKnowNamingTheSetting() {
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.prices=off"))).hasMessageContaining("catalog.prices")
                .hasMessageContaining("known: catalog.products");
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.products=sometimes"))).hasMessageContaining("sometimes")
                .hasMessageContaining("cache-aside");
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.products=write-behind")))
                .hasMessageContaining("cache-aside or off");
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.views.flush=soon"))).hasMessageContaining("duration");
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.products.flush=1s"))).hasMessageContaining("flush");
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.products.colour=red"))).hasMessageContaining("colour");
        assertThatThrownBy(() -> CachePlan.parse(List.of("products"))).hasMessageContaining("TYPE=STRATEGY");
        assertThatThrownBy(() -> CachePlan.parse(List.of("catalog.pages.size=lots"))).hasMessageContaining("catalog.pages.size=lots");
    }
}
