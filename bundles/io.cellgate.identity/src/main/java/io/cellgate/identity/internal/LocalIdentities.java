package io.cellgate.identity.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditEvent.Result;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.CertificateMapping;
import io.cellgate.identity.Identity;
import io.cellgate.identity.PasswordRejectedException;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of the gateway, framework-free: authentication with lockout, certificate mapping, and user
 * administration, persisted in users.yaml and audited. {@link IdentityComponent} publishes it; {@link UserCommand}
 * opens one on the same directory from the command line ({@link #forCommandLine}). Each notices the other's
 * changes: a new version of the file is loaded (with the same checks as at start) before the next login or
 * change, and every change is a read-modify-write under the store's lock.
 */
final class LocalIdentities implements Authenticator, UserAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(LocalIdentities.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}");
    static final String ADMIN = "admin";
    /** Letters and digits that cannot be mistaken for each other when read off a console. */
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    /** How long a login waits for one of the {@code hash.concurrency} slots before it fails. */
    private static final long HASH_WAIT_SECONDS = 10;

    private final UserStore store;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final Lockout lockout;
    private final AuditSink audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Semaphore hashing;
    private final Object lock = new Object();
    /** The person at the gateway's console (command line), or null: trusted as a SecurityAdmin by this instance only. */
    private final Identity consoleActor;
    /** By lower-case name; replaced (never changed in place) after each successful save or reload. */
    private volatile Map<String, UserRecord> users;
    /** The version of users.yaml that {@link #users} holds. */
    private volatile UserStore.Version loaded;
    /** A version that failed the checks (logged once, not retried until the file changes again). */
    private UserStore.Version refused;

    LocalIdentities(Path identityDir, IdentitySettings settings, AuditSink audit, Clock clock, PrintStream console,
            SecureRandom random) throws IOException {
        this(identityDir, settings, audit, clock, console, random, null);
    }

    /**
     * The users for the command line: no first-start admin is created (the gateway does that), and
     * {@code consoleUser} (the operating-system account at the console, which owns the state directory) may
     * manage users. Its changes are audited as {@code console:<consoleUser>}.
     */
    static LocalIdentities forCommandLine(Path identityDir, IdentitySettings settings, AuditSink audit, Clock clock,
            SecureRandom random, String consoleUser) throws IOException {
        return new LocalIdentities(identityDir, settings, audit, clock, null, random,
                new Identity("console:" + printable(consoleUser), Set.of(Roles.SECURITY_ADMIN), Identity.Kind.USER));
    }

    private LocalIdentities(Path identityDir, IdentitySettings settings, AuditSink audit, Clock clock,
            PrintStream console, SecureRandom random, Identity consoleActor) throws IOException {
        this.consoleActor = consoleActor;
        this.store = new UserStore(identityDir);
        this.random = random;
        this.hasher = new PasswordHasher(settings.algorithm(), settings.pbkdf2Iterations(), settings.argon2MemoryKib(),
                settings.argon2Iterations(), settings.argon2Parallelism(), random);
        this.rules = new PasswordRules(settings.minPasswordLength());
        this.lockout = new Lockout(clock, settings.lockout());
        this.audit = audit;
        this.clock = clock;
        this.hashing = new Semaphore(settings.hashConcurrency(), true);
        // A damaged file stops here (the exception names it): it is never replaced by a fresh admin.
        this.loaded = store.version();
        this.users = checked(store.load());
        if (users.isEmpty() && consoleActor == null) {
            store.locked(() -> {
                // The command line may have created users meanwhile.
                this.loaded = store.version();
                this.users = checked(store.load());
                if (users.isEmpty()) {
                    firstStart(console);
                }
                return null;
            });
        }
    }

    /** The users by key; names must be unique ignoring case. */
    private Map<String, UserRecord> checked(List<UserRecord> list) throws IOException {
        Map<String, UserRecord> byKey = new LinkedHashMap<>();
        for (UserRecord u : list) {
            UserRecord twin = byKey.put(key(u.name()), u);
            if (twin != null) {
                throw new IOException(store.file() + ": user '" + u.name() + "' appears twice (names are unique "
                        + "ignoring case)");
            }
        }
        return byKey;
    }

    /** Loads users.yaml if another process (the command line) replaced it; see {@link #reload()}. */
    private void refresh() {
        try {
            if (!Objects.equals(store.version(), loaded)) {
                synchronized (lock) {
                    reload();
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", store.file(), e.toString());
        }
    }

    /**
     * With {@link #lock} held: takes the current version of the file when it differs from the one in memory and
     * passes the checks made at start; a damaged version is refused (logged once) and the users stay as they were.
     * A user whose password was changed elsewhere (a reset) is no longer locked out.
     */
    private void reload() throws IOException {
        UserStore.Version now = store.version();
        if (Objects.equals(now, loaded) || (now != null && now.equals(refused))) {
            return;
        }
        if (now == null) {
            LOG.warn("{} was removed; the users in memory are kept (a new admin is created only at a start "
                    + "without the file)", store.file());
            loaded = null;
            return;
        }
        Map<String, UserRecord> next;
        try {
            next = checked(store.load());
        } catch (IOException e) {
            refused = now;
            LOG.error("{}: the changed file is refused, the users stay as they were: {}", store.file(), e.getMessage());
            return;
        }
        for (UserRecord u : next.values()) {
            UserRecord before = users.get(key(u.name()));
            if (before != null && !Objects.equals(before.passwordHash(), u.passwordHash())) {
                lockout.success(u.name(), null);
            }
        }
        users = next;
        loaded = now;
        LOG.info("{} changed on disk: {} users and applications loaded", store.file(), next.size());
    }

    /** No user yet: create {@code admin} (SecurityAdmin only) with a one-time password shown on the console. */
    private void firstStart(PrintStream console) throws IOException {
        char[] password = generatePassword();
        try {
            Instant now = clock.instant();
            UserRecord admin = new UserRecord(ADMIN, Identity.Kind.USER, Set.of(Roles.SECURITY_ADMIN), true, true,
                    hasher.hash(password), List.of(), now, now);
            Map<String, UserRecord> next = new LinkedHashMap<>();
            next.put(key(ADMIN), admin);
            store.save(List.copyOf(next.values()));
            users = next;
            loaded = store.version();
            // The console only (the journal of a service, a terminal): the log file may be readable by others.
            console.println();
            console.println("==========================================================================");
            console.println(" CellGate first start: user 'admin' (role SecurityAdmin) was created.");
            console.println(" One-time password: " + new String(password));
            console.println(" It is shown only this once; it must be changed at the first login.");
            console.println("==========================================================================");
            console.println();
            console.flush();
        } finally {
            Arrays.fill(password, '\0');
        }
        LOG.info("first start: created user '{}' (SecurityAdmin) with a one-time password, printed once on the "
                + "console (never logged)", ADMIN);
        record(Identity.SYSTEM.name(), null, "user.create", "user:" + ADMIN, Result.SUCCESS,
                "first start, one-time password", null);
    }

    // ---- Authenticator ----------------------------------------------------------------------------------

    @Override
    public AuthResult authenticate(String user, char[] password, String source) {
        refresh();
        UserRecord u = checkPassword(user, password, source, "login");
        if (u == null) {
            return AuthResult.FAILED;
        }
        if (!record(u.name(), source, "login", "password", Result.SUCCESS,
                u.mustChangePassword() ? "must change password" : null, null)) {
            // Fail closed: a login that cannot be recorded does not happen.
            LOG.error("login of '{}' refused: the audit sink could not record it", u.name());
            return AuthResult.FAILED;
        }
        return AuthResult.success(u.identity(), u.mustChangePassword());
    }

    /** The user whose password this is, or null (the failure audited, counted and timed like any other). */
    private UserRecord checkPassword(String user, char[] password, String source, String action) {
        String who = printable(user);
        Lockout.Verdict verdict = lockout.check(user, source);
        if (verdict != Lockout.Verdict.OPEN) {
            record(who, source, action, "password", Result.DENIED, verdict == Lockout.Verdict.USER_LOCKED
                    ? "locked until " + lockout.lockedUntil(user) : "source must wait after repeated failures", null);
            return null;
        }
        UserRecord u = user == null ? null : users.get(key(user));
        boolean ok;
        String reason;
        try {
            if (!hashing.tryAcquire(HASH_WAIT_SECONDS, TimeUnit.SECONDS)) {
                record(who, source, action, "password", Result.FAILED, "too many logins at once", null);
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            if (password == null || password.length > PasswordRules.MAX_LENGTH) {
                hasher.verifyDummy(new char[0]);
                ok = false;
                reason = "wrong password";
            } else if (u == null || u.passwordHash() == null) {
                // The same work as for a real user, so that the answer time does not tell who exists.
                hasher.verifyDummy(password);
                ok = false;
                reason = u == null ? "unknown user" : "no password (certificate only)";
            } else {
                ok = hasher.verify(password, u.passwordHash());
                reason = ok ? null : "wrong password";
                if (ok && !u.enabled()) {
                    ok = false;
                    reason = "user disabled";
                }
            }
        } finally {
            hashing.release();
        }
        if (!ok) {
            Duration locked = lockout.failure(user, source);
            record(who, source, action, "password", Result.DENIED, reason, null);
            if (locked != null) {
                LOG.warn("user name '{}' locked for {} after repeated failed logins (last from {})", who,
                        locked, source);
                record(who, source, "login.lockout", "user:" + who, Result.DENIED,
                        "consecutive failed logins: locked for " + locked.toSeconds() + " s", null);
            }
            return null;
        }
        lockout.success(user, source);
        upgradeHash(u, password);
        return users.get(key(u.name()));
    }

    /** Re-hashes with the current algorithm and parameters after the defaults were raised. */
    private void upgradeHash(UserRecord u, char[] password) {
        if (!hasher.needsRehash(u.passwordHash())) {
            return;
        }
        String hash = hasher.hash(password);
        try {
            update(u.name(), r -> new UserRecord(r.name(), r.kind(), r.roles(), r.enabled(), r.mustChangePassword(),
                    hash, r.certificates(), r.created(), r.passwordChanged()));
            LOG.info("password hash of '{}' upgraded to the current parameters", u.name());
        } catch (RuntimeException e) {
            LOG.warn("could not upgrade the password hash of '{}': {}", u.name(), e.toString());
        }
    }

    @Override
    public Optional<Identity> forCertificate(X509Certificate certificate, String source) {
        refresh();
        String thumbprint = CertificateMapping.sha1(certificate);
        String resource = "certificate sha1:" + thumbprint;
        UserRecord match = null;
        for (UserRecord u : users.values()) {
            for (CertificateMapping m : u.certificates()) {
                if (m.matches(certificate)
                        && (match == null || m.type() == CertificateMapping.Type.THUMBPRINT)) {
                    match = u;
                }
            }
        }
        String reason = null;
        if (match == null) {
            reason = "certificate not mapped to a user (" + certificate.getSubjectX500Principal().getName() + ")";
        } else if (!match.enabled()) {
            reason = "user disabled";
        } else {
            try {
                certificate.checkValidity(Date.from(clock.instant()));
            } catch (CertificateException e) {
                reason = "certificate outside its validity period";
            }
        }
        String who = match == null ? printable(certificate.getSubjectX500Principal().getName()) : match.name();
        if (reason != null) {
            record(who, source, "login", resource, Result.DENIED, reason, null);
            return Optional.empty();
        }
        if (!record(who, source, "login", resource, Result.SUCCESS, null, null)) {
            LOG.error("certificate login of '{}' refused: the audit sink could not record it", who);
            return Optional.empty();
        }
        return Optional.of(match.identity());
    }

    @Override
    public void changeOwnPassword(String user, char[] oldPassword, char[] newPassword, String source) {
        UserRecord u = checkPassword(user, oldPassword, source, "password.change");
        if (u == null) {
            throw new SecurityException(AuthResult.FAILED_MESSAGE);
        }
        try {
            rules.check(u.name(), newPassword);
            if (Arrays.equals(oldPassword, newPassword)) {
                throw new PasswordRejectedException(PasswordRejectedException.Rule.UNCHANGED,
                        "the new password must differ from the old one");
            }
        } catch (PasswordRejectedException e) {
            record(u.name(), source, "password.change", "user:" + u.name(), Result.DENIED, e.getMessage(), null);
            throw e;
        }
        String hash = hasher.hash(newPassword);
        Instant now = clock.instant();
        update(u.name(), r -> r.withPassword(hash, false, now));
        record(u.name(), source, "password.change", "user:" + u.name(), Result.SUCCESS, null, null);
    }

    // ---- UserAdmin --------------------------------------------------------------------------------------

    @Override
    public List<UserInfo> users() {
        refresh();
        return users.values().stream().map(UserRecord::info).toList();
    }

    @Override
    public Optional<UserInfo> user(String name) {
        refresh();
        return Optional.ofNullable(name == null ? null : users.get(key(name))).map(UserRecord::info);
    }

    @Override
    public void createUser(Identity actor, String name, Set<String> roles, char[] password) {
        change(actor, "user.create", name, () -> {
            checkNew(name, roles);
            rules.check(name, password);
            Instant now = clock.instant();
            add(new UserRecord(name, Identity.Kind.USER, roles, true, false, hasher.hash(password), List.of(), now, now));
            return "roles " + sorted(roles);
        });
    }

    @Override
    public void createApplication(Identity actor, String name, Set<String> roles) {
        change(actor, "user.create", name, () -> {
            checkNew(name, roles);
            add(new UserRecord(name, Identity.Kind.APPLICATION, roles, true, false, null, List.of(), clock.instant(),
                    null));
            return "application, roles " + sorted(roles);
        });
    }

    @Override
    public void setPassword(Identity actor, String name, char[] password, boolean mustChange) {
        change(actor, "user.password", name, () -> {
            UserRecord u = existing(name);
            if (u.kind() == Identity.Kind.APPLICATION) {
                throw new IllegalArgumentException("'" + u.name() + "' is an application: it logs in by certificate");
            }
            rules.check(u.name(), password);
            String hash = hasher.hash(password);
            Instant now = clock.instant();
            update(u.name(), r -> r.withPassword(hash, mustChange, now));
            return mustChange ? "must change at next login" : null;
        });
    }

    /**
     * Gives {@code name} a generated one-time password that must be changed at the next login, and returns it: the
     * caller shows it once and clears it. It is never logged; the audit trail records that it was reset.
     */
    public char[] resetPassword(Identity actor, String name) {
        char[] password = generatePassword();
        try {
            change(actor, "user.password.reset", name, () -> {
                UserRecord u = existing(name);
                if (u.kind() == Identity.Kind.APPLICATION) {
                    throw new IllegalArgumentException("'" + u.name() + "' is an application: it logs in by certificate");
                }
                String hash = hasher.hash(password);
                Instant now = clock.instant();
                update(u.name(), r -> r.withPassword(hash, true, now));
                lockout.success(u.name(), null);
                return "generated one-time password, must change at next login" + (u.enabled() ? "" : " (user disabled)");
            });
        } catch (RuntimeException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
        return password;
    }

    /** Until when {@code name} is locked after failed logins, or empty. */
    public Optional<Instant> lockedUntil(String name) {
        return Optional.ofNullable(name == null ? null : lockout.lockedUntil(name));
    }

    /** Lifts the lockout of an existing user at once (an admin who checked with the person). */
    public void unlock(Identity actor, String name) {
        change(actor, "user.unlock", name, () -> {
            UserRecord u = existing(name);
            Instant until = lockout.lockedUntil(u.name());
            lockout.success(u.name(), null);
            return until == null ? "was not locked" : "was locked until " + until;
        });
    }

    @Override
    public void setRoles(Identity actor, String name, Set<String> roles) {
        change(actor, "user.roles", name, () -> {
            checkRoles(roles);
            update(existing(name).name(), r -> r.withRoles(roles));
            return "roles " + sorted(roles);
        });
    }

    @Override
    public void setEnabled(Identity actor, String name, boolean enabled) {
        change(actor, enabled ? "user.enable" : "user.disable", name, () -> {
            update(existing(name).name(), r -> r.withEnabled(enabled));
            return null;
        });
    }

    @Override
    public void remove(Identity actor, String name) {
        change(actor, "user.remove", name, () -> {
            UserRecord u = existing(name);
            Map<String, UserRecord> next = new LinkedHashMap<>(users);
            next.remove(key(u.name()));
            commit(next);
            return null;
        });
    }

    @Override
    public void mapCertificate(Identity actor, String name, CertificateMapping mapping) {
        change(actor, "user.certificate.map", name, () -> {
            UserRecord u = existing(name);
            for (UserRecord other : users.values()) {
                if (other.certificates().contains(mapping)) {
                    throw new IllegalArgumentException(mapping + " is already mapped to '" + other.name() + "'");
                }
            }
            List<CertificateMapping> certs = new ArrayList<>(u.certificates());
            certs.add(mapping);
            update(u.name(), r -> r.withCertificates(certs));
            return mapping.toString();
        });
    }

    @Override
    public void unmapCertificate(Identity actor, String name, CertificateMapping mapping) {
        change(actor, "user.certificate.unmap", name, () -> {
            UserRecord u = existing(name);
            if (!u.certificates().contains(mapping)) {
                throw new IllegalArgumentException(mapping + " is not mapped to '" + u.name() + "'");
            }
            List<CertificateMapping> certs = new ArrayList<>(u.certificates());
            certs.remove(mapping);
            update(u.name(), r -> r.withCertificates(certs));
            return mapping.toString();
        });
    }

    @Override
    public Optional<char[]> ensureUser(String name, Set<String> roles) {
        synchronized (lock) {
            if (name != null && users.containsKey(key(name))) {
                return Optional.empty();
            }
            char[] password = generatePassword();
            try {
                change(Identity.SYSTEM, "user.create", name, () -> {
                    checkNew(name, roles);
                    Instant now = clock.instant();
                    add(new UserRecord(name, Identity.Kind.USER, roles, true, false, hasher.hash(password), List.of(),
                            now, now));
                    return "generated password, roles " + sorted(roles);
                });
            } catch (RuntimeException e) {
                Arrays.fill(password, '\0');
                throw e;
            }
            return Optional.of(password);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private interface Change {
        /** Performs the change (persisting it); returns a detail for the audit record, or null. */
        String run();
    }

    /** Authorises, runs and audits one administrative change; bad input and refusals are audited too. */
    private void change(Identity actor, String action, String name, Change change) {
        String resource = "user:" + printable(name);
        String who = actor == null ? "unknown" : actor.name();
        synchronized (lock) {
            try {
                store.locked(() -> {
                    reload();
                    changeLocked(actor, action, resource, who, change);
                    return null;
                });
            } catch (IOException e) {
                throw new UncheckedIOException("could not change " + store.file() + ": " + e.getMessage(), e);
            }
        }
    }

    private void changeLocked(Identity actor, String action, String resource, String who, Change change) {
        if (!mayAdminister(actor)) {
            record(who, null, action, resource, Result.DENIED, "actor does not hold " + Roles.SECURITY_ADMIN, null);
            throw new SecurityException("'" + who + "' may not manage users: that needs the "
                    + Roles.SECURITY_ADMIN + " role");
        }
        String detail;
        try {
            detail = change.run();
        } catch (RuntimeException e) {
            record(who, null, action, resource, Result.FAILED, e.getMessage(), null);
            throw e;
        }
        if (!record(who, null, action, resource, Result.SUCCESS, detail, null)) {
            LOG.error("{} of {} by {} was applied but the audit sink could not record it", action, resource, who);
        }
    }

    /** {@link Identity#SYSTEM}, or a current, enabled user with SecurityAdmin who has no one-time password. */
    private boolean mayAdminister(Identity actor) {
        if (Identity.SYSTEM.equals(actor) || (consoleActor != null && actor == consoleActor)) {
            return true;
        }
        if (actor == null) {
            return false;
        }
        UserRecord u = users.get(key(actor.name()));
        return u != null && u.enabled() && !u.mustChangePassword() && u.roles().contains(Roles.SECURITY_ADMIN);
    }

    private void checkNew(String name, Set<String> roles) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a valid user name: use 1 to 64 letters, "
                    + "digits, '_', '.', '@', '-', starting with a letter or digit");
        }
        if (key(name).equals(Identity.SYSTEM.name())) {
            // Reserved: an application of that name would be indistinguishable from the gateway itself.
            throw new IllegalArgumentException("name: '" + name + "' is reserved for the gateway itself");
        }
        UserRecord existing = users.get(key(name));
        if (existing != null) {
            throw new IllegalArgumentException("name: user '" + existing.name() + "' exists already");
        }
        checkRoles(roles);
    }

    private static void checkRoles(Set<String> roles) {
        for (String r : roles) {
            if (!Roles.ALL.contains(r)) {
                throw new IllegalArgumentException("roles: unknown role '" + r + "': use one of "
                        + String.join(", ", Roles.ALL));
            }
        }
    }

    private UserRecord existing(String name) {
        UserRecord u = name == null ? null : users.get(key(name));
        if (u == null) {
            throw new IllegalArgumentException("name: there is no user '" + printable(name) + "'");
        }
        return u;
    }

    private void add(UserRecord u) {
        Map<String, UserRecord> next = new LinkedHashMap<>(users);
        next.put(key(u.name()), u);
        commit(next);
    }

    private void update(String name, UnaryOperator<UserRecord> change) {
        synchronized (lock) {
            try {
                store.locked(() -> {
                    reload();
                    Map<String, UserRecord> next = new LinkedHashMap<>(users);
                    next.computeIfPresent(key(name), (k, r) -> change.apply(r));
                    commit(next);
                    return null;
                });
            } catch (IOException e) {
                throw new UncheckedIOException("could not change " + store.file() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Saves {@code next} and makes it current, unless it would leave nobody to manage users. */
    private void commit(Map<String, UserRecord> next) {
        boolean hadAdmin = users.values().stream().anyMatch(LocalIdentities::activeAdmin);
        if (hadAdmin && next.values().stream().noneMatch(LocalIdentities::activeAdmin)) {
            throw new IllegalStateException("refused: no enabled user would hold " + Roles.SECURITY_ADMIN
                    + " any more, and nobody could manage users");
        }
        try {
            store.save(List.copyOf(next.values()));
            loaded = store.version();
        } catch (IOException e) {
            throw new UncheckedIOException("could not save " + store.file() + ": " + e.getMessage(), e);
        }
        users = next;
    }

    private static boolean activeAdmin(UserRecord u) {
        return u.enabled() && u.kind() == Identity.Kind.USER && u.roles().contains(Roles.SECURITY_ADMIN);
    }

    private boolean record(String identity, String source, String action, String resource, Result result,
            String reason, String rule) {
        try {
            return audit.record(new AuditEvent(clock.instant(), identity, source, action, resource, result, reason, rule));
        } catch (RuntimeException e) {
            LOG.error("the audit sink failed: {}", e.toString());
            return false;
        }
    }

    /** The person at the console, for {@link #forCommandLine} instances; null in the gateway. */
    Identity consoleActor() {
        return consoleActor;
    }

    Path file() {
        return store.file();
    }

    /** 24 random characters in groups of four (about 140 bits), easy to read off a console. */
    private char[] generatePassword() {
        return generated(random);
    }

    static char[] generated(SecureRandom random) {
        char[] p = new char[29];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % 5 == 4 ? '-' : ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return p;
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static String sorted(Set<String> roles) {
        return roles.stream().sorted().toList().toString();
    }

    /** A name as typed, safe for the log and the audit trail: no control characters, at most 64 characters. */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
