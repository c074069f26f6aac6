package io.cellgate.pki.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.audit.preflight.AuditPreflight;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.TrustStore;

/**
 * {@code cellgate pki ...}: administration of {@code <state>/pki} from the executable's command mode (and from
 * {@link PkiTool} on a plain classpath). Works while the gateway runs: it reads the trust lists from the
 * directories at every validation, so a certificate trusted here is accepted at the client's next attempt.
 */
@Component(service = CliCommand.class, property = CliCommand.NAME + "=" + PkiCommand.NAME)
public final class PkiCommand implements CliCommand {

    /** Where changes are recorded when the runtime offers no audit inbox ({@link CliContext#audit()}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditSink audit;

    static final String NAME = "pki";

    static final String COMMANDS = """
              list                     every certificate in trusted, issuers and rejected
              trust THUMBPRINT         move a rejected certificate to trusted (a client the gateway refused)
              reject THUMBPRINT        move a trusted certificate to rejected
              remove THUMBPRINT        delete a certificate from every list
              show                     the gateway certificate: subject, thumbprint, URI, expiry
              csr [--out FILE]         a PKCS#10 request (PEM) for the gateway key
              install-cert FILE        install the CA-signed certificate chain (PEM, gateway certificate first)
              add-trusted FILE         add a certificate (DER or PEM) to trusted
              add-issuer FILE          add a CA certificate (DER or PEM) to issuers
              add-crl FILE [--issuer]  add a CRL to trusted/crl (or issuers/crl)
            A change is refused (nothing changed, exit status 1) when its audit record cannot be written.
            exit status: 0 done, 1 refused or failed, 2 usage error""";

    static final String USAGE = "usage: cellgate pki COMMAND [ARG] [--state DIR]   (works on DIR/pki)\n" + COMMANDS;

    @Override
    public String summary() {
        return "the gateway certificate and the trust lists (list, trust, reject, remove, show, csr, install-cert)";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(CliContext context) {
        List<String> args = context.args();
        if (args.isEmpty()) {
            context.err().println("pki: a command is missing\n" + USAGE);
            return USAGE_ERROR;
        }
        if (args.contains("--help") || args.contains("-h")) {
            context.out().println(USAGE);
            return OK;
        }
        if (!Files.isDirectory(context.stateDir())) {
            context.err().println("error: the state directory " + context.stateDir() + " does not exist (--state DIR; "
                    + "the Debian package keeps it in /var/lib/cellgate)");
            return FAILED;
        }
        // the invocation's sink (the audit inbox the running gateway imports into its trail), else the bound one
        AuditSink sink = context.audit().orElse(audit);
        // without its argument a change fails as a usage error before it changes anything
        if (CHANGES.contains(args.get(0)) && args.size() > 1) {
            try {
                AuditPreflight.check(sink);
            } catch (IOException e) {
                context.err().println("error: " + e.getMessage() + ": the change is refused, nothing was changed "
                        + "(fail closed)");
                return FAILED;
            }
        }
        List<AuditEvent> unrecorded = new ArrayList<>();
        AuditSink noted = sink == null ? null : e -> {
            boolean recorded = sink.record(e);
            if (!recorded) {
                unrecorded.add(e);
            }
            return recorded;
        };
        int status = execute(context.stateDir(), args, context.out(), context.err(), USAGE, () -> noted,
                "cli:" + System.getProperty("user.name"));
        for (AuditEvent e : unrecorded) {
            // the sink failed after the check (a race): the outcome stands, and must not pass unnoticed
            context.err().println("error: AUDIT RECORD MISSING: " + e.action() + " " + e.resource() + " " + e.result()
                    + (e.result() == AuditEvent.Result.SUCCESS ? ": the change HAS BEEN MADE but is not"
                            : ": nothing was changed, but the refusal is not")
                    + " in the audit trail (see AUDIT EVENT NOT RECORDED above); tell the security officer");
            status = FAILED;
        }
        return status;
    }

    /** The commands that change the trust lists or the gateway certificate; the others only read. */
    static final Set<String> CHANGES = Set.of("trust", "reject", "remove", "add-trusted", "add-issuer", "add-crl",
            "install-cert");

    private static final int USAGE_ERROR = CliCommand.USAGE;

    /**
     * Runs one command on {@code <state>/pki}.
     *
     * @param args  the command and its arguments
     * @param usage printed after a usage error
     */
    static int execute(Path state, List<String> args, PrintStream out, PrintStream err, String usage) {
        return execute(state, args, out, err, usage, () -> null, "cli:" + System.getProperty("user.name"));
    }

    /**
     * Runs one command on {@code <state>/pki}; changes of the trust lists and the certificate are audit records of
     * {@code identity} (in command mode the audit inbox, which the running gateway imports into its trail).
     */
    static int execute(Path state, List<String> args, PrintStream out, PrintStream err, String usage,
            Supplier<AuditSink> audit, String identity) {
        List<String> rest = new ArrayList<>(args);
        String command = rest.remove(0);
        Path pkiDir = state.resolve("pki");
        try {
            switch (command) {
                case "show" -> show(FilePki.open(pkiDir), out);
                case "list" -> list(new FileTrustStore(pkiDir), out);
                case "trust" -> out.println("trusted: " + line(audited(pkiDir, audit, identity).trust(arg(rest, command))));
                case "reject" -> out.println("rejected: " + line(audited(pkiDir, audit, identity).reject(arg(rest, command))));
                case "remove" -> {
                    List<CertificateEntry> removed = audited(pkiDir, audit, identity).remove(arg(rest, command));
                    if (removed.isEmpty()) {
                        err.println("no certificate with thumbprint " + Certs.normaliseThumbprint(rest.get(0)) + " in "
                                + pkiDir);
                        return FAILED;
                    }
                    removed.forEach(e -> out.println("removed: " + line(e)));
                }
                case "add-trusted", "add-issuer" -> {
                    Path file = Path.of(arg(rest, command));
                    TrustList list = command.equals("add-trusted") ? TrustList.TRUSTED : TrustList.ISSUER;
                    TrustStore store = audited(pkiDir, audit, identity);
                    for (X509Certificate c : Certs.parseCertificates(Files.readAllBytes(file), file.toString())) {
                        out.println("added to " + list.name().toLowerCase(Locale.ROOT) + ": " + store.add(list, c) + " "
                                + c.getSubjectX500Principal().getName());
                    }
                }
                case "add-crl" -> {
                    boolean issuer = rest.remove("--issuer");
                    Path file = Path.of(arg(rest, command));
                    TrustStore store = audited(pkiDir, audit, identity);
                    for (var crl : Certs.parseCrls(Files.readAllBytes(file), file.toString())) {
                        store.addCrl(issuer ? TrustList.ISSUER : TrustList.TRUSTED, crl);
                        out.println("added CRL of " + crl.getIssuerX500Principal().getName() + " to "
                                + (issuer ? "issuers/crl" : "trusted/crl"));
                    }
                }
                case "csr" -> {
                    int o = rest.indexOf("--out");
                    if (o >= 0 && o + 1 >= rest.size()) {
                        throw new UsageException("csr: --out needs a file");
                    }
                    String pem = FilePki.open(pkiDir).createCsr();
                    if (o >= 0) {
                        Files.writeString(Path.of(rest.get(o + 1)), pem, StandardCharsets.US_ASCII);
                        out.println("wrote " + rest.get(o + 1));
                    } else {
                        out.print(pem);
                    }
                }
                case "install-cert" -> {
                    Path file = Path.of(arg(rest, command));
                    FilePki pki = FilePki.open(pkiDir);
                    pki.installFrom(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
                    AuditedTrustStore.installed(audit, identity, pki.thumbprint(),
                            pki.certificate().getSubjectX500Principal().getName());
                    out.println("installed; restart the gateway to use it");
                    show(pki, out);
                }
                default -> {
                    err.println("unknown command '" + command + "'\n" + usage);
                    return USAGE_ERROR;
                }
            }
            return OK;
        } catch (UsageException e) {
            err.println(e.getMessage() + "\n" + usage);
            return USAGE_ERROR;
        } catch (PkiException | IOException e) {
            err.println("error: " + e.getMessage());
            return FAILED;
        }
    }

    private static TrustStore audited(Path pkiDir, Supplier<AuditSink> audit, String identity) throws IOException {
        return new AuditedTrustStore(new FileTrustStore(pkiDir), audit, identity);
    }

    private static String arg(List<String> rest, String command) {
        if (rest.isEmpty()) {
            throw new UsageException(command + ": missing argument");
        }
        return rest.get(0);
    }

    private static void show(FilePki pki, PrintStream out) {
        X509Certificate c = pki.certificate();
        out.println("subject:         " + c.getSubjectX500Principal().getName());
        out.println("issuer:          " + c.getIssuerX500Principal().getName());
        out.println("thumbprint:      " + pki.thumbprint());
        out.println("application URI: " + pki.applicationUri());
        out.println("DNS names:       " + Certs.subjectAltNames(c, Certs.SAN_DNS));
        out.println("IP addresses:    " + Certs.subjectAltNames(c, Certs.SAN_IP));
        out.println("valid:           " + c.getNotBefore().toInstant() + " .. " + c.getNotAfter().toInstant()
                + " (" + pki.daysUntilExpiry() + " days left)");
        out.println("chain:           " + pki.chain().length + " certificate(s)");
    }

    private static void list(FileTrustStore store, PrintStream out) {
        int n = 0;
        for (TrustList list : TrustList.values()) {
            for (CertificateEntry e : store.list(list)) {
                out.println(String.format("%-9s %s", list.name().toLowerCase(Locale.ROOT), line(e)));
                n++;
            }
        }
        if (n == 0) {
            out.println("no certificates in " + store.baseDir() + " (trusted, issuers, rejected are empty)");
        }
    }

    private static String line(CertificateEntry e) {
        return e.thumbprint() + "  " + e.subject() + "  until " + e.notAfter() + "  " + e.applicationUri().orElse("");
    }

    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
