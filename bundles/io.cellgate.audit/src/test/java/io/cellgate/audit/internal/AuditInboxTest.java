package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.audit.preflight.AuditPreflight;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditInboxTest {

    @TempDir
    Path state;

    private HashChainAuditSink trail;

    @AfterEach
    void close() {
        if (trail != null) {
            trail.deactivate();
        }
    }

    private Path audit() {
        return state.resolve(HashChainAuditSink.SUBDIR);
    }

    private HashChainAuditSink openTrail() {
        trail = new HashChainAuditSink(Trails.open(audit(), 1024 * 1024));
        return trail;
    }

    private static AuditEvent userCreate(String name) {
        return new AuditEvent(Trails.T0, "cli:root", null, "user.create", name, AuditEvent.Result.SUCCESS, null, null);
    }

    private List<AuditRecord> records() throws IOException {
        return trail.query(AuditFilter.all(1000)).records();
    }

    private Path onlyInboxFile() throws IOException {
        List<Path> files = InboxImporter.files(audit().resolve(InboxSink.SUBDIR));
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    @Test
    void record_noTrailYet_appendsOneJsonLinePerEventWithOwnerOnlyPermissions() throws Exception {
        AuditSink sink = new AuditInboxComponent().sink(state);

        assertThat(sink.writable()).isTrue();
        assertThat(sink.record(userCreate("otto"))).isTrue();
        assertThat(sink.record(userCreate("anna"))).isTrue();

        Path file = onlyInboxFile();
        assertThat(file.getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z-" + ProcessHandle.current().pid()
                + "-[0-9a-f]{8}\\.jsonl");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(RecordFormat.parseInbox(lines.get(0))).isEqualTo(userCreate("otto"));
        assertThat(lines.get(1)).contains("\"identity\":\"cli:root\"", "\"action\":\"user.create\"",
                "\"resource\":\"anna\"", "\"time\":\"2026-11-25T08:00:00Z\"");
    }

    @Test
    void record_inboxIsAFile_notWritableAndFalse() throws IOException {
        Files.createDirectories(audit());
        Files.writeString(audit().resolve(InboxSink.SUBDIR), "not a directory");
        AuditSink sink = new AuditInboxComponent().sink(state);

        assertThat(sink.writable()).isFalse();
        assertThat(sink.record(userCreate("otto"))).isFalse();
    }

    @Test
    void preflight_inboxIsAFile_throwsNamingTheInboxAndTheCause() throws IOException {
        // a file where the directory belongs: unwritable for root too (CI runs as root)
        Files.createDirectories(audit());
        Files.writeString(audit().resolve(InboxSink.SUBDIR), "not a directory");
        AuditPreflight sink = (AuditPreflight) new AuditInboxComponent().sink(state);

        assertThatThrownBy(sink::preflight).isInstanceOf(IOException.class).hasMessage("the audit inbox "
                + audit().resolve(InboxSink.SUBDIR) + " cannot be written (NotDirectoryException on "
                + audit().resolve(InboxSink.SUBDIR) + ")");
        assertThatThrownBy(() -> AuditPreflight.check(sink)).hasMessageContaining("cannot be written");
    }

    @Test
    void preflight_auditDirectoryUnderAFile_throwsNamingTheInbox() throws IOException {
        Files.writeString(state.resolve("blocker"), "a file");
        AuditPreflight sink = new InboxSink(state.resolve("blocker").resolve(HashChainAuditSink.SUBDIR));

        assertThatThrownBy(sink::preflight).isInstanceOf(IOException.class)
                .hasMessageStartingWith("the audit inbox " + state.resolve("blocker/audit/inbox") + " cannot be written (");
        assertThat(sink.writable()).isFalse();
    }

    @Test
    void preflight_writableInbox_createsTheInboxAndLeavesNothingInIt() throws IOException {
        AuditPreflight sink = (AuditPreflight) new AuditInboxComponent().sink(state);

        sink.preflight();

        Path inbox = audit().resolve(InboxSink.SUBDIR);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inbox))).isEqualTo("rwx------");
        try (var files = Files.list(inbox)) {
            assertThat(files.toList()).isEmpty();
        }
        assertThat(sink.record(userCreate("otto"))).isTrue();
        assertThat(Files.readAllLines(onlyInboxFile())).singleElement().asString().contains("\"resource\":\"otto\"");
    }

    @Test
    void importAll_twoCommands_chainsTheirRecordsInOrderAndRemovesTheFiles() throws Exception {
        openTrail().record(Trails.event(1));
        AuditSink first = new InboxSink(audit());
        first.record(userCreate("otto"));
        first.record(new AuditEvent(Trails.T0.plusSeconds(5), "cli:root", null, "user.roles", "otto",
                AuditEvent.Result.SUCCESS, "Operator", null));
        Thread.sleep(5); // a later name for the second command's file
        new InboxSink(audit()).record(userCreate("anna"));

        int imported = new InboxImporter(trail, Clock.systemUTC()).importAll();

        assertThat(imported).isEqualTo(3);
        List<AuditRecord> records = records();
        assertThat(records).extracting(r -> r.event().action()).containsExactly("login", "user.create", "user.roles",
                "user.create");
        AuditEvent otto = records.get(1).event();
        assertThat(otto.time()).isEqualTo(Trails.T0);
        assertThat(otto.identity()).isEqualTo("cli:root");
        assertThat(otto.source()).startsWith(InboxImporter.SOURCE).endsWith(".jsonl:1");
        assertThat(records.get(3).event().resource()).isEqualTo("anna");
        assertThat(InboxImporter.files(audit().resolve(InboxSink.SUBDIR))).isEmpty();
        assertThat(Files.exists(audit().resolve(InboxImporter.STATE))).isFalse();
        assertThat(ChainVerifier.verify(audit()).ok()).isTrue();
        assertThat(InboxImporter.waiting(audit()).records()).isZero();
    }

    @Test
    void importAll_restartAfterCommitBeforeRemoval_importsNothingTwice() throws Exception {
        openTrail();
        AuditSink sink = new InboxSink(audit());
        sink.record(userCreate("otto"));
        sink.record(userCreate("anna"));
        Path file = onlyInboxFile();
        byte[] content = Files.readAllBytes(file);
        long seqBefore = trail.status().lastSeq();
        new InboxImporter(trail, Clock.systemUTC()).importAll();
        // as if the process had died after the commit, before the file and the note were removed; meanwhile the
        // command appended a third event
        Files.write(file, content);
        Files.writeString(audit().resolve(InboxImporter.STATE), file.getFileName() + " " + seqBefore + "\n");
        Files.writeString(file, RecordFormat.inboxLine(userCreate("paul")) + "\n", StandardOpenOption.APPEND);
        trail.deactivate();

        openTrail();
        int imported = new InboxImporter(trail, Clock.systemUTC()).importAll();

        assertThat(imported).isEqualTo(1);
        assertThat(records()).extracting(r -> r.event().resource()).containsExactly("otto", "anna", "paul");
        assertThat(Files.exists(file)).isFalse();
        assertThat(Files.exists(audit().resolve(InboxImporter.STATE))).isFalse();
        assertThat(ChainVerifier.verify(audit()).ok()).isTrue();
    }

    @Test
    void importAll_malformedLine_failedRecordNamingFileAndLineAndFileSetAside() throws Exception {
        openTrail();
        new InboxSink(audit()).record(userCreate("otto"));
        Path file = onlyInboxFile();
        Files.writeString(file, "{\"v\":1,\"time\":\"yesterday\"}\n", StandardOpenOption.APPEND);
        String name = file.getFileName().toString();

        int imported = new InboxImporter(trail, Clock.systemUTC()).importAll();

        assertThat(imported).isEqualTo(2);
        List<AuditRecord> records = records();
        assertThat(records.get(0).event().resource()).isEqualTo("otto");
        AuditEvent failed = records.get(1).event();
        assertThat(failed.action()).isEqualTo(InboxImporter.ACTION);
        assertThat(failed.result()).isEqualTo(AuditEvent.Result.FAILED);
        assertThat(failed.resource()).isEqualTo(name + ":2");
        assertThat(failed.reason()).contains("malformed", "time");
        assertThat(Files.exists(file)).isFalse();
        Path aside = audit().resolve(InboxSink.SUBDIR).resolve(InboxImporter.REJECTED).resolve(name);
        assertThat(Files.readString(aside, StandardCharsets.UTF_8)).contains("yesterday");
        assertThat(InboxImporter.waiting(audit()).rejected()).isEqualTo(1);
        assertThat(ChainVerifier.verify(audit()).ok()).isTrue();
    }

    @Test
    void importAll_fileLockedByAWritingCommand_waitsAndImportsOnceReleased() throws Exception {
        openTrail();
        new InboxSink(audit()).record(userCreate("otto"));
        Path file = onlyInboxFile();
        InboxImporter importer = new InboxImporter(trail, Clock.systemUTC());

        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE);
                java.nio.channels.FileLock lock = ch.lock()) {
            assertThat(importer.importAll()).isZero();
            assertThat(Files.exists(file)).isTrue();
        }
        assertThat(importer.importAll()).isEqualTo(1);
        assertThat(records()).extracting(r -> r.event().resource()).containsExactly("otto");
    }

    @Test
    void record_fileImportedMeanwhile_nextEventGoesToANewFile() throws Exception {
        openTrail();
        InboxSink sink = new InboxSink(audit());
        sink.record(userCreate("otto"));
        new InboxImporter(trail, Clock.systemUTC()).importAll();

        assertThat(sink.record(userCreate("anna"))).isTrue();

        Path second = onlyInboxFile();
        assertThat(Files.readAllLines(second)).singleElement().asString().contains("\"resource\":\"anna\"");
    }

    @Test
    void importAll_trailNotWritable_keepsTheFileForLater() throws Exception {
        openTrail();
        new InboxSink(audit()).record(userCreate("otto"));
        trail.deactivate(); // closed: nothing can be appended
        HashChainAuditSink closed = trail;
        trail = null;

        int imported = new InboxImporter(closed, Clock.systemUTC()).importAll();

        assertThat(imported).isZero();
        assertThat(InboxImporter.waiting(audit()).records()).isEqualTo(1);
    }
}
