package io.cellgate.pki.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;

/**
 * Command-line administration of the PKI directory, without OSGi: works on {@code <state>/pki} while
 * the gateway runs (the trust lists are re-read on every validation) or while it is stopped.
 */
public final class PkiTool {

    static final String USAGE = """
            usage: PkiTool --state DIR COMMAND
              show                     the gateway certificate: subject, thumbprint, URI, expiry
              list                     every certificate in trusted, issuers and rejected
              trust THUMBPRINT         move a rejected certificate to trusted
              reject THUMBPRINT        move a trusted certificate to rejected
              remove THUMBPRINT        delete a certificate from every list
              add-trusted FILE         add a certificate (DER or PEM) to trusted
              add-issuer FILE          add a CA certificate (DER or PEM) to issuers
              add-crl FILE [--issuer]  add a CRL to trusted/crl (or issuers/crl)
              csr [--out FILE]         a PKCS#10 request (PEM) for the gateway key
              install-cert FILE        install the CA-signed certificate chain (PEM, gateway certificate first)
            exit status: 0 done, 1 refused or failed, 2 usage error""";

    private PkiTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        Path state = null;
        int i = rest.indexOf("--state");
        if (i >= 0 && i + 1 < rest.size()) {
            state = Path.of(rest.get(i + 1));
            rest.remove(i + 1);
            rest.remove(i);
        }
        if (state == null || rest.isEmpty() || rest.contains("--help")) {
            err.println(USAGE);
            return 2;
        }
        String command = rest.remove(0);
        Path pkiDir = state.resolve("pki");
        try {
            switch (command) {
                case "show" -> show(FilePki.open(pkiDir), out);
                case "list" -> list(new FileTrustStore(pkiDir), out);
                case "trust" -> out.println("trusted: " + line(new FileTrustStore(pkiDir).trust(arg(rest, command))));
                case "reject" -> out.println("rejected: " + line(new FileTrustStore(pkiDir).reject(arg(rest, command))));
                case "remove" -> {
                    List<CertificateEntry> removed = new FileTrustStore(pkiDir).remove(arg(rest, command));
                    if (removed.isEmpty()) {
                        err.println("no certificate with thumbprint " + Certs.normaliseThumbprint(rest.get(0)));
                        return 1;
                    }
                    removed.forEach(e -> out.println("removed: " + line(e)));
                }
                case "add-trusted", "add-issuer" -> {
                    Path file = Path.of(arg(rest, command));
                    TrustList list = command.equals("add-trusted") ? TrustList.TRUSTED : TrustList.ISSUER;
                    FileTrustStore store = new FileTrustStore(pkiDir);
                    for (X509Certificate c : Certs.parseCertificates(Files.readAllBytes(file), file.toString())) {
                        out.println("added to " + list.name().toLowerCase() + ": " + store.add(list, c) + " "
                                + c.getSubjectX500Principal().getName());
                    }
                }
                case "add-crl" -> {
                    boolean issuer = rest.remove("--issuer");
                    Path file = Path.of(arg(rest, command));
                    FileTrustStore store = new FileTrustStore(pkiDir);
                    for (var crl : Certs.parseCrls(Files.readAllBytes(file), file.toString())) {
                        store.addCrl(issuer ? TrustList.ISSUER : TrustList.TRUSTED, crl);
                        out.println("added CRL of " + crl.getIssuerX500Principal().getName() + " to "
                                + (issuer ? "issuers/crl" : "trusted/crl"));
                    }
                }
                case "csr" -> {
                    String pem = FilePki.open(pkiDir).createCsr();
                    int o = rest.indexOf("--out");
                    if (o >= 0 && o + 1 < rest.size()) {
                        Files.writeString(Path.of(rest.get(o + 1)), pem, StandardCharsets.US_ASCII);
                        out.println("wrote " + rest.get(o + 1));
                    } else {
                        out.print(pem);
                    }
                }
                case "install-cert" -> {
                    Path file = Path.of(arg(rest, command));
                    FilePki pki = FilePki.open(pkiDir);
                    pki.installSignedCertificate(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
                    out.println("installed; restart the gateway to use it");
                    show(pki, out);
                }
                default -> {
                    err.println("unknown command '" + command + "'\n" + USAGE);
                    return 2;
                }
            }
            return 0;
        } catch (UsageException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (PkiException | IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
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
        for (TrustList list : TrustList.values()) {
            for (CertificateEntry e : store.list(list)) {
                out.println(String.format("%-9s %s", list.name().toLowerCase(), line(e)));
            }
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
