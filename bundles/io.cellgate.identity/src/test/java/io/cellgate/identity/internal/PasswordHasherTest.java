package io.cellgate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    private static PasswordHasher pbkdf2(int iterations) {
        return new PasswordHasher(PasswordHasher.PBKDF2, iterations, 0, 0, 0, new SecureRandom());
    }

    private static PasswordHasher argon2(int memoryKib) {
        return new PasswordHasher(PasswordHasher.ARGON2ID, 0, memoryKib, 2, 1, new SecureRandom());
    }

    @Test
    void hash_pbkdf2_roundTripAndParametersStored() {
        PasswordHasher h = pbkdf2(1000);
        String encoded = h.hash(PASSWORD);

        assertThat(encoded).matches("\\$pbkdf2-sha256\\$i=1000,l=32\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(h.verify(PASSWORD, encoded)).isTrue();
        assertThat(h.verify("correct horse battery!".toCharArray(), encoded)).isFalse();
    }

    @Test
    void hash_defaultIterations_areTheConfiguredDefault() {
        assertThat(pbkdf2(IdentitySettings.DEFAULT_PBKDF2_ITERATIONS).hash(PASSWORD)).startsWith("$pbkdf2-sha256$i=600000,");
    }

    @Test
    void hash_samePasswordTwice_differentSalts() {
        PasswordHasher h = pbkdf2(1000);
        assertThat(h.hash(PASSWORD)).isNotEqualTo(h.hash(PASSWORD));
    }

    @Test
    void hash_pbkdf2_isStandardPbkdf2HmacSha256() {
        // An independent implementation (Bouncy Castle's) must derive the same key from the stored salt.
        String encoded = pbkdf2(1000).hash(PASSWORD);
        String[] f = encoded.split("\\$");
        byte[] salt = Base64.getDecoder().decode(f[3]);
        PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
        gen.init(new String(PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8), salt, 1000);
        byte[] expected = ((KeyParameter) gen.generateDerivedParameters(256)).getKey();

        assertThat(Base64.getDecoder().decode(f[4])).isEqualTo(expected);
    }

    @Test
    void hash_argon2id_roundTripAndParametersStored() {
        PasswordHasher h = argon2(1024);
        String encoded = h.hash(PASSWORD);

        assertThat(encoded).startsWith("$argon2id$v=19$m=1024,t=2,p=1$");
        assertThat(h.verify(PASSWORD, encoded)).isTrue();
        assertThat(h.verify("wrong password here".toCharArray(), encoded)).isFalse();
    }

    @Test
    void verify_hashOfTheOtherAlgorithm_stillVerifies() {
        String old = pbkdf2(1000).hash(PASSWORD);
        assertThat(argon2(1024).verify(PASSWORD, old)).isTrue();
    }

    @Test
    void needsRehash_weakerOrOtherAlgorithm_true() {
        String weak = pbkdf2(1000).hash(PASSWORD);

        assertThat(pbkdf2(2000).needsRehash(weak)).isTrue();
        assertThat(pbkdf2(1000).needsRehash(weak)).isFalse();
        assertThat(argon2(1024).needsRehash(weak)).isTrue();
    }

    @Test
    void verify_damagedHash_falseNotException() {
        PasswordHasher h = pbkdf2(1000);
        assertThat(h.verify(PASSWORD, "$pbkdf2-sha256$i=x$abc$def")).isFalse();
        assertThat(h.verify(PASSWORD, "plain text")).isFalse();
        assertThat(h.verify(PASSWORD, null)).isFalse();
    }
}
