package archway.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * An e-mail sent to a customer.
 *
 * @param kind {@code order_confirmed} or {@code order_rejected}
 */
public record Notification(UUID id, String kind, UUID orderId, String subject, String body, Instant createdAt) {
}
