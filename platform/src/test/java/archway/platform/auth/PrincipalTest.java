package archway.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void isAnAdminOnlyWithTheAdminRole() {
        assertThat(new Principal("u", "u@example.com", Set.of(Principal.ADMIN)).isAdmin()).isTrue();
        assertThat(new Principal("u", "u@example.com", Set.of("customer", "Admin")).isAdmin()).isFalse();
        assertThat(new Principal("u", "u@example.com", Set.of()).isAdmin()).isFalse();
    }

    @Test
    void keepsItsRolesWhenTheCallersSetChangesLater() {
        Set<String> roles = new HashSet<>(Set.of("customer"));
        Principal principal = new Principal("u", "u@example.com", roles);

        roles.add(Principal.ADMIN);

        assertThat(principal.roles()).containsExactly("customer");
        assertThat(principal.isAdmin()).isFalse();
    }
}
