package archway.order;

/**
 * Where an order is in its life: {@code PENDING} -> {@code PAID} -> {@code CONFIRMED}, or
 * {@code REJECTED} with a reason. {@code CONFIRMED} and {@code REJECTED} are terminal: an
 * order that reached one never changes again.
 */
public enum OrderStatus {
    PENDING, PAID, CONFIRMED, REJECTED;

    public boolean isTerminal() {
        return this == CONFIRMED || this == REJECTED;
    }
}
