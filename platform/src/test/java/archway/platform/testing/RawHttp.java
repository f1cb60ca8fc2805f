package archway.platform.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written and read by hand on one socket, for tests that need what an HTTP client
 * hides: a body sent later than its headers, or several requests on one connection.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** A socket to {@code 127.0.0.1:port} whose reads give up after 5 s. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        return socket;
    }

    /** The head of a {@code POST} of a JSON body of {@code length} bytes to {@code path}. */
    public static byte[] postHead(String path, long length) {
        return ("POST " + path + " HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads one whole response (status line, headers, a {@code Content-Length} body) and
     * returns its status.
     *
     * @throws IOException when the connection ends before the response does
     */
    public static int readStatus(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).strip());
            }
        }
        if (in.readNBytes(length).length < length) {
            throw new IOException("the connection closed within a response body");
        }
        return Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head.size() + " bytes of a response head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
