package io.cellgate.boundary.internal;

import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.config.CellConfigLoader;
import io.cellgate.config.FirewallSettings;
import io.cellgate.config.LoadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;

/**
 * {@code cellgate firewall print|check}: the gateway host's nftables ruleset generated from the cell
 * configuration, and the drift between it and the running one. Never changes the host's ruleset itself: loading
 * it is the administrator's step ({@code nft -f}), see docs/boundary.md.
 */
@Component(service = CliCommand.class, property = CliCommand.NAME + "=" + FirewallCommand.NAME)
public final class FirewallCommand implements CliCommand {

    static final String NAME = "firewall";

    /** The Debian package's configuration directory, used when --config is not given. */
    static final Path DEFAULT_CONFIG = Path.of("/etc/cellgate");

    static final String USAGE = """
            usage: cellgate firewall print|check [--config DIR] [--north IF --south IF] [OPTIONS]
              print                 the nftables ruleset (table inet cellgate) for this cell, for nft -f
              check                 compare it with the running table: exit 0 no drift, 1 drift or nft failed
              --config DIR          the configuration directory (default /etc/cellgate)
              The firewall: section of cell.yaml gives the settings below; an option given here overrides it.
              --north IF            the plant-side interface: OPC UA and console in, MQTT to the brokers out
              --south IF            the cell-side interface: only the TCP device endpoints out
              --admin-subnet CIDR   the console (and --ssh) only from this prefix (repeatable; default anywhere)
              --opcua-subnet CIDR   OPC UA clients only from this prefix (repeatable; default anywhere)
              --console-port N      the admin console's port (default 8443); --no-console: no console rule
              --ssh PORT            accept SSH on north (from the admin subnets)
              --dns ADDR            allow DNS (UDP/TCP 53) to this server over north (repeatable)
              --ntp ADDR            allow NTP (UDP 123) to this server over north (repeatable)
              --dhcp IF             the host is a DHCP client on IF (north or south)
              --resolve             resolve host names now (default: every host must be an IP address)
              --out FILE            print: write the ruleset to FILE instead of standard output
              --running FILE        check: read `nft list table inet cellgate` output from FILE (- = stdin)
                                    instead of running nft (which needs root)
            exit status: 0 done (no drift), 1 refused, failed or drift, 2 usage error""";

    private final Supplier<Nft> nft;
    private final RulesetGenerator generator;
    private final Supplier<InputStream> stdin;

    public FirewallCommand() {
        this(Nft::new, new RulesetGenerator(), () -> System.in);
    }

    FirewallCommand(Supplier<Nft> nft, RulesetGenerator generator, Supplier<InputStream> stdin) {
        this.nft = nft;
        this.generator = generator;
        this.stdin = stdin;
    }

    @Override
    public String summary() {
        return "the host firewall (nftables) of the cell boundary: print it, check the running one for drift";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The parsed command line. The settings are null (lists empty) where not given, so that the file's
     * {@code firewall:} section fills them in.
     */
    private record Args(String action, Path config, String north, String south, Integer consolePort, boolean noConsole,
            List<Addresses.Cidr> admin, List<Addresses.Cidr> opcua, Integer ssh, List<String> dns, List<String> ntp,
            List<String> dhcp, boolean resolve, String running, Path out) {

        /** These options over the file's section (null: none); null when an interface is given nowhere. */
        FirewallOptions over(FirewallSettings file) {
            String n = north != null ? north : file == null ? null : file.north();
            String s = south != null ? south : file == null ? null : file.south();
            if (n == null || s == null) {
                return null;
            }
            Integer console;
            if (noConsole) {
                console = null;
            } else if (consolePort != null) {
                console = consolePort;
            } else if (file != null && !file.console()) {
                console = null;
            } else {
                console = file != null && file.consolePort() != null ? file.consolePort()
                        : FirewallOptions.DEFAULT_CONSOLE_PORT;
            }
            return new FirewallOptions(n, s, console, or(admin, file, f -> cidrs(f.adminSubnets())),
                    or(opcua, file, f -> cidrs(f.opcuaSubnets())),
                    ssh != null ? ssh : file == null ? null : file.sshPort(), or(dns, file, FirewallSettings::dnsServers),
                    or(ntp, file, FirewallSettings::ntpServers), or(dhcp, file, FirewallSettings::dhcp),
                    resolve || file != null && file.resolveNames());
        }

        private static <T> List<T> or(List<T> given, FirewallSettings file,
                java.util.function.Function<FirewallSettings, List<T>> fromFile) {
            return !given.isEmpty() || file == null ? given : fromFile.apply(file);
        }

        /** The loader has validated them: every one parses. */
        private static List<Addresses.Cidr> cidrs(List<String> values) {
            return values.stream().map(Addresses.Cidr::parse).toList();
        }
    }

    @Override
    public int run(CliContext context) {
        PrintStream out = context.out();
        PrintStream err = context.err();
        List<String> a = context.args();
        if (a.contains("--help") || a.contains("-h")) {
            out.println(USAGE);
            return OK;
        }
        Args args;
        try {
            args = parse(a);
        } catch (UsageException e) {
            err.println("firewall: " + e.getMessage() + "\n" + USAGE);
            return CliCommand.USAGE;
        }
        LoadResult loaded = CellConfigLoader.load(args.config());
        if (!loaded.isValid()) {
            err.println("error: the configuration in " + args.config() + " is invalid; no ruleset generated:\n"
                    + loaded.errorReport());
            return FAILED;
        }
        FirewallOptions options = args.over(loaded.firewall().orElse(null));
        if (options == null) {
            err.println("firewall: --north IF and --south IF are required (the interface names, see ip -br link), "
                    + "unless the firewall: section of " + args.config().resolve("cell.yaml") + " names them\n" + USAGE);
            return CliCommand.USAGE;
        }
        Ruleset ruleset;
        try {
            ruleset = generator.generate(Cell.from(loaded), options);
        } catch (BoundaryException e) {
            err.println("error: no ruleset generated for " + args.config() + ":");
            e.problems().forEach(p -> err.println("  " + p));
            return FAILED;
        }
        if (args.action().equals("print")) {
            if (args.out() == null) {
                out.print(ruleset.render());
                return OK;
            }
            // A file, not standard output, is immune to anything else the JVM prints there.
            try {
                Files.writeString(args.out(), ruleset.render(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: cannot write --out " + args.out() + ": " + e);
                return FAILED;
            }
            out.println("wrote the ruleset for cell '" + loaded.config().orElseThrow().cellId() + "' to " + args.out());
            return OK;
        }
        return check(ruleset, args.running(), out, err);
    }

    private int check(Ruleset wanted, String runningFile, PrintStream out, PrintStream err) {
        String listing;
        if (runningFile != null) {
            try {
                listing = runningFile.equals("-") ? new String(stdin.get().readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(runningFile), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("error: cannot read --running " + runningFile + ": " + e);
                return FAILED;
            }
            if (!listing.contains("table " + Ruleset.TABLE)) {
                err.println("drift: table " + Ruleset.TABLE + " is not loaded (--running " + runningFile
                        + " has no such table): the boundary is not enforced");
                return FAILED;
            }
        } else {
            Nft.Listing l;
            try {
                l = nft.get().listTable();
            } catch (Nft.Unavailable e) {
                err.println("error: " + e.getMessage());
                return FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("error: interrupted while running nft");
                return FAILED;
            }
            if (l.status() != 0) {
                String e = l.err().strip();
                if (e.contains("Operation not permitted") || e.contains("Permission denied")) {
                    err.println("error: nft needs root to read the ruleset (" + firstLine(e) + "). Run as root, or "
                            + "pipe it in: sudo nft list table inet cellgate | cellgate firewall check ... --running -");
                } else if (e.contains("No such file or directory")) {
                    err.println("drift: table " + Ruleset.TABLE + " is not loaded: the boundary is not enforced "
                            + "(load it: cellgate firewall print ... > cellgate.nft && nft -f cellgate.nft)");
                } else {
                    err.println("error: nft list table inet cellgate failed (exit " + l.status() + "): " + e);
                }
                return FAILED;
            }
            listing = l.out();
        }
        List<String> drift = wanted.drift(Ruleset.parse(listing));
        if (drift.isEmpty()) {
            int rules = wanted.chains().stream().mapToInt(c -> c.rules().size()).sum();
            out.println("no drift: the running table " + Ruleset.TABLE + " matches the generated ruleset ("
                    + wanted.chains().size() + " chains, " + rules + " rules)");
            return OK;
        }
        out.println("drift: the running table " + Ruleset.TABLE + " differs from the generated ruleset ("
                + drift.size() + (drift.size() == 1 ? " difference):" : " differences):"));
        drift.forEach(d -> out.println("  " + d));
        return FAILED;
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static Args parse(List<String> a) throws UsageException {
        if (a.isEmpty()) {
            throw new UsageException("print or check is missing");
        }
        String action = a.get(0);
        if (!action.equals("print") && !action.equals("check")) {
            throw new UsageException("unknown action '" + action + "': use print or check");
        }
        Path config = DEFAULT_CONFIG;
        String north = null;
        String south = null;
        Integer console = null;
        boolean noConsole = false;
        Integer ssh = null;
        boolean resolve = false;
        String running = null;
        Path outFile = null;
        List<Addresses.Cidr> admin = new ArrayList<>();
        List<Addresses.Cidr> opcua = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        List<String> ntp = new ArrayList<>();
        List<String> dhcp = new ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            String opt = a.get(i);
            switch (opt) {
                case "--resolve" -> resolve = true;
                case "--no-console" -> noConsole = true;
                case "--config", "--north", "--south", "--admin-subnet", "--opcua-subnet", "--console-port", "--ssh",
                        "--dns", "--ntp", "--dhcp", "--running", "--out" -> {
                    if (i + 1 >= a.size() || a.get(i + 1).startsWith("--")) {
                        throw new UsageException(opt + " needs a value");
                    }
                    String v = a.get(++i);
                    switch (opt) {
                        case "--config" -> config = Path.of(v).toAbsolutePath();
                        case "--north" -> north = v;
                        case "--south" -> south = v;
                        case "--admin-subnet" -> admin.add(cidr(opt, v));
                        case "--opcua-subnet" -> opcua.add(cidr(opt, v));
                        case "--console-port" -> console = port(opt, v);
                        case "--ssh" -> ssh = port(opt, v);
                        case "--dns" -> dns.add(v);
                        case "--ntp" -> ntp.add(v);
                        case "--dhcp" -> dhcp.add(v);
                        case "--running" -> running = v;
                        case "--out" -> outFile = Path.of(v).toAbsolutePath();
                        default -> throw new IllegalStateException(opt);
                    }
                }
                default -> throw new UsageException("unknown option '" + opt + "'");
            }
        }
        if (running != null && action.equals("print")) {
            throw new UsageException("--running goes with check only");
        }
        if (outFile != null && action.equals("check")) {
            throw new UsageException("--out goes with print only");
        }
        return new Args(action, config, north, south, console, noConsole, admin, opcua, ssh, dns, ntp, dhcp, resolve,
                running, outFile);
    }

    private static Addresses.Cidr cidr(String opt, String v) throws UsageException {
        try {
            return Addresses.Cidr.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(opt + " " + e.getMessage());
        }
    }

    private static int port(String opt, String v) throws UsageException {
        if (!v.matches("\\d{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 65535) {
            throw new UsageException(opt + " '" + v + "' is not a port 1..65535");
        }
        return Integer.parseInt(v);
    }
}
