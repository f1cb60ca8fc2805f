package archway.bus;

import archway.platform.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * Event payloads as JSON, in the contract's dialect ({@code snake_case}). Reading is
 * tolerant of fields it does not know (a producer may add facts without breaking its
 * consumers), and a payload that does not fit its type is a {@link PoisonEventException}:
 * no retry will make it fit.
 */
public final class Payloads {

    private Payloads() {
    }

    public static String write(Object payload) {
        try {
            return Json.mapper().writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * {@code value} when it is there; a payload without a field its consumer needs can never
     * be handled, so it is a {@link PoisonEventException} rather than a failure to retry.
     */
    public static <T> T required(Event event, String field, T value) {
        if (value == null) {
            throw new PoisonEventException(event.type() + " " + event.id() + " has no " + field);
        }
        return value;
    }

    public static <T> T read(Event event, Class<T> type) {
        ObjectReader reader = Json.mapper().readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            T value = reader.readValue(event.payload());
            if (value == null) {
                throw new PoisonEventException(event.type() + " " + event.id() + " has a null payload");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new PoisonEventException(event.type() + " " + event.id() + " is not a valid " + type.getSimpleName()
                    + " payload: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PoisonEventException(event.type() + " " + event.id() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
