package io.cellgate.identity.internal;

import io.cellgate.identity.PasswordRejectedException;
import io.cellgate.identity.PasswordRejectedException.Rule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The password rules: long enough, not too long, not the user's name, not a well-known password. Length
 * beats composition rules (NIST SP 800-63B), so there are no "one digit, one capital" rules.
 */
final class PasswordRules {

    static final int MAX_LENGTH = 256;
    private static final Set<String> COMMON = load();

    private final int minLength;

    PasswordRules(int minLength) {
        this.minLength = minLength;
    }

    /** @throws PasswordRejectedException naming the first rule {@code password} breaks */
    void check(String user, char[] password) {
        if (password.length < minLength) {
            throw new PasswordRejectedException(Rule.TOO_SHORT, "the password has " + password.length
                    + " characters; it needs at least " + minLength + " (a few words make a long password easy "
                    + "to remember)");
        }
        if (password.length > MAX_LENGTH) {
            throw new PasswordRejectedException(Rule.TOO_LONG,
                    "the password has " + password.length + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        // Compared as char arrays: no String of the password is made.
        char[] lower = lowerCase(password);
        try {
            if (user != null && Arrays.equals(lower, user.toLowerCase(Locale.ROOT).toCharArray())) {
                throw new PasswordRejectedException(Rule.EQUALS_NAME, "the password must not be the user name");
            }
            for (String c : COMMON) {
                if (Arrays.equals(lower, c.toCharArray())) {
                    throw new PasswordRejectedException(Rule.COMMON,
                            "the password is on the list of common passwords; choose one that is not");
                }
            }
        } finally {
            Arrays.fill(lower, '\0');
        }
    }

    private static char[] lowerCase(char[] s) {
        char[] out = new char[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = Character.toLowerCase(s[i]);
        }
        return out;
    }

    private static Set<String> load() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordRules.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the bundle");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    words.add(line.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }

    static boolean isCommon(String word) {
        return COMMON.contains(word.toLowerCase(Locale.ROOT));
    }
}
