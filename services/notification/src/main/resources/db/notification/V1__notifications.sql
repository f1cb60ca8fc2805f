-- The mailbox of the notification service: every e-mail sent to a customer about an order.
-- One of each kind per order, whatever the bus redelivers.
CREATE TABLE notifications (
    id         UUID PRIMARY KEY,
    user_id    TEXT NOT NULL,
    order_id   UUID NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('order_confirmed', 'order_rejected')),
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (order_id, kind)
);

CREATE INDEX notifications_user_created ON notifications (user_id, created_at DESC, id);
