package archway.platform.server;

import archway.platform.json.Json;
import archway.platform.problem.ProblemException;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.stream.Collectors;

/** Reading request bodies the strict way: JSON only, of a known shape, or a clear 4xx. */
public final class Bodies {

    private Bodies() {
    }

    /**
     * The body as {@code type}: {@code 415} unless the content type is JSON, {@code 400} when
     * it is empty or does not fit the type, {@code 413} over the server's size limit.
     */
    public static <T> T json(Context ctx, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !isJson(contentType)) {
            throw ProblemException.unsupportedMediaType("send the body as application/json");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw ProblemException.badRequest("the request body is empty; a JSON object is expected");
        }
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw ProblemException.badRequest("the request body must be a JSON object, not null");
            }
            return value;
        } catch (ProblemException e) {
            throw e;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof ProblemException pe) {
                throw pe;
            }
            throw ProblemException.badRequest("the request body is not valid JSON for this resource: " + describe(e));
        } catch (IOException e) {
            throw ProblemException.badRequest("the request body could not be read");
        }
    }

    static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/json") || (base.startsWith("application/") && base.endsWith("+json"));
    }

    /** What is wrong with a JSON body, naming the field but never echoing internals. */
    static String describe(JacksonException e) {
        if (e instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
            return "a number is too large for its field";
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException f) {
            return "field '" + path(f) + "' has a value of the wrong type";
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "field '" + path(m) + "' is missing or of the wrong type";
        }
        if (e instanceof MismatchedInputException) {
            return "a JSON object is expected";
        }
        return "malformed JSON";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
