package archway.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    @TempDir
    Path folder;

    @Test
    void keepsItsDataAcrossARestartOnTheSameFolder() throws SQLException {
        try (EmbeddedPostgres first = TestPostgres.start(folder)) {
            execute(first, "CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgres second = TestPostgres.start(folder)) {
            assertThat(queryString(second, "SELECT v FROM kept")).isEqualTo("still here");
        }
    }

    @Test
    void leavesNoServerProcessBehindWhenClosed() {
        EmbeddedPostgres postgres = TestPostgres.start(folder);
        ProcessHandle postmaster = ProcessHandle.of(postgres.pid()).orElseThrow();

        postgres.close();

        assertThat(postmaster.isAlive()).isFalse();
        assertThat(folder.resolve("pgdata/postmaster.pid")).doesNotExist();
    }

    @Test
    void refusesAPortThatIsTakenNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedPostgres.Settings settings = new EmbeddedPostgres.Settings(folder.resolve("pgdata"), TestPostgres.binaries(),
                    taken.getLocalPort());

            assertThatThrownBy(() -> EmbeddedPostgres.start(settings)).hasMessageContaining("port " + taken.getLocalPort());
        }
    }

    @Test
    void stopsTheServerWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process jvm = startInAnotherJvm();
        ProcessHandle postmaster = ProcessHandle.of(postmasterPidOf(jvm)).orElseThrow();

        jvm.destroyForcibly().waitFor();

        postmaster.onExit().get(30, TimeUnit.SECONDS);
        assertThat(postmaster.isAlive()).isFalse();
    }

    @Test
    void stopsAServerOrphanedOnItsFolderBeforeStarting() throws Exception {
        Process jvm = startInAnotherJvm();
        ProcessHandle orphan = ProcessHandle.of(postmasterPidOf(jvm)).orElseThrow();
        // kill the guard first, then the JVM: nothing is left to stop the server
        for (ProcessHandle child : jvm.toHandle().children().toList()) {
            child.destroyForcibly();
            child.onExit().get(10, TimeUnit.SECONDS);
        }
        jvm.destroyForcibly().waitFor();
        assertThat(orphan.isAlive()).as("the orphaned server still runs").isTrue();

        try (EmbeddedPostgres postgres = TestPostgres.start(folder)) {
            assertThat(orphan.isAlive()).isFalse();
            assertThat(postgres.pid()).isNotEqualTo(orphan.pid());
            assertThat(queryString(postgres, "SELECT 'up'")).isEqualTo("up");
        }
    }

    private Process startInAnotherJvm() throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        EmbeddedPostgres.Settings settings = TestPostgres.settings(folder);
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), StartPostgresMain.class.getName(),
                settings.dataDirectory().toString(), settings.workDirectory().toString()))
                .redirectErrorStream(true)
                .start();
    }

    private static long postmasterPidOf(Process jvm) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("postmaster=")) {
                return Long.parseLong(line.substring("postmaster=".length()));
            }
        }
        throw new IllegalStateException("the JVM ended without starting PostgreSQL");
    }

    private static void execute(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String queryString(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
