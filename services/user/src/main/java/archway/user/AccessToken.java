package archway.user;

/**
 * An OAuth-style token response.
 *
 * @param expiresIn seconds until the token expires
 */
public record AccessToken(String accessToken, String tokenType, long expiresIn) {

    public static AccessToken bearer(String token, long expiresIn) {
        return new AccessToken(token, "Bearer", expiresIn);
    }
}
