package archway.launcher.process;

import java.io.IOException;
import java.io.InputStream;

/**
 * The child side of {@link ChildProcess}: a daemon thread that reads standard input until
 * end-of-file, which happens when the launcher's end of the pipe closes - its exit, however
 * it happened. The process then runs its shutdown hooks and exits.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    public static void exitWhenParentDies() {
        Thread watcher = Thread.ofPlatform().daemon().name("parent-watch").unstarted(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                    // the launcher never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe means the same as end-of-file
            }
            System.exit(0);
        });
        watcher.start();
    }
}
