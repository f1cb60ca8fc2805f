package archway.user;

/** An e-mail and password offered in exchange for an access token. */
public record Credentials(String email, String password) {

    public Credentials {
        email = Fields.required("email", email).strip();
        Fields.required("password", password);
    }

    @Override
    public String toString() {
        return "Credentials[email=" + email + "]";
    }
}
