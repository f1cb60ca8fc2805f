package archway.user;

/**
 * A request to open an account: a valid one or none at all (its constructor rejects bad
 * input with a {@code 400} problem naming the field). It has no roles field, and the JSON
 * mapper rejects unknown fields, so a client can never choose its own roles.
 */
public record Registration(String email, String password, String name) {

    public Registration {
        email = Fields.email(email);
        Fields.password(password);
        name = Fields.name(name);
    }

    @Override
    public String toString() {
        return "Registration[email=" + email + ", name=" + name + "]";
    }
}
