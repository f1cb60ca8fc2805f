package archway.platform.tier.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.Test;

class CacheControlTest {

    private static CacheControl parse(String... directives) {
        return CacheControl.parse(List.of(directives));
    }

    private static long lifetime(String cacheControl, String... headers) {
        HttpFields.Mutable fields = HttpFields.build().put(HttpHeader.DATE, "Tue, 01 Dec 2026 10:00:00 GMT");
        if (cacheControl != null) {
            fields.put(HttpHeader.CACHE_CONTROL, cacheControl);
        }
        for (int i = 0; i < headers.length; i += 2) {
            fields.put(headers[i], headers[i + 1]);
        }
        return CachedResponse.lifetimeSeconds(200, fields, CacheControl.of(fields), 1_796_119_200_000L);
    }

    @Test
    void aSharedCacheTakesSMaxAgeOverMaxAgeOverExpires() {
        assertThat(lifetime("public, max-age=60", "Expires", "Tue, 01 Dec 2026 11:00:00 GMT")).isEqualTo(60);
        assertThat(lifetime("max-age=0, s-maxage=30")).isEqualTo(30);
        assertThat(lifetime("s-maxage=\"15\"")).isEqualTo(15);
        assertThat(lifetime(null, "Expires", "Tue, 01 Dec 2026 10:05:00 GMT")).isEqualTo(300);
        assertThat(lifetime(null, "Expires", "0")).as("an invalid Expires is in the past").isZero();
    }

    @Test
    void withoutAnExplicitLifetimeATenthOfTheTimeSinceLastModifiedAtMostADay() {
        assertThat(lifetime(null, "Last-Modified", "Tue, 01 Dec 2026 09:00:00 GMT")).isEqualTo(360);
        assertThat(lifetime(null, "Last-Modified", "Tue, 01 Dec 2025 09:00:00 GMT")).isEqualTo(86_400);
        assertThat(lifetime(null)).isZero();
    }

    @Test
    void conflictsAndMalformedValuesAreReadTheMostRestrictiveWay() {
        assertThat(parse("max-age=60", "max-age=10").maxAge()).isEqualTo(10);
        assertThat(parse("max-age=soon").maxAge()).isZero();
        assertThat(parse("max-age=-5").maxAge()).isZero();
        assertThat(parse("max-age=1.5").maxAge()).isZero();
        assertThat(parse("stale-while-revalidate=x").staleWhileRevalidate()).isZero();
        assertThat(parse("max-age=99999999999999999999").maxAge()).isEqualTo(2_147_483_648L);
        assertThat(parse("NO-STORE").noStore()).isTrue();
        assertThat(parse("private=\"Set-Cookie\"").isPrivate()).isTrue();
        assertThat(parse("max-stale").maxStale()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sMaxAgeAndMustRevalidateForbidStaleUseAndAllowAuthorizedStorage() {
        assertThat(parse("s-maxage=10").forbidsStale()).isTrue();
        assertThat(parse("proxy-revalidate").forbidsStale()).isTrue();
        assertThat(parse("max-age=10, stale-if-error=60").forbidsStale()).isFalse();
        assertThat(parse("public").allowsAuthorized()).isTrue();
        assertThat(parse("max-age=10").allowsAuthorized()).isFalse();
    }

    @Test
    void acceptEncodingIsReducedToWhetherGzipIsAccepted() {
        HttpFields chrome = HttpFields.build().put(HttpHeader.ACCEPT_ENCODING, "gzip, deflate, br, zstd");
        HttpFields firefox = HttpFields.build().put(HttpHeader.ACCEPT_ENCODING, "gzip,deflate");
        HttpFields refuses = HttpFields.build().put(HttpHeader.ACCEPT_ENCODING, "gzip;q=0, br");
        assertThat(Vary.normalized(chrome, "accept-encoding")).isEqualTo(Vary.normalized(firefox, "accept-encoding"));
        assertThat(Vary.normalized(refuses, "accept-encoding")).isEqualTo("identity");
        HttpFields twoLines = HttpFields.build().add("Accept-Language", "en,  de").add("Accept-Language", "fr");
        assertThat(Vary.normalized(twoLines, "accept-language")).isEqualTo("en,de,fr");
    }

    @Test
    void entityTagsMatchByWeakComparisonOrWildcard() {
        assertThat(ETags.matches("\"a\"", "\"a\"")).isTrue();
        assertThat(ETags.matches("W/\"a\"", "\"a\"")).isTrue();
        assertThat(ETags.matches("\"b\", \"a\"", "W/\"a\"")).isTrue();
        assertThat(ETags.matches("*", "\"a\"")).isTrue();
        assertThat(ETags.matches("\"b\"", "\"a\"")).isFalse();
        assertThat(ETags.matches(null, "\"a\"")).isFalse();
    }
}
