package archway.notification;

import java.util.List;

/** One page of a user's notifications, newest first. */
public record NotificationPage(List<Notification> items, int page, int size, long total) {
}
