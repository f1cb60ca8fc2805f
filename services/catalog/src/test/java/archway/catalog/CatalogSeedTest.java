package archway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import archway.catalog.CatalogFixture.Instance;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogSeedTest {

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static CatalogFixture fixture;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        fixture = new CatalogFixture(postgres, folder);
    }

    @AfterAll
    static void stop() {
        fixture.close();
        postgres.close();
    }

    @Test
    void fillsAnEmptyCatalogWithTenThousandProductsInTwentyCategoriesOnce() {
        Instance instance = fixture.instance("once_", "once-images");

        SeedReport first = instance.catalog().seedIfEmpty();
        SeedReport second = instance.catalog().seedIfEmpty();

        System.out.println("seeding 10,000 products and images took " + first.took().toMillis() + " ms");
        assertThat(first.productsAdded()).isEqualTo(10_000);
        assertThat(first.imagesWritten()).isEqualTo(10_000);
        assertThat(second.productsAdded()).isZero();
        assertThat(second.imagesWritten()).isZero();
        assertThat(instance.catalog().products(ProductQuery.all()).total()).isEqualTo(10_000);
        List<Category> categories = instance.catalog().categories();
        assertThat(categories).hasSize(20);
        assertThat(categories).allSatisfy(category -> assertThat(category.productCount()).isBetween(350L, 650L));
        assertThat(categories.stream().mapToLong(Category::productCount).sum()).isEqualTo(10_000);
    }

    @Test
    void generatesTheSameCatalogInTwoFreshDatabases() {
        Instance one = fixture.instance("det_a_", "det-a-images");
        Instance two = fixture.instance("det_b_", "det-b-images");
        one.catalog().seedIfEmpty();
        two.catalog().seedIfEmpty();

        ProductQuery firstHundred = new ProductQuery(null, null, 1, 100);
        ProductQuery lastPage = new ProductQuery(null, null, 100, 100);
        assertThat(one.catalog().products(firstHundred)).isEqualTo(two.catalog().products(firstHundred));
        assertThat(one.catalog().products(lastPage)).isEqualTo(two.catalog().products(lastPage));
        assertThat(one.catalog().image(1).bytes()).isEqualTo(two.catalog().image(1).bytes());
        assertThat(one.catalog().image(10_000).bytes()).isEqualTo(two.catalog().image(10_000).bytes());
    }

    @Test
    void seedsOnceWhenTwoInstancesStartTogether() throws Exception {
        Instance one = fixture.instance("race_", "race-images");
        Instance two = fixture.instance("race_", "race-images");
        CountDownLatch go = new CountDownLatch(1);

        CompletableFuture<SeedReport> first = CompletableFuture.supplyAsync(() -> seedAfter(go, one));
        CompletableFuture<SeedReport> second = CompletableFuture.supplyAsync(() -> seedAfter(go, two));
        go.countDown();

        int added = first.get(60, TimeUnit.SECONDS).productsAdded() + second.get(60, TimeUnit.SECONDS).productsAdded();
        assertThat(added).isEqualTo(10_000);
        assertThat(two.catalog().products(ProductQuery.all()).total()).isEqualTo(10_000);
    }

    @Test
    void writesTheImagesAgainWhenObjectStorageLostThem() throws Exception {
        Instance before = fixture.instance("lost_", "lost-images");
        before.catalog().seedIfEmpty();
        Files.delete(before.images().resolve("images/products/1.svg"));

        SeedReport again = fixture.instance("lost_", "lost-images").catalog().seedIfEmpty();

        assertThat(again.productsAdded()).isZero();
        assertThat(again.imagesWritten()).isEqualTo(10_000);
        assertThat(before.catalog().image(1).contentType()).isEqualTo("image/svg+xml");
    }

    private static SeedReport seedAfter(CountDownLatch go, Instance instance) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return instance.catalog().seedIfEmpty();
    }
}
