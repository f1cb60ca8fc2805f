package archway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.platform.problem.ProblemException;
import org.junit.jupiter.api.Test;

class ProductQueryTest {

    @Test
    void defaultsToTheFirstPageOfTwenty() {
        assertThat(ProductQuery.parse(null, null, null, null)).isEqualTo(new ProductQuery(null, null, 1, 20));
        assertThat(ProductQuery.parse("", " ", "", "")).isEqualTo(ProductQuery.all());
    }

    @Test
    void makesEqualQueriesEqualSoTheyShareACacheEntry() {
        assertThat(ProductQuery.parse("  walnut ", "Books", "2", "10")).isEqualTo(ProductQuery.parse("walnut", "Books", "2", "10"));
    }

    @Test
    void rejectsPagingOutsideItsRangeAsABadRequest() {
        for (String[] bad : new String[][] {{"0", "20"}, {"abc", "20"}, {"-1", "20"}, {"1", "101"}, {"1", "0"}, {"9999999999", "20"}}) {
            assertThatThrownBy(() -> ProductQuery.parse(null, null, bad[0], bad[1]))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
        }
    }

    @Test
    void countsTheProductsOnEarlierPages() {
        assertThat(new ProductQuery(null, null, 3, 25).offset()).isEqualTo(50);
        assertThat(new ProductQuery(null, null, ProductQuery.MAX_PAGE, ProductQuery.MAX_SIZE).offset()).isEqualTo(9_999_900L);
    }
}
