package archway.launcher;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.opentest4j.TestAbortedException;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: the browser of the
 * storefront tests. Both are named by path, so Selenium Manager never runs and nothing is
 * downloaded.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** {@code true} in CI: a missing browser fails the tests instead of skipping them. */
    static final String REQUIRED = "ARCHWAY_REQUIRE_BROWSER";

    private static final Path FAILURES = Path.of("target", "browser-failures").toAbsolutePath();

    private Chromium() {
    }

    /** Skips the calling tests when the browser or its driver is missing; fails them instead when {@value #REQUIRED} is true. */
    static void assumeInstalled() {
        List<String> missing = Stream.of(BROWSER, DRIVER).filter(path -> !Files.isExecutable(path)).map(Path::toString).toList();
        if (missing.isEmpty()) {
            return;
        }
        String what = String.join(" and ", missing) + " missing (apt-get install chromium chromium-driver)";
        if (Boolean.parseBoolean(System.getenv(REQUIRED))) {
            fail(REQUIRED + "=true, but the browser tests cannot run: " + what);
        }
        abort("no browser for the storefront tests: " + what);
    }

    /** A new headless browser that keeps its profile in {@code profile}; end it with {@link WebDriver#quit()}. */
    static ChromeDriver start(Path profile) {
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--no-first-run",
                        "--disable-sync", "--window-size=1280,900",
                        // prices and counts as the assertions spell them ("$1,299.99", "10,000")
                        "--lang=en-US",
                        "--user-data-dir=" + profile);
        return new ChromeDriver(driver, options);
    }

    /**
     * The failure to report for a failed browser test: the same one, with a note of where the
     * screenshot and the page's HTML at that moment were saved, so the build log points at them.
     */
    static Throwable withEvidence(ChromeDriver browser, String name, Throwable failure) {
        if (browser == null || failure instanceof TestAbortedException) {
            return failure;
        }
        try {
            Files.createDirectories(FAILURES);
            Path screenshot = FAILURES.resolve(name + ".png");
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
            Files.writeString(FAILURES.resolve(name + ".html"), browser.getPageSource());
            failure.addSuppressed(new Evidence("the browser at the failure: " + screenshot + " (and its page, .html)"));
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(new Evidence("no screenshot of the failure: " + e));
        }
        return failure;
    }

    /** A note attached to a failure; its stack trace would say nothing. */
    private static final class Evidence extends Exception {
        Evidence(String message) {
            super(message, null, false, false);
        }
    }
}
