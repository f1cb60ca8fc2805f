package archway.balancer;

/** The closed set of states an instance can be in; only {@link #UP} takes new requests. */
enum Health {
    STARTING(InstanceState.STARTING),
    UP(InstanceState.UP),
    DOWN(InstanceState.DOWN),
    EJECTED(InstanceState.EJECTED),
    DRAINING(InstanceState.DRAINING);

    private final String label;

    Health(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
