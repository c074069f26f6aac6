package io.cellgate.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.cellgate.api.audit.AuditEvent;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.PasswordRejectedException;
import io.cellgate.identity.PasswordRejectedException.Rule;
import io.cellgate.identity.Roles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LocalIdentitiesTest {

    private static final String GOOD = "blue-tractor-on-the-hill";
    private static final String SRC = "10.1.2.3:50123";

    @TempDir
    Path state;

    private final List<AuditEvent> audit = new ArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T08:00:00Z"));
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger log = (Logger) LoggerFactory.getLogger("io.cellgate.identity");
    private LocalIdentities ids;
    private String adminPassword;

    /** A clock the test moves by hand: no test sleeps or depends on timing. */
    static final class TestClock extends Clock {
        Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Production settings except the PBKDF2 work factor, lowered so that tests stay fast. */
    static IdentitySettings settings(int iterations) {
        return new IdentitySettings(PasswordHasher.PBKDF2, iterations, 19456, 2, 1, 2, 12,
                new Lockout.Settings(5, Duration.ofMinutes(1), Duration.ofMinutes(30), 3, Duration.ofSeconds(1),
                        Duration.ofSeconds(60), 10_000));
    }

    private LocalIdentities open(int iterations) throws IOException {
        return new LocalIdentities(state.resolve("identity"), settings(iterations), e -> audit.add(e), clock,
                new PrintStream(console, true, StandardCharsets.UTF_8), new SecureRandom());
    }

    @BeforeEach
    void setUp() throws IOException {
        logs.start();
        log.addAppender(logs);
        log.setLevel(Level.DEBUG);
        ids = open(1000);
        Matcher m = Pattern.compile("One-time password: (\\S+)").matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).as(console.toString(StandardCharsets.UTF_8)).isTrue();
        adminPassword = m.group(1);
        ids.createUser(Identity.SYSTEM, "otto", Set.of(Roles.OPERATOR, Roles.OBSERVER), GOOD.toCharArray());
        audit.clear();
    }

    @AfterEach
    void tearDown() {
        log.detachAppender(logs);
    }

    private AuthResult login(String user, String password) {
        return ids.authenticate(user, password.toCharArray(), SRC);
    }

    private AuthResult login(String user, String password, String source) {
        return ids.authenticate(user, password.toCharArray(), source);
    }

    private Identity admin() {
        ids.changeOwnPassword("admin", adminPassword.toCharArray(), "a new and long admin pass".toCharArray(), null);
        return ids.authenticate("admin", "a new and long admin pass".toCharArray(), null).identity().orElseThrow();
    }

    // ---- first start ----

    @Test
    void firstStart_noUsers_adminWithOneTimePasswordPrintedOnce() throws IOException {
        assertThat(adminPassword).hasSizeGreaterThanOrEqualTo(20);
        assertThat(ids.user("admin")).hasValueSatisfying(u -> {
            assertThat(u.roles()).containsExactly(Roles.SECURITY_ADMIN);
            assertThat(u.mustChangePassword()).isTrue();
        });
        AuthResult r = login("admin", adminPassword);
        assertThat(r.success()).isTrue();
        assertThat(r.mustChangePassword()).isTrue();

        console.reset();
        open(1000);
        assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void firstStart_oneTimePassword_neverInTheLog() {
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(msg -> msg.contains(adminPassword));
    }

    @Test
    void firstStart_damagedFile_refusedAndNotReplaced() throws IOException {
        Path file = state.resolve("identity/users.yaml");
        Files.writeString(file, "users: [ {name: x\n");

        assertThatThrownBy(() -> open(1000)).isInstanceOf(IOException.class).hasMessageContaining("users.yaml");
        assertThat(Files.readString(file)).isEqualTo("users: [ {name: x\n");
    }

    // ---- authenticate ----

    @Test
    void authenticate_rightPassword_identityWithItsRolesAndAudit() {
        AuthResult r = login("otto", GOOD);

        assertThat(r.identity()).contains(new Identity("otto", Set.of(Roles.OPERATOR, Roles.OBSERVER),
                Identity.Kind.USER));
        assertThat(r.mustChangePassword()).isFalse();
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.identity()).isEqualTo("otto");
            assertThat(e.action()).isEqualTo("login");
            assertThat(e.source()).isEqualTo(SRC);
            assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
        });
    }

    @Test
    void authenticate_wrongPasswordAndUnknownUser_identicalResults() {
        AuthResult wrong = login("otto", "not-the-password!");
        AuthResult unknown = login("nobody", "not-the-password!", "10.9.9.9");

        assertThat(wrong).isEqualTo(unknown).isSameAs(AuthResult.FAILED);
        assertThat(wrong.message()).isEqualTo("invalid user name or password");
        // Only the audit trail knows why.
        assertThat(audit).extracting(AuditEvent::reason).containsExactly("wrong password", "unknown user");
        assertThat(audit).extracting(AuditEvent::result).containsOnly(AuditEvent.Result.DENIED);
    }

    @Test
    void authenticate_disabledUser_sameFailure() {
        ids.setEnabled(Identity.SYSTEM, "otto", false);

        assertThat(login("otto", GOOD)).isSameAs(AuthResult.FAILED);
    }

    @Test
    void authenticate_fiveFailures_lockedEvenWithTheRightPassword() {
        for (int i = 0; i < 4; i++) {
            login("otto", "wrong-password-" + i, "10.0.0." + i);
        }
        assertThat(ids.authenticate("otto", "wrong".toCharArray(), "10.0.0.9")).isSameAs(AuthResult.FAILED);
        audit.clear();

        assertThat(login("otto", GOOD, "10.0.0.10")).isSameAs(AuthResult.FAILED);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
            assertThat(e.reason()).startsWith("locked until 2026-03-01T08:01:00Z");
        });
    }

    @Test
    void unlock_lockedUser_rightPasswordWorksAtOnceAndAudited() {
        Identity admin = admin();
        for (int i = 0; i < 5; i++) {
            login("otto", "wrong-password-" + i, "10.0.7." + i);
        }
        assertThat(ids.lockedUntil("otto")).hasValue(Instant.parse("2026-03-01T08:01:00Z"));
        audit.clear();

        ids.unlock(admin, "otto");

        assertThat(ids.lockedUntil("otto")).isEmpty();
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("user.unlock");
            assertThat(e.identity()).isEqualTo("admin");
            assertThat(e.reason()).isEqualTo("was locked until 2026-03-01T08:01:00Z");
        });
        assertThat(login("otto", GOOD, "10.0.7.99").success()).isTrue();
        assertThatThrownBy(() -> ids.unlock(admin, "nobody")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name: there is no user 'nobody'");
    }

    @Test
    void resetPassword_lockedUser_oneTimePasswordLiftsTheLock() {
        Identity admin = admin();
        for (int i = 0; i < 5; i++) {
            login("otto", "wrong-password-" + i, "10.0.8." + i);
        }
        char[] fresh = ids.resetPassword(admin, "otto");
        assertThat(ids.lockedUntil("otto")).isEmpty();
        AuthResult r = ids.authenticate("otto", fresh, "10.0.8.99");
        assertThat(r.success()).isTrue();
        assertThat(r.mustChangePassword()).isTrue();
    }

    @Test
    void authenticate_lockout_auditedOnceWithItsDuration() {
        for (int i = 0; i < 5; i++) {
            login("otto", "wrong-password", "10.0.0." + i);
        }

        assertThat(audit).filteredOn(e -> e.action().equals("login.lockout")).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("consecutive failed logins: locked for 60 s"));
    }

    @Test
    void authenticate_lockout_doublesUpToTheMaximum() {
        for (int i = 0; i < 5; i++) {
            login("otto", "wrong-password", "10.0.0." + i);
        }
        long previous = 60;
        int n = 0;
        for (long seconds : new long[] {120, 240, 480, 960, 1800, 1800}) {
            clock.advance(Duration.ofSeconds(previous - 1));
            assertThat(login("otto", GOOD, "10.0.3." + n++).success()).as("still locked").isFalse();
            clock.advance(Duration.ofSeconds(2));
            audit.clear();
            // The first failure after a lock expired locks again, for twice as long.
            login("otto", "wrong-password", "10.0.2." + n++);
            assertThat(audit).filteredOn(e -> e.action().equals("login.lockout")).singleElement()
                    .satisfies(e -> assertThat(e.reason()).endsWith("locked for " + seconds + " s"));
            previous = seconds;
        }
    }

    @Test
    void authenticate_afterLockExpires_rightPasswordWorksAndResetsTheCount() {
        for (int i = 0; i < 5; i++) {
            login("otto", "wrong-password", "10.0.0." + i);
        }
        clock.advance(Duration.ofSeconds(61));

        assertThat(login("otto", GOOD, "10.0.1.1").success()).isTrue();
        for (int i = 0; i < 4; i++) {
            login("otto", "wrong-password", "10.0.4." + i);
        }
        assertThat(login("otto", GOOD, "10.0.5.1").success()).as("4 failures after a success do not lock").isTrue();
    }

    @Test
    void authenticate_unknownNames_lockToo() {
        for (int i = 0; i < 5; i++) {
            login("ghost", "wrong-password", "10.0.0." + i);
        }
        audit.clear();
        login("ghost", "wrong-password", "10.0.7.1");

        assertThat(audit).singleElement().satisfies(e -> assertThat(e.reason()).startsWith("locked until"));
    }

    @Test
    void authenticate_failingSource_mustWaitGrowingDelays() {
        login("a", "wrong-password", "192.168.5.5:1000");
        login("b", "wrong-password", "192.168.5.5:1001");
        login("c", "wrong-password", "192.168.5.5:1002");
        audit.clear();

        assertThat(login("otto", GOOD, "192.168.5.5:1003")).isSameAs(AuthResult.FAILED);
        assertThat(audit).singleElement().satisfies(e -> assertThat(e.reason()).contains("source must wait"));
        assertThat(login("otto", GOOD, "192.168.5.6:1003").success()).as("another source").isTrue();

        clock.advance(Duration.ofMillis(1001));
        login("d", "wrong-password", "192.168.5.5:1004");
        clock.advance(Duration.ofMillis(1001));
        assertThat(login("otto", GOOD, "192.168.5.5:1005").success()).as("delay doubled to 2 s").isFalse();
        clock.advance(Duration.ofMillis(1000));
        assertThat(login("otto", GOOD, "192.168.5.5:1006").success()).isTrue();
    }

    // ---- storage ----

    @Test
    void store_modesAndNoClearPassword() throws IOException {
        Path dir = state.resolve("identity");
        Path file = dir.resolve("users.yaml");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("name: otto", "$pbkdf2-sha256$i=1000,l=32$")
                .doesNotContain(GOOD).doesNotContain(adminPassword);
        // The lock file that keeps the gateway and the command line from overwriting each other's changes.
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("users.yaml", UserStore.LOCK_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(UserStore.LOCK_FILE))))
                .isEqualTo("rw-------");
        login("otto", "some wrong password");
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains(GOOD) || m.contains(adminPassword) || m.contains("some wrong password"));
    }

    @Test
    void store_reopened_sameUsersAndPasswordsWork() throws IOException {
        ids.mapCertificate(Identity.SYSTEM, "otto", CertificateMapping.subject("CN=Otto, O=Plant"));

        LocalIdentities again = open(1000);

        assertThat(again.users()).isEqualTo(ids.users());
        assertThat(again.authenticate("otto", GOOD.toCharArray(), SRC).success()).isTrue();
    }

    @Test
    void store_weakerHashOfAnOlderSetting_upgradedAtLogin() throws IOException {
        LocalIdentities stronger = open(2000);
        assertThat(stronger.authenticate("otto", GOOD.toCharArray(), SRC).success()).isTrue();

        assertThat(Files.readString(state.resolve("identity/users.yaml"))).contains("$pbkdf2-sha256$i=2000,");
        assertThat(open(2000).authenticate("otto", GOOD.toCharArray(), SRC).success()).isTrue();
    }

    // ---- password rules ----

    @Test
    void createUser_passwordRules_eachWithItsMessage() {
        assertRejected("short-pw", Rule.TOO_SHORT, "the password has 8 characters; it needs at least 12");
        assertRejected("x".repeat(257), Rule.TOO_LONG, "at most 256");
        assertRejected("MAINTENANCE1", Rule.EQUALS_NAME, "the password must not be the user name");
        assertRejected("Password1234", Rule.COMMON, "the password is on the list of common passwords");
        assertThat(ids.user("maintenance1")).isEmpty();
    }

    private void assertRejected(String password, Rule rule, String message) {
        assertThatThrownBy(() -> ids.createUser(Identity.SYSTEM, "maintenance1", Set.of(Roles.OBSERVER),
                password.toCharArray()))
                .isInstanceOfSatisfying(PasswordRejectedException.class, e -> assertThat(e.rule()).isEqualTo(rule))
                .hasMessageContaining(message);
    }

    @Test
    void changeOwnPassword_oneTimePassword_clearsTheFlagAndRefusesTheSamePassword() {
        assertThatThrownBy(() -> ids.changeOwnPassword("admin", adminPassword.toCharArray(),
                adminPassword.toCharArray(), null))
                .isInstanceOfSatisfying(PasswordRejectedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.UNCHANGED));

        ids.changeOwnPassword("admin", adminPassword.toCharArray(), "a new and long admin pass".toCharArray(), null);

        assertThat(login("admin", adminPassword).success()).isFalse();
        AuthResult r = login("admin", "a new and long admin pass");
        assertThat(r.success()).isTrue();
        assertThat(r.mustChangePassword()).isFalse();
    }

    @Test
    void changeOwnPassword_wrongOldPassword_genericError() {
        assertThatThrownBy(() -> ids.changeOwnPassword("otto", "wrong old password".toCharArray(),
                "a brand new password".toCharArray(), SRC)).isInstanceOf(SecurityException.class)
                .hasMessage(AuthResult.FAILED_MESSAGE);
    }

    // ---- administration ----

    @Test
    void admin_actorWithoutSecurityAdmin_refusedAndAudited() {
        Identity otto = login("otto", GOOD).identity().orElseThrow();
        audit.clear();

        assertThatThrownBy(() -> ids.setRoles(otto, "otto", Set.of(Roles.SECURITY_ADMIN)))
                .isInstanceOf(SecurityException.class).hasMessageContaining("needs the SecurityAdmin role");
        assertThat(ids.user("otto").orElseThrow().roles()).doesNotContain(Roles.SECURITY_ADMIN);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("user.roles");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.DENIED);
        });
    }

    @Test
    void admin_adminWithOneTimePassword_mayNotAdministerYet() {
        Identity adminIdentity = login("admin", adminPassword).identity().orElseThrow();

        assertThatThrownBy(() -> ids.setEnabled(adminIdentity, "otto", false)).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> ids.setEnabled(new Identity("mallory", Set.of(Roles.SECURITY_ADMIN),
                Identity.Kind.USER), "otto", false)).as("a made-up identity").isInstanceOf(SecurityException.class);
    }

    @Test
    void admin_changes_appliedPersistedAndAudited() {
        Identity admin = admin();
        audit.clear();

        ids.setRoles(admin, "otto", Set.of(Roles.OBSERVER));
        ids.setPassword(admin, "otto", "reset by the admin 1".toCharArray(), true);

        AuthResult r = login("otto", "reset by the admin 1");
        assertThat(r.identity().orElseThrow().roles()).containsExactly(Roles.OBSERVER);
        assertThat(r.mustChangePassword()).isTrue();
        assertThat(audit).extracting(AuditEvent::action, AuditEvent::identity, AuditEvent::resource)
                .startsWith(org.assertj.core.groups.Tuple.tuple("user.roles", "admin", "user:otto"),
                        org.assertj.core.groups.Tuple.tuple("user.password", "admin", "user:otto"));

        ids.remove(admin, "otto");
        assertThat(ids.user("otto")).isEmpty();
        assertThat(login("otto", "reset by the admin 1").success()).isFalse();
    }

    @Test
    void admin_unknownRoleOrBadName_errorNamesTheField() {
        assertThatThrownBy(() -> ids.createUser(Identity.SYSTEM, "eve", Set.of("Root"), GOOD.toCharArray()))
                .hasMessage("roles: unknown role 'Root': use one of Observer, Operator, Engineer, SecurityAdmin, Auditor");
        assertThatThrownBy(() -> ids.createUser(Identity.SYSTEM, "bad name", Set.of(), GOOD.toCharArray()))
                .hasMessageStartingWith("name: 'bad name' is not a valid user name");
        assertThatThrownBy(() -> ids.createUser(Identity.SYSTEM, "OTTO", Set.of(), GOOD.toCharArray()))
                .hasMessage("name: user 'otto' exists already");
        assertThatThrownBy(() -> ids.createApplication(Identity.SYSTEM, "System", Set.of()))
                .hasMessage("name: 'System' is reserved for the gateway itself");
    }

    @Test
    void admin_lastSecurityAdmin_cannotBeRemovedOrDisabled() {
        assertThatThrownBy(() -> ids.remove(Identity.SYSTEM, "admin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nobody could manage users");
        assertThatThrownBy(() -> ids.setEnabled(Identity.SYSTEM, "admin", false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ids.setRoles(Identity.SYSTEM, "admin", Set.of(Roles.AUDITOR)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ids.user("admin").orElseThrow().enabled()).isTrue();
    }

    @Test
    void ensureUser_new_returnsAGeneratedPasswordOnceOnly() {
        Optional<char[]> pw = ids.ensureUser("operator", Set.of(Roles.OPERATOR, Roles.OBSERVER));

        assertThat(pw).isPresent();
        assertThat(pw.get().length).isGreaterThanOrEqualTo(20);
        assertThat(ids.authenticate("operator", pw.get(), SRC).identity().orElseThrow().roles())
                .containsExactlyInAnyOrder(Roles.OPERATOR, Roles.OBSERVER);
        assertThat(ids.ensureUser("operator", Set.of(Roles.OPERATOR))).isEmpty();
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(new String(pw.get()));
    }

    // ---- certificates ----

    @Test
    void forCertificate_byThumbprintAndBySubject() throws Exception {
        X509Certificate cert = certificate("CN=Otto Operator, O=Plant", 1);
        X509Certificate other = certificate("CN=Otto Operator, O=Plant", 1);
        ids.mapCertificate(Identity.SYSTEM, "otto", CertificateMapping.thumbprintOf(cert));

        assertThat(ids.forCertificate(cert, SRC)).hasValueSatisfying(i -> assertThat(i.name()).isEqualTo("otto"));
        assertThat(ids.forCertificate(other, SRC)).as("same subject, other certificate").isEmpty();

        ids.createApplication(Identity.SYSTEM, "mes", Set.of(Roles.OBSERVER));
        ids.mapCertificate(Identity.SYSTEM, "mes", CertificateMapping.subject("cn=otto operator,o=plant"));
        assertThat(ids.forCertificate(other, SRC)).hasValueSatisfying(i -> {
            assertThat(i.name()).isEqualTo("mes");
            assertThat(i.kind()).isEqualTo(Identity.Kind.APPLICATION);
        });
        assertThat(ids.forCertificate(cert, SRC)).as("the thumbprint is the more specific mapping")
                .hasValueSatisfying(i -> assertThat(i.name()).isEqualTo("otto"));
    }

    @Test
    void forCertificate_unmappedDisabledOrExpired_empty() throws Exception {
        X509Certificate cert = certificate("CN=Otto", 1);
        assertThat(ids.forCertificate(cert, SRC)).isEmpty();

        ids.mapCertificate(Identity.SYSTEM, "otto", CertificateMapping.thumbprintOf(cert));
        clock.advance(Duration.ofDays(3));
        assertThat(ids.forCertificate(cert, SRC)).as("expired").isEmpty();
        clock.advance(Duration.ofDays(-3));
        ids.setEnabled(Identity.SYSTEM, "otto", false);
        assertThat(ids.forCertificate(cert, SRC)).as("disabled").isEmpty();
        assertThat(audit).filteredOn(e -> e.action().equals("login")).extracting(AuditEvent::reason)
                .containsExactly("certificate not mapped to a user (CN=Otto)", "certificate outside its validity period",
                        "user disabled");
    }

    @Test
    void mapCertificate_mappedToAnotherUser_refused() throws Exception {
        CertificateMapping m = CertificateMapping.thumbprintOf(certificate("CN=x", 1));
        ids.mapCertificate(Identity.SYSTEM, "otto", m);

        assertThatThrownBy(() -> ids.mapCertificate(Identity.SYSTEM, "admin", m))
                .hasMessageContaining("is already mapped to 'otto'");
    }

    @Test
    void application_hasNoPassword_cannotLogInWithOne() {
        ids.createApplication(Identity.SYSTEM, "historian", Set.of(Roles.OBSERVER));

        assertThat(ids.user("historian").orElseThrow().hasPassword()).isFalse();
        assertThat(login("historian", "")).isSameAs(AuthResult.FAILED);
    }

    /** A self-signed certificate valid from an hour before the test clock for {@code days}. */
    private X509Certificate certificate(String subject, int days) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Principal name = new X500Principal(subject);
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                Date.from(clock.now.minus(Duration.ofHours(1))), Date.from(clock.now.plus(Duration.ofDays(days))), name,
                kp.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }
}
