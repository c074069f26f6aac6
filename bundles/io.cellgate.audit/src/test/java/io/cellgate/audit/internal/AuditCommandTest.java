package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.cli.CliCommand;
import io.cellgate.api.cli.CliContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCommandTest {

    @TempDir
    Path state;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        CliContext c = new CliContext() {
            @Override
            public List<String> args() {
                return List.of(args);
            }

            @Override
            public Path stateDir() {
                return state;
            }

            @Override
            public PrintStream out() {
                return new PrintStream(out, true, StandardCharsets.UTF_8);
            }

            @Override
            public PrintStream err() {
                return new PrintStream(err, true, StandardCharsets.UTF_8);
            }

            @Override
            public Optional<char[]> readSecret(String prompt) {
                return Optional.empty();
            }

            @Override
            public boolean interactive() {
                return false;
            }
        };
        return new AuditCommand().run(c);
    }

    private HashChainAuditSink sink() {
        return new HashChainAuditSink(new AuditTrail(state.resolve("audit"), new AuditTrail.Options(2048, 0, 0),
                Clock.systemUTC()));
    }

    private void writeTrail() {
        HashChainAuditSink sink = sink();
        for (int i = 0; i < 20; i++) {
            assertThat(sink.record(Trails.event(i))).isTrue();
        }
        sink.deactivate();
    }

    @Test
    void verify_intactTrail_okWithCountAndHash() {
        writeTrail();
        assertThat(run("verify")).isEqualTo(CliCommand.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("(?s)OK: \\d+ records in \\d+ files, last seq \\d+,"
                + " last hash [0-9a-f]{64}\\s*inbox: 0 records in 0 files wait to be imported by the running gateway\\s*");
    }

    @Test
    void verify_recordsInTheInbox_okAndSaysHowManyWait() {
        writeTrail();
        io.cellgate.api.audit.AuditSink inbox = new AuditInboxComponent().sink(state);
        inbox.record(Trails.event(1));
        inbox.record(Trails.event(2));

        assertThat(run("verify")).isEqualTo(CliCommand.OK);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("inbox: 2 records in 1 files wait to be imported");
    }

    @Test
    void verify_editedRecord_brokenWithLocationAndExit1() throws IOException {
        writeTrail();
        Path first = state.resolve("audit").resolve(TrailFiles.name(1));
        Files.writeString(first, Files.readString(first).replaceFirst("user-1", "user-7"));
        assertThat(run("verify")).isEqualTo(CliCommand.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("BROKEN at trail-000001.jsonl:2: edited: ");
    }

    @Test
    void verify_lastRecordCutOff_stillTruncatedWhenLookingAgain() throws IOException {
        writeTrail();
        Path last = TrailFiles.list(state.resolve("audit")).lastEntry().getValue();
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThat(run("verify")).isEqualTo(CliCommand.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(": truncated: the record is cut off");
    }

    @Test
    void verify_dirOption_checksAnArchivedCopy() {
        writeTrail();
        assertThat(run("verify", "--dir", state.resolve("audit").toString())).isEqualTo(CliCommand.OK);
        assertThat(run("verify", "--dir", state.resolve("elsewhere").toString())).isEqualTo(CliCommand.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no audit trail in");
    }

    @Test
    void show_filters_printsMatchingRecordsOnly() {
        writeTrail();
        assertThat(run("show", "--identity", "user-0", "--action", "write", "--since", "2026-11-25T08:00:05Z",
                "--limit", "2")).isEqualTo(CliCommand.OK);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines().toList()).hasSize(3);
        assertThat(text).contains("SUCCESS write identity=user-0", "resource=cell/press/speed-6",
                "resource=cell/press/speed-12", "(more: --after ");
    }

    @Test
    void export_printsJsonLines() {
        writeTrail();
        assertThat(run("export", "--result", "denied")).isEqualTo(CliCommand.OK);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(5)
                .allSatisfy(l -> assertThat(l).startsWith("{\"v\":1,").contains("\"result\":\"DENIED\""));
    }

    @Test
    void show_badTime_usageNamingTheOption() {
        writeTrail();
        assertThat(run("show", "--since", "yesterday")).isEqualTo(CliCommand.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since: 'yesterday' is not a time");
    }

    @Test
    void run_unknownArgumentOrCommand_usage() {
        writeTrail();
        assertThat(run("verify", "--bogus")).isEqualTo(CliCommand.USAGE);
        assertThat(run("frobnicate")).isEqualTo(CliCommand.USAGE);
        assertThat(run()).isEqualTo(CliCommand.USAGE);
    }

    @Test
    void record_trailNotWritable_returnsFalse() throws IOException {
        Files.writeString(state.resolve("audit"), "a file, not a directory");
        HashChainAuditSink sink = sink();
        assertThat(sink.record(new AuditEvent(Trails.T0, "otto", null, "login", null, AuditEvent.Result.SUCCESS,
                null, null))).isFalse();
        assertThat(sink.status().writable()).isFalse();
        sink.deactivate();
    }
}
