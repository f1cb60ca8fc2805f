package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import java.net.URI;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EdgeProxyTest {

    private AnyOrigin origin;
    private Telemetry telemetry;
    private Edge edge;
    private EdgeAdmin admin;
    private Http proxy;
    private Http adminHttp;

    @BeforeEach
    void start() {
        origin = new AnyOrigin();
        startEdge(origin.url());
    }

    private void startEdge(URI originUrl) {
        telemetry = Telemetry.create("edge");
        edge = Edge.start(EdgeConfig.proxy("127.0.0.1", 0, originUrl), telemetry);
        admin = EdgeAdmin.start(edge, telemetry, 0);
        proxy = new Http(edge.url());
        adminHttp = new Http(admin.url());
    }

    private void stopEdge() {
        proxy.close();
        adminHttp.close();
        admin.close();
        edge.close();
        telemetry.close();
    }

    @AfterEach
    void stop() {
        stopEdge();
        origin.close();
    }

    private HttpResponse<String> get(String path, String... headers) {
        return proxy.request("GET", path, null, headers);
    }

    private HttpResponse<String> purge(String json) {
        return adminHttp.request("POST", "/purge", json, "Content-Type", "application/json");
    }

    @Test
    void forwardsEveryMethodWithItsBodyAndStatusIntact() {
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "GET"}) {
            String body = method.equals("GET") ? null : "payload of " + method;
            HttpResponse<String> response = proxy.request(method, "/echo/item?status=207", body);

            assertThat(response.statusCode()).as(method).isEqualTo(207);
            assertThat(response.body()).as(method)
                    .isEqualTo(method + " /echo/item?status=207 " + (body == null ? "" : body));
            assertThat(origin.lastMethod).as(method).isEqualTo(method);
            assertThat(origin.lastBody).as(method).isEqualTo(body == null ? "" : body);
        }
        HttpResponse<String> head = proxy.request("HEAD", "/echo/item?status=203", null);
        assertThat(head.statusCode()).isEqualTo(203);
        assertThat(head.body()).isEmpty();
        assertThat(origin.lastMethod).isEqualTo("HEAD");
    }

    @Test
    void forwardsEvenThePathsTheAdminListenerServes() {
        for (String path : new String[] {"/health", "/ready", "/metrics", "/purge"}) {
            assertThat(get(path).body()).as(path).isEqualTo("small");
            assertThat(origin.callsTo(path)).as(path).isEqualTo(1);
        }
    }

    @Test
    void tellsTheOriginItsOwnHostAndWhoTheClientIs() {
        get("/echo", "X-Forwarded-For", "198.51.100.1", "X-Forwarded-Host", "forged.example");

        assertThat(origin.lastHeaders.get("host")).isEqualTo(origin.url().getAuthority());
        assertThat(origin.lastHeaders.get("x-forwarded-host")).isEqualTo(URI.create(edge.url()).getAuthority());
        assertThat(origin.lastHeaders.get("x-forwarded-for")).as("a client's claim is replaced").isEqualTo("127.0.0.1");
        assertThat(origin.lastHeaders.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(origin.lastHeaders.get("via")).contains("archway-edge");
    }

    @Test
    void putsTheOriginsPathPrefixBeforeEveryPath() {
        stopEdge();
        startEdge(URI.create(origin.url() + "/base/"));

        get("/echo/item?x=1");
        assertThat(origin.lastTarget).isEqualTo("/base/echo/item?x=1");
        proxy.request("DELETE", "/", null);
        assertThat(origin.lastTarget).isEqualTo("/base/");
    }

    @Test
    void cachesGetAnswersSoTheSecondIsAHit() {
        HttpResponse<String> first = get("/cached/1");
        HttpResponse<String> second = get("/cached/1");

        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo("call 1 for /cached/1");
        assertThat(origin.callsTo("/cached/1")).isEqualTo(1);
    }

    @Test
    void purgesOneUrlThroughTheAdminListener() {
        get("/cached/a?page=2");
        get("/cached/b");

        HttpResponse<String> purged = purge("{\"url\": \"/cached/a?page=2\"}");

        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(purged.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(purged.body()).isEqualTo("{\"purged\":1}");
        assertThat(get("/cached/a?page=2").body()).isEqualTo("call 2 for /cached/a?page=2");
        assertThat(get("/cached/b").headers().firstValue("X-Cache")).as("other URLs stay").hasValue("HIT");
    }

    @Test
    void purgesByTagAndAll() {
        get("/cached/a");
        get("/cached/b");
        get("/small");

        assertThat(purge("{\"tag\": \"products\"}").body()).isEqualTo("{\"purged\":2}");
        assertThat(get("/cached/a").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get("/small").headers().firstValue("X-Cache")).as("untagged stays").hasValue("HIT");

        assertThat(purge("{\"all\": true}").body()).isEqualTo("{\"purged\":2}");
        assertThat(get("/small").headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @Test
    void anUnknownUrlOrTagPurgesNothingWithoutError() {
        assertThat(purge("{\"url\": \"/never/cached\"}").body()).isEqualTo("{\"purged\":0}");
        assertThat(purge("{\"tag\": \"nobody\"}").body()).isEqualTo("{\"purged\":0}");
        assertThat(purge("{\"url\": \"" + edge.url() + "/never/cached\"}").statusCode()).as("a full URL").isEqualTo(200);
    }

    @Test
    void rejectsPurgeBodiesThatAreNotExactlyOneValidField() {
        get("/cached/a");
        for (String body : new String[] {"", "not json", "[]", "{}", "null", "{\"url\": 1}", "{\"url\": \"\"}",
                "{\"url\": \"no-slash\"}", "{\"tag\": [\"a\"]}", "{\"all\": \"yes\"}", "{\"all\": false}",
                "{\"url\": \"/cached/a\", \"tag\": \"products\"}", "{\"everything\": true}", "{\"all\": true} {}"}) {
            Http.assertProblem(purge(body), 400);
        }
        assertThat(get("/cached/a").headers().firstValue("X-Cache")).as("nothing was purged").hasValue("HIT");
    }

    @Test
    void answersOtherMethodsAndPathsOfTheAdminListenerWithProblems() {
        HttpResponse<String> getPurge = adminHttp.request("GET", "/purge", null);
        Http.assertProblem(getPurge, 405);
        assertThat(getPurge.headers().firstValue("Allow")).hasValue("POST");
        Http.assertProblem(adminHttp.request("DELETE", "/purge", null), 405);
        Http.assertProblem(adminHttp.request("GET", "/cached/a", null), 404);
        assertThat(origin.calls).isEmpty();
    }

    @Test
    void servesHealthReadinessAndTheEdgesMetricsOnTheAdminListener() {
        get("/cached/a");
        get("/cached/a");

        assertThat(adminHttp.request("GET", "/health", null).body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(adminHttp.request("GET", "/ready", null).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = adminHttp.request("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body()).contains("edge_cache_requests_total{component=\"edge\",result=\"hit\"} 1.0");
        assertThat(origin.calls).doesNotContainKeys("/health", "/ready", "/metrics");
        assertThat(get("/metrics").body()).as("the proxy's /metrics is the origin's").isEqualTo("small");
    }

    @Test
    void acceptsAnOriginWithAPathAndRejectsOthersByName() {
        assertThat(EdgeConfig.proxy("127.0.0.1", 0, URI.create("https://example.org/shop/")).originPathPrefix()).isEqualTo("/shop");
        assertThat(EdgeConfig.proxy("127.0.0.1", 0, URI.create("http://example.org:8081")).originRoot())
                .isEqualTo(URI.create("http://example.org:8081"));
        for (String bad : new String[] {"ftp://example.org", "http://example.org/shop?q=1", "http://example.org/#top",
                "http://user@example.org", "example.org", "http:///nohost"}) {
            assertThatIllegalArgumentException().as(bad)
                    .isThrownBy(() -> EdgeConfig.proxy("127.0.0.1", 0, URI.create(bad)))
                    .withMessageContaining("edge.origin").withMessageContaining(bad);
        }
    }
}
