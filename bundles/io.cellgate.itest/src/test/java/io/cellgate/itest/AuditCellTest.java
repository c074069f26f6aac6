package io.cellgate.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditQuery;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import io.cellgate.api.config.ProfileRegistry;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.api.write.WriteAccessCheck;
import io.cellgate.api.write.WriteRequest;
import io.cellgate.api.write.WriteResult;
import io.cellgate.api.write.WriteService;
import io.cellgate.config.ConfigurationService;
import io.cellgate.identity.Authenticator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The audit trail of the running gateway: the real bundles (config, core, driver, simulator, identity, audit) on
 * Felix, with the state directory of this test. Events of the gateway land as hash-chained records in
 * {@code <state>/audit}, and the {@code cellgate audit verify} command finds the chain intact.
 */
class AuditCellTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OPERATOR = "audit-itest-operator";

    private static final CellFixture cell = new CellFixture(AuditCellTest.class, WAIT);
    private static final BundleContext context = cell.context();
    private static ServiceRegistration<WriteAccessCheck> allow;
    private static Path state;
    private static Path cellDir;

    @BeforeAll
    static void startCell() throws Exception {
        state = Files.createTempDirectory("audit-cell-state");
        cellDir = Files.createTempDirectory("audit-cell");
        int simPort = CellFixture.freePort();
        CellFixture.writeProfile(cellDir, "audit-meter", "Audit test meter", """
                  - { name: setpoint, area: holding_register, address: 20, type: int16, access: read_write, min: 0, max: 100 }
                """);
        Files.writeString(cellDir.resolve("cell.yaml"), """
                cell:
                  id: audit-itest
                  name: Audit test cell
                pollGroups:
                  fast: 200ms
                defaults:
                  timeout: 300ms
                  retries: 0
                devices:
                  - id: press
                    profile: audit-meter
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                    unitId: 1
                opcua: { bindAddress: 127.0.0.1, hostname: 127.0.0.1, port: %d }
                """.formatted(simPort, CellFixture.freePort()));
        cell.configureFactory("cellgate.simulator", "audit",
                Map.of("port", simPort, "profile", "audit-meter", "unit.ids", new int[] {1}));
        cell.configure("cellgate.runtime", Map.of("state.dir", state.toString()));
        cell.configure("cellgate.config", Map.of("directory", cellDir.toString(), "watch.interval", 500L));
        // Stands in for the policy engine, ranked above any other check, so the write reaches the device.
        Hashtable<String, Object> ranking = new Hashtable<>();
        ranking.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        allow = context.registerService(WriteAccessCheck.class,
                (request, tag) -> new WriteAccessCheck.Decision(true, "audit-itest-allow", "allowed by the test"), ranking);
        // The trail follows the state directory of this test: its first file appears there.
        cell.await("the first trail file in " + state, () -> Files.exists(state.resolve("audit/trail-000001.jsonl")));
        TagBus bus = cell.service(TagBus.class);
        cell.await("press/setpoint good on the tag bus",
                () -> bus.value(TagPath.parse("press/setpoint")).map(TagValue::isGood).orElse(false));
    }

    @AfterAll
    static void stopCell() throws Exception {
        if (allow != null) {
            allow.unregister();
        }
        cell.deleteConfigurations();
        // The loader goes with its configuration, asynchronously: the next test class's simulators must not find
        // this cell's profile registry (they would start against it and fail).
        cell.await("the profile registry gone", () -> context.getServiceReference(ProfileRegistry.class) == null);
    }

    @Test
    void sink_inTheRunningGateway_isTheHashChainedTrail() {
        ServiceReference<AuditSink> best = context.getServiceReference(AuditSink.class);
        assertThat(best.getBundle().getSymbolicName()).isEqualTo("io.cellgate.audit");
    }

    @Test
    void write_throughWriteService_recordedInStateAuditWithItsFields() throws Exception {
        WriteService writes = cell.service(WriteService.class);
        AuditQuery query = cell.service(AuditQuery.class);

        WriteResult result = writes.write(new WriteRequest(OPERATOR, "test", "127.0.0.1:50001",
                TagPath.parse("press/setpoint"), 42));

        assertThat(result.status()).as(result.message()).isEqualTo(WriteResult.Status.OK);
        AuditRecord r = last(query, new AuditFilter(null, null, OPERATOR, "write.test", null, null, 0, 100));
        AuditEvent e = r.event();
        assertThat(e.identity()).isEqualTo(OPERATOR);
        assertThat(e.source()).isEqualTo("127.0.0.1:50001");
        assertThat(e.resource()).isEqualTo("press/setpoint = 42");
        assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
        assertThat(e.rule()).isEqualTo("audit-itest-allow");
        assertThat(e.reason()).isEqualTo("read back 42");
        // Stored in this test's state directory, exactly as the query returned it.
        assertThat(trailText()).contains("\"hash\":\"" + r.hash() + "\"").contains("\"seq\":" + r.seq() + ",");
        assertThat(query.status().lastSeq()).isGreaterThanOrEqualTo(r.seq());
        assertThat(verify()).startsWith("OK: ");
    }

    @Test
    void login_failed_recordedWithSourceAndChainIntact() throws Exception {
        Authenticator authenticator = cell.service(Authenticator.class);
        AuditQuery query = cell.service(AuditQuery.class);

        assertThat(authenticator.authenticate("audit-nobody", "wrong password".toCharArray(), "127.0.0.1:50002")
                .success()).isFalse();

        AuditRecord r = last(query, new AuditFilter(null, null, "audit-nobody", "login", null, null, 0, 100));
        assertThat(r.event().result()).isEqualTo(AuditEvent.Result.DENIED);
        assertThat(r.event().source()).isEqualTo("127.0.0.1:50002");
        assertThat(r.event().reason()).isEqualTo("unknown user");
        assertThat(trailText()).contains("\"hash\":\"" + r.hash() + "\"");
        assertThat(verify()).startsWith("OK: ");
    }

    @Test
    void configuration_appliedAtStart_recordedWithItsHashAndFile() throws Exception {
        ConfigurationService config = cell.service(ConfigurationService.class);
        AuditQuery query = cell.service(AuditQuery.class);
        String hash = config.current().orElseThrow().hash();

        AuditRecord r = last(query, new AuditFilter(null, null, "system", "config.apply", null, hash, 0, 100));

        assertThat(r.event().result()).isEqualTo(AuditEvent.Result.SUCCESS);
        assertThat(r.event().resource()).isEqualTo(cellDir.toAbsolutePath().normalize().resolve("cell.yaml").toString());
        assertThat(r.event().reason()).isEqualTo("config " + hash + " applied");
    }

    @Test
    void write_trailNotWritable_refusedNothingWrittenAlarmThenRecovers() throws Exception {
        WriteService writes = cell.service(WriteService.class);
        AuditQuery query = cell.service(AuditQuery.class);
        TagBus bus = cell.service(TagBus.class);
        TagPath setpoint = TagPath.parse("press/setpoint");
        assertThat(writes.write(new WriteRequest(OPERATOR, "test", null, setpoint, 10)).status())
                .isEqualTo(WriteResult.Status.OK);
        Path dir = state.resolve("audit");
        Path moved = state.resolve("audit.moved");
        // As root, file modes do not stop writes: the directory is replaced by a file instead.
        Files.move(dir, moved);
        Files.writeString(dir, "not a directory");
        try {
            WriteResult refused = writes.write(new WriteRequest(OPERATOR, "test", null, setpoint, 77));

            assertThat(refused.status()).isEqualTo(WriteResult.Status.DENIED);
            assertThat(refused.message()).contains("audit trail cannot be written").contains("fail closed");
            assertThat(query.status().writable()).as("the alarm state for the health metrics").isFalse();
            assertThat(query.status().problem()).isNotBlank();
            // polled again from the device: still the value before
            long polls = bus.device("press").orElseThrow().pollCount();
            cell.await("two more polls of press",
                    () -> bus.device("press").map(d -> d.pollCount() > polls + 1).orElse(false));
            assertThat(((Number) bus.value(setpoint).orElseThrow().value()).intValue()).isEqualTo(10);
        } finally {
            Files.delete(dir);
            Files.move(moved, dir);
        }
        WriteResult ok = writes.write(new WriteRequest(OPERATOR, "test", null, setpoint, 78));
        assertThat(ok.status()).as(ok.message()).isEqualTo(WriteResult.Status.OK);
        assertThat(query.status().writable()).isTrue();
        assertThat(verify()).startsWith("OK: ");
    }

    /** The last matching record (waits for it: the write or login recorded it before returning). */
    private static AuditRecord last(AuditQuery query, AuditFilter filter) throws IOException {
        List<AuditRecord> records = query.query(filter).records();
        assertThat(records).as("records matching %s", filter).isNotEmpty();
        return records.get(records.size() - 1);
    }

    private static String trailText() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(state.resolve("audit"))) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("trail-")).sorted().toList()) {
                all.append(Files.readString(p));
            }
        }
        return all.toString();
    }

    /** {@code cellgate audit verify} over this test's state directory, as the command line runs it. */
    private static String verify() {
        Collection<ServiceReference<CliCommand>> refs;
        try {
            refs = context.getServiceReferences(CliCommand.class, "(" + CliCommand.NAME + "=audit)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        assertThat(refs).as("the audit command").hasSize(1);
        CliCommand command = context.getService(refs.iterator().next());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = command.run(new Cli(List.of("verify"), state, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        return text;
    }

    private record Cli(List<String> args, Path stateDir, PrintStream out, PrintStream err) implements CliContext {
        @Override
        public Optional<char[]> readSecret(String prompt) {
            return Optional.empty();
        }

        @Override
        public boolean interactive() {
            return false;
        }
    }
}
