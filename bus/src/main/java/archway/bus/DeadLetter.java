package archway.bus;

import java.time.Instant;

/**
 * An event a consumer group gave up on, as kept in the dead-letter topic.
 *
 * @param id        the dead letter's own id (to replay it)
 * @param group     the consumer group that failed
 * @param event     the event as it was delivered (id, topic, key, type, payload, headers)
 * @param error     why the last attempt failed (the exception's message, no stack trace)
 * @param attempts  how many attempts were made
 * @param failedAt  when it was given up
 * @param replayed  whether it has been replayed since
 */
public record DeadLetter(String id, String group, Event event, String error, int attempts, Instant failedAt,
                         boolean replayed) {
}
