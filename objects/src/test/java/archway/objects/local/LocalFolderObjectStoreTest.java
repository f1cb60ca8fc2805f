package archway.objects.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import archway.objects.ObjectNames;
import archway.objects.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderObjectStoreTest {

    @TempDir
    Path parent;

    private LocalFolderObjectStore store() {
        return new LocalFolderObjectStore(parent.resolve("objects"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.sorted().toList();
        }
    }

    @Test
    void returnsWhatWasPutWithAContentTypeByExtensionAndAQuotedEtag() {
        LocalFolderObjectStore store = store();
        store.put("web", "index.html", utf8("<h1>Archway</h1>"), "text/html");
        store.put("product-images", "p/10001.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}, "image/png");
        store.put("web", "notes.unknown", utf8("?"), "text/plain");

        StoredObject page = store.get("web", "index.html").orElseThrow();
        assertThat(page.key()).isEqualTo("index.html");
        assertThat(page.bytes()).isEqualTo(utf8("<h1>Archway</h1>"));
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.etag()).matches("\"[0-9a-f]+\"");
        assertThat(page.lastModified()).isNotNull();
        assertThat(store.get("product-images", "p/10001.png").orElseThrow().contentType()).isEqualTo("image/png");
        assertThat(store.get("web", "notes.unknown").orElseThrow().contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void theEtagFollowsTheContent() {
        LocalFolderObjectStore store = store();
        store.put("web", "a.css", utf8("body{}"), null);
        store.put("web", "b.css", utf8("body{}"), null);
        store.put("web", "c.css", utf8("body{color:red}"), null);

        String a = store.get("web", "a.css").orElseThrow().etag();
        assertThat(store.get("web", "b.css").orElseThrow().etag()).as("same content").isEqualTo(a);
        assertThat(store.get("web", "c.css").orElseThrow().etag()).as("other content").isNotEqualTo(a);
    }

    @Test
    void aSecondPutReplacesTheObject() {
        LocalFolderObjectStore store = store();
        store.put("web", "app.js", utf8("console.log('v1 is a longer version');"), null);
        String before = store.get("web", "app.js").orElseThrow().etag();

        store.put("web", "app.js", utf8("v2"), null);

        StoredObject after = store.get("web", "app.js").orElseThrow();
        assertThat(after.bytes()).isEqualTo(utf8("v2"));
        assertThat(after.etag()).isNotEqualTo(before);
    }

    @Test
    void aMissingObjectIsEmptyAndDoesNotExist() {
        LocalFolderObjectStore store = store();
        store.put("web", "assets/app.js", utf8("x"), null);

        assertThat(store.get("web", "missing.html")).isEmpty();
        assertThat(store.get("nobucket", "index.html")).isEmpty();
        assertThat(store.get("web", "assets")).as("a folder is not an object").isEmpty();
        assertThat(store.exists("web", "missing.html")).isFalse();
        assertThat(store.exists("web", "assets")).isFalse();
        assertThat(store.exists("web", "assets/app.js")).isTrue();
    }

    @Test
    void anEmptyObjectIsStillAnObject() {
        LocalFolderObjectStore store = store();
        store.put("web", "empty.txt", new byte[0], null);

        assertThat(store.exists("web", "empty.txt")).isTrue();
        assertThat(store.get("web", "empty.txt").orElseThrow().bytes()).isEmpty();
    }

    @Test
    void rejectsBadKeysAndBucketsOnEveryOperation() {
        LocalFolderObjectStore store = store();
        for (String key : ObjectNames.badKeys()) {
            assertThatIllegalArgumentException().as("put %s", key).isThrownBy(() -> store.put("web", key, utf8("x"), null));
            assertThatIllegalArgumentException().as("get %s", key).isThrownBy(() -> store.get("web", key));
            assertThatIllegalArgumentException().as("exists %s", key).isThrownBy(() -> store.exists("web", key));
        }
        for (String bucket : ObjectNames.badBuckets()) {
            assertThatIllegalArgumentException().as("put in %s", bucket).isThrownBy(() -> store.put(bucket, "x.txt", utf8("x"), null));
            assertThatIllegalArgumentException().as("get in %s", bucket).isThrownBy(() -> store.get(bucket, "x.txt"));
            assertThatIllegalArgumentException().as("exists in %s", bucket).isThrownBy(() -> store.exists(bucket, "x.txt"));
        }
    }

    @Test
    void neverWritesOutsideItsRootFolder() throws IOException {
        Path outsider = parent.resolve("secret.txt");
        Files.writeString(outsider, "keep me");
        LocalFolderObjectStore store = store();
        List<Path> before = filesUnder(parent);

        for (String key : ObjectNames.badKeys()) {
            tryPut(store, "web", key);
            tryPut(store, "web", "../" + key);
        }
        for (String bucket : ObjectNames.badBuckets()) {
            tryPut(store, bucket, "secret.txt");
            tryPut(store, bucket, "x/../../secret.txt");
        }

        assertThat(filesUnder(parent)).isEqualTo(before);
        assertThat(Files.readString(outsider)).isEqualTo("keep me");
    }

    private static void tryPut(LocalFolderObjectStore store, String bucket, String key) {
        try {
            store.put(bucket, key, utf8("overwritten"), null);
        } catch (IllegalArgumentException expected) {
            // the point is what is on disk afterwards
        }
    }

    @Test
    void leavesNoTemporaryFileBehind() throws IOException {
        LocalFolderObjectStore store = store();
        for (int i = 0; i < 5; i++) {
            store.put("web", "css/site.css", utf8("v" + i), null);
        }

        assertThat(filesUnder(store.root())).extracting(path -> store.root().relativize(path).toString())
                .containsExactly("", "web", "web/css", "web/css/site.css");
    }

    @Test
    void aReaderNeverSeesAHalfWrittenObject() throws Exception {
        LocalFolderObjectStore store = store();
        byte[] first = new byte[256 * 1024];
        byte[] second = new byte[384 * 1024];
        Arrays.fill(first, (byte) 'a');
        Arrays.fill(second, (byte) 'b');
        store.put("web", "bundle.js", first, null);
        String firstTag = store.get("web", "bundle.js").orElseThrow().etag();
        AtomicBoolean writing = new AtomicBoolean(true);

        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> readWhile(store, writing, first, second)));
            }
            Future<?> writer = pool.submit(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        store.put("web", "bundle.js", i % 2 == 0 ? second : first, null);
                    }
                } finally {
                    writing.set(false);
                }
            });

            writer.get();
            for (Future<List<String>> reader : readers) {
                assertThat(reader.get()).as("torn or missing reads").isEmpty();
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("readers and writer stopped").isTrue();
        }
        assertThat(store.get("web", "bundle.js").orElseThrow().etag()).as("the last put wins").isEqualTo(firstTag);
    }

    /** Reads until the writer is done; returns a description of every read that was not one whole version. */
    private static List<String> readWhile(LocalFolderObjectStore store, AtomicBoolean writing, byte[] first, byte[] second) {
        List<String> bad = new ArrayList<>();
        int reads = 0;
        do {
            reads++;
            byte[] seen = store.get("web", "bundle.js").map(StoredObject::bytes).orElse(null);
            if (seen == null) {
                bad.add("read " + reads + ": missing");
            } else if (!Arrays.equals(seen, first) && !Arrays.equals(seen, second)) {
                bad.add("read " + reads + ": " + seen.length + " bytes of neither version");
            }
        } while (writing.get() && bad.size() < 10);
        return bad;
    }
}
