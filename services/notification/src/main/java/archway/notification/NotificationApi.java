package archway.notification;

import archway.platform.auth.Principal;
import archway.platform.server.PageRequest;

/** The notification service: the e-mails sent to customers about their orders, kept in a mailbox store. */
public interface NotificationApi {

    /** The schema the service keeps its tables in. */
    String SCHEMA = "notification";

    /** The caller's notifications, newest first; nobody else's. */
    NotificationPage notifications(Principal caller, PageRequest page);
}
