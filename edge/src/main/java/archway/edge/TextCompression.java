package archway.edge;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;

/**
 * Gzip for text answers, inside the edge's cache ({@code HttpCache -> TextCompression -> origins}),
 * so an answer is compressed once, stored compressed with {@code Vary: Accept-Encoding}, and
 * every later hit replays the stored bytes instead of compressing again.
 *
 * <ul>
 *   <li><b>What.</b> Text only ({@code text/*} but event streams, JSON, problem documents,
 *       JavaScript, SVG): images, fonts and archives are compressed already, and gzip would
 *       spend CPU to make them larger.</li>
 *   <li><b>Small bodies</b> (under {@value #MIN_BYTES} bytes) stay as they are: the gzip
 *       header and trailer would eat what is saved.</li>
 *   <li><b>Already encoded.</b> An answer with a {@code Content-Encoding} of its own (an origin
 *       that compressed it) is passed on untouched, never encoded twice.</li>
 *   <li><b>ETags.</b> Jetty marks a compressed answer's ETag with a {@code --gzip} suffix (it is
 *       another representation) and takes the suffix off a conditional request's
 *       {@code If-None-Match} before the origin sees it, so revalidation keeps working.</li>
 *   <li><b>Request bodies</b> are never inflated: the edge forwards what it was sent.</li>
 * </ul>
 *
 * <p>Jetty 12.1 deprecates {@link GzipHandler} for its {@code jetty-compression} modules; it
 * is still the one of the core server the build has, and the only class to change when moving.
 */
@SuppressWarnings("removal")
final class TextCompression extends GzipHandler {

    static final int MIN_BYTES = 256;
    private static final Set<String> TEXT_TYPES = Set.of("application/json", "application/problem+json",
            "application/javascript", "image/svg+xml");

    TextCompression(Handler next) {
        super(next);
        setMinGzipSize(MIN_BYTES);
        setInflateBufferSize(-1);
    }

    @Override
    public boolean isMimeTypeDeflatable(String mimeType) {
        if (mimeType == null) {
            return false;
        }
        int parameters = mimeType.indexOf(';');
        String type = (parameters < 0 ? mimeType : mimeType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return (type.startsWith("text/") && !type.equals("text/event-stream")) || TEXT_TYPES.contains(type);
    }
}
