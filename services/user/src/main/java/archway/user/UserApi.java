package archway.user;

import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import java.util.UUID;

/**
 * The user service: accounts and the access tokens that prove who is calling. Implemented
 * in-process by {@link LocalUserService}, and over HTTP by a client for the microservices
 * topology. Failures are {@link ProblemException}s, as a client of the HTTP API would see them.
 */
public interface UserApi {

    /** The schema the service keeps its tables in. */
    String SCHEMA = "users";

    /**
     * Opens an account with role {@code customer}.
     *
     * @throws ProblemException {@code 409} when an account with that e-mail exists (in any letter case)
     */
    User register(Registration registration);

    /**
     * An access token for the account with these credentials.
     *
     * @throws ProblemException {@code 401}, the same for an unknown e-mail and a wrong password
     */
    AccessToken issueToken(Credentials credentials);

    /**
     * The account with this id.
     *
     * @throws ProblemException {@code 404} when there is none
     */
    User user(UUID id);

    /**
     * The account a verified token speaks for.
     *
     * @throws ProblemException {@code 404} when the account no longer exists
     */
    default User profile(Principal principal) {
        UUID id;
        try {
            id = UUID.fromString(principal.subject());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("the access token names no account of this service");
        }
        return user(id);
    }
}
