package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up} refuses before it starts anything. */
class UpCommandTest {

    @TempDir
    Path runDir;

    @Test
    void refusesAnUnknownCacheSettingNamingIt() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("up", "--run-dir", runDir.toString(), "--cache", "catalog.products=off",
                    "--cache", "catalog.prices=off");
        } finally {
            System.setErr(err);
        }

        assertThat(code).isEqualTo(2);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("catalog.prices").contains("known: catalog.products");
    }

    @Test
    void handsTheCacheSettingsOnToTheInstances() {
        SystemConfig config = SystemConfig.ephemeral(runDir, 1)
                .withCaching(archway.cache.CachePlan.parse(java.util.List.of("catalog.products=off", "catalog.views.flush=500ms")));

        assertThat(config.caching().settings()).containsExactly("catalog.products=off", "catalog.views.flush=500ms");
        assertThat(config.withBusRetry(archway.bus.Subscription.Retry.DEFAULT).caching().spec("catalog.products").enabled()).isFalse();
    }
}
