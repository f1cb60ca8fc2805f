package archway.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An account as the API shows it: never with its password or hash. */
public record User(UUID id, String email, String name, List<String> roles, Instant createdAt) {

    public static final String CUSTOMER = "customer";

    public User {
        roles = List.copyOf(roles);
    }
}
