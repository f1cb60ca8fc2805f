package archway.launcher;

/**
 * One running box of the diagram, as {@code /topology} shows it.
 *
 * @param role  edge, gateway, balancer, instance, postgres, ...
 * @param url   its address (HTTP where it speaks HTTP)
 * @param pid   its operating-system process, or null when it is not a process of this machine
 * @param state up, down, ejected, starting, or draining (an instance being scaled in: out of the pool, finishing its requests)
 */
public record Component(String name, String role, String url, Long pid, String region, String state) {
}
