/**
 * What the three forwarding tiers of the diagram (edge, gateway, balancer) do the same way.
 *
 * <p>Each tier is a Jetty 12 core server, asynchronous end to end: {@link TierServer} binds
 * the port and wraps the tier's own handlers with the common front (request id, trace
 * context, metrics, access log, {@code /health}, {@code /ready}, {@code /metrics}, errors as
 * problem documents); {@link Forwarder} is the reverse proxy at the back, built on Jetty's
 * {@code ProxyHandler.Reverse}, which sends the request to whatever {@link Upstreams} picks.
 * No thread waits for an upstream: a forwarded request costs a few callbacks, not a parked
 * thread.
 */
package archway.platform.tier;
