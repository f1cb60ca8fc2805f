package archway.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends a request exactly as written, for what an HTTP client library refuses to send or
 * would tidy up: dot segments, hop-by-hop headers, oversized lines.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** The answer's status line and headers, lower-cased, and the body: enough to assert on. */
    record Answer(int status, String head, String body) {
        boolean hasHeader(String name) {
            return head.contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
        }
    }

    static Answer send(int port, String requestLineAndHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((requestLineAndHeaders + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String text = readAll(socket.getInputStream());
            int headEnd = text.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? text : text.substring(0, headEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Answer(status, head.toLowerCase(Locale.ROOT), headEnd < 0 ? "" : text.substring(headEnd + 4));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // the server may reset after answering a refused request; what arrived is the answer
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
