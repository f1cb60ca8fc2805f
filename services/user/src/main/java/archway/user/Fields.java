package archway.user;

import archway.platform.problem.ProblemException;
import java.util.regex.Pattern;

/** The rules for account fields; each failure is a {@code 400} problem that names the field. */
final class Fields {

    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 128;
    static final int NAME_MAX = 100;
    private static final int EMAIL_MAX = 254;
    // a pragmatic shape, not RFC 5322: something@domain.tld, no spaces, one @
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    private Fields() {
    }

    static String required(String field, String value) {
        if (value == null) {
            throw ProblemException.badRequest(field + " is required");
        }
        return value;
    }

    static String email(String value) {
        String email = required("email", value).strip();
        if (email.length() > EMAIL_MAX || !EMAIL.matcher(email).matches()) {
            throw ProblemException.badRequest("email must be an e-mail address such as ann@example.com");
        }
        return email;
    }

    static void password(String value) {
        int length = required("password", value).codePointCount(0, value.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            throw ProblemException.badRequest("password must be " + PASSWORD_MIN + " to " + PASSWORD_MAX
                    + " characters long, was " + length);
        }
    }

    static String name(String value) {
        String name = required("name", value).strip();
        if (name.isEmpty() || name.length() > NAME_MAX) {
            throw ProblemException.badRequest("name must be 1 to " + NAME_MAX + " characters long");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badRequest("name must not contain control characters");
        }
        return name;
    }
}
