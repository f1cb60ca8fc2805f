package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Variants of one URL (RFC 9111, section 4.1). */
class EdgeVaryTest extends EdgeCacheCase {

    private static final String PATH = "/api/v1/t/item";

    private void varyOn(String vary) {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=60").header("Vary", vary)
                .result("call " + call + " in " + ctx.header("Accept-Language")));
    }

    @Test
    void twoVariantsOfOneUrlAreStoredSideBySide() {
        varyOn("Accept-Language");
        get(PATH, "Accept-Language", "en");
        get(PATH, "Accept-Language", "de");

        HttpResponse<String> en = get(PATH, "Accept-Language", "en");
        HttpResponse<String> de = get(PATH, "Accept-Language", "de");

        assertThat(cacheOf(en)).isEqualTo("HIT");
        assertThat(en.body()).isEqualTo("call 1 in en");
        assertThat(cacheOf(de)).isEqualTo("HIT");
        assertThat(de.body()).isEqualTo("call 2 in de");
        assertThat(gauge("edge.cache.entries")).isEqualTo(2);
    }

    @Test
    void valuesThatMeanTheSameSelectTheSameVariant() {
        varyOn("accept-language");
        get(PATH, "Accept-Language", "en, de");

        assertThat(cacheOf(get(PATH, "Accept-Language", "en,de"))).isEqualTo("HIT");
        assertThat(cacheOf(get(PATH, "Accept-Language", "en,   de"))).isEqualTo("HIT");
        assertThat(cacheOf(get(PATH, "Accept-Language", "de, en"))).as("another order may mean another thing").isEqualTo("MISS");
    }

    @Test
    void browsersWithDifferentAcceptEncodingShareTheGzipVariant() {
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=60").header("Vary", "Accept-Encoding");
            if (String.valueOf(ctx.header("Accept-Encoding")).contains("gzip")) {
                ctx.header("Content-Encoding", "gzip").result("gzipped " + call);
            } else {
                ctx.result("plain " + call);
            }
        });
        get(PATH, "Accept-Encoding", "gzip, deflate, br, zstd");

        HttpResponse<String> firefox = get(PATH, "Accept-Encoding", "gzip, deflate");
        HttpResponse<String> none = get(PATH);
        HttpResponse<String> refusing = get(PATH, "Accept-Encoding", "gzip;q=0, identity");

        assertThat(cacheOf(firefox)).isEqualTo("HIT");
        assertThat(header(firefox, "Content-Encoding")).isEqualTo("gzip");
        assertThat(cacheOf(none)).isEqualTo("MISS");
        assertThat(none.body()).isEqualTo("plain 2");
        assertThat(cacheOf(refusing)).isEqualTo("HIT");
        assertThat(refusing.body()).isEqualTo("plain 2");
    }

    @Test
    void varyStarIsNeverServedFromStorage() {
        varyOn("*");
        get(PATH);
        assertThat(cacheOf(get(PATH))).isEqualTo("MISS");
        assertThat(origin.callsTo(PATH)).isEqualTo(2);
    }
}
