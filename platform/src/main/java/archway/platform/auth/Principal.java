package archway.platform.auth;

import java.util.Set;

/** Who a verified access token speaks for. */
public record Principal(String subject, String email, Set<String> roles) {

    public static final String ADMIN = "admin";

    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
