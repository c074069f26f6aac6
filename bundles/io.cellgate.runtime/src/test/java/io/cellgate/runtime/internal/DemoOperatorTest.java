package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOperatorTest {

    @TempDir
    Path state;

    @Test
    void ensure_firstStart_printsPasswordOnceAndKeepsOnlyItsHash() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String entry = DemoOperator.ensure(state, new PrintStream(out, true, StandardCharsets.UTF_8));
        Matcher m = Pattern.compile("password: (\\S{20})").matcher(out.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        String password = m.group(1);

        Path file = state.resolve("demo-operator.users");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain(password).startsWith("operator:310000:");

        String[] f = entry.split(":");
        byte[] expected = DemoOperator.hash(password.toCharArray(), Base64.getDecoder().decode(f[2]));
        assertThat(Base64.getDecoder().decode(f[3])).isEqualTo(expected);

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(DemoOperator.ensure(state, new PrintStream(again, true, StandardCharsets.UTF_8))).isEqualTo(entry);
        assertThat(again.size()).as("the password is printed only at the first start").isZero();
    }
}
