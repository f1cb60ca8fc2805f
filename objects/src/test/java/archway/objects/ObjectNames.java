package archway.objects;

import java.util.Arrays;
import java.util.List;

/** Names that every object store must refuse, shared by the port's and the adapters' tests. */
public final class ObjectNames {

    private ObjectNames() {
    }

    /** Keys that could leave their bucket or are not plain relative paths (null included). */
    public static List<String> badKeys() {
        return Arrays.asList(
                "../x", "..", ".", "a/../../b", "a/..", "/abs", "/", "a//b", "a/./b", "./a", "a/", "",
                "%2e%2e", "%2e%2e/x", "..\\x", "a\\b", "C:\\x", "a b", " a", "a\tb", "a\nb", "a\u0000b", "ä", "a?b", "a#b",
                "x".repeat(1025), null);
    }

    /** Bucket names that are not 3-63 lower-case letters, digits and inner hyphens (null included). */
    public static List<String> badBuckets() {
        return Arrays.asList(
                "..", "../web", "ab", "x".repeat(64), "Web", "my_bucket", "my.bucket", "-web", "web-", "we b", "web/x", "", null);
    }
}
