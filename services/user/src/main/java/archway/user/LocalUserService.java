package archway.user;

import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The user service in this process, its accounts in the {@value UserApi#SCHEMA} schema. */
public final class LocalUserService implements UserApi {

    private static final Logger LOG = LoggerFactory.getLogger(LocalUserService.class);

    private final UserTable users;
    private final TokenIssuer tokens;
    private final Passwords passwords = new Passwords();

    /** Migrates the service's schema in {@code store} if needed; {@code tokens} signs the access tokens. */
    public LocalUserService(Store store, TokenIssuer tokens) {
        this.users = new UserTable(store.schema(SCHEMA));
        this.tokens = tokens;
    }

    @Override
    public User register(Registration registration) {
        return create(registration, List.of(User.CUSTOMER))
                .orElseThrow(() -> ProblemException.conflict("an account with this e-mail exists already"));
    }

    /**
     * Creates the administrator account with role {@code admin} unless an account with that
     * e-mail exists (its password and roles are then left as they are). The launcher calls
     * it at start, before any traffic, so the e-mail cannot have been taken by a customer.
     *
     * @return whether the account was created now
     */
    public boolean ensureAdmin(String email, String password) {
        boolean created = create(new Registration(email, password, "Administrator"), List.of(Principal.ADMIN)).isPresent();
        if (created) {
            LOG.info("administrator account {} created", email);
        }
        return created;
    }

    private Optional<User> create(Registration registration, List<String> roles) {
        String hash = passwords.hash(registration.password());
        return users.insert(UUID.randomUUID(), registration.email(), registration.name(), hash, roles);
    }

    @Override
    public AccessToken issueToken(Credentials credentials) {
        Optional<UserTable.Account> account = users.byEmail(credentials.email());
        boolean valid = account.isPresent()
                ? passwords.matches(credentials.password(), account.get().passwordHash())
                : passwords.matchesNothing(credentials.password());
        if (!valid) {
            throw ProblemException.unauthorized("the e-mail or the password is wrong");
        }
        User user = account.get().user();
        String token = tokens.issue(new Principal(user.id().toString(), user.email(), new HashSet<>(user.roles())));
        return AccessToken.bearer(token, tokens.lifetime().toSeconds());
    }

    @Override
    public User user(UUID id) {
        return users.byId(id).orElseThrow(() -> ProblemException.notFound("no account with id " + id));
    }
}
