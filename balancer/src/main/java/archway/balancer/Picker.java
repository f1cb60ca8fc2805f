package archway.balancer;

/**
 * Chooses the member a request goes to, from the members that are up. Called on every
 * request from many threads at once: implementations take no lock.
 */
interface Picker {

    /**
     * One of {@code up}, not {@code failed} (the member a retry is leaving, or {@code null});
     * {@code null} when no other member is there.
     */
    Member pick(Member[] up, Member failed);
}
