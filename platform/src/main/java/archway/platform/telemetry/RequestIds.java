package archway.platform.telemetry;

import java.util.concurrent.ThreadLocalRandom;

/** {@code X-Request-Id} values: kept when a caller sends a sane one, made up otherwise. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    /** The caller's id when it is printable ASCII of sane length, else a fresh one. */
    public static String acceptOrCreate(String offered) {
        return isAcceptable(offered) ? offered : create();
    }

    /** 32 random hex digits (cheaper than a UUID, as unique for this purpose). */
    public static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        long a = random.nextLong();
        long b = random.nextLong();
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (a >>> (i * 4)) & 0xf];
            out[16 + i] = HEX[(int) (b >>> (i * 4)) & 0xf];
        }
        return new String(out);
    }

    static boolean isAcceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
