package io.cellgate.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditRecord;
import io.cellgate.audit.internal.ChainVerifier.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering with a trail of several files; every kind is found at the right place. */
class ChainVerifierTest {

    @TempDir
    Path dir;

    private int files;

    @BeforeEach
    void writeTrail() throws IOException {
        try (AuditTrail t = Trails.open(dir, 4096)) {
            for (int i = 0; i < 60; i++) {
                assertThat(t.append(Trails.event(i))).isNotNull();
            }
        }
        ChainVerifier.Result r = ChainVerifier.verify(dir);
        assertThat(r.problem()).isNull();
        files = r.files();
        assertThat(files).isGreaterThanOrEqualTo(4);
    }

    private Path file(int index) {
        return dir.resolve(TrailFiles.name(index));
    }

    private static List<String> records(Path file) throws IOException {
        List<String> lines = new ArrayList<>(TrailFiles.lines(file));
        lines.remove(lines.size() - 1);
        return lines;
    }

    private static void write(Path file, List<String> records) throws IOException {
        Files.writeString(file, String.join("\n", records) + "\n", StandardCharsets.UTF_8);
    }

    private ChainVerifier.Break problem() throws IOException {
        ChainVerifier.Result r = ChainVerifier.verify(dir);
        assertThat(r.ok()).isFalse();
        return r.problem();
    }

    @Test
    void verify_untouched_okWithCountAndLastHash() throws IOException {
        ChainVerifier.Result r = ChainVerifier.verify(dir);
        List<String> last = records(file(files));
        AuditRecord lastRecord = parse(last.get(last.size() - 1));
        assertThat(r.lastSeq()).isEqualTo(lastRecord.seq()).isEqualTo(r.records());
        assertThat(r.lastHash()).isEqualTo(lastRecord.hash());
    }

    @Test
    void verify_oneByteEdited_editedAtThatLine() throws IOException {
        byte[] bytes = Files.readAllBytes(file(2));
        String text = new String(bytes, StandardCharsets.UTF_8);
        int line3 = text.indexOf('\n', text.indexOf('\n') + 1) + 1;
        int at = text.indexOf("speed-", line3) + 6;
        bytes[at] = (byte) (bytes[at] == '1' ? '2' : '1');
        Files.write(file(2), bytes);
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(2));
        assertThat(b.line()).isEqualTo(3);
        assertThat(b.kind()).isEqualTo(Kind.EDITED);
        assertThat(b.detail()).contains("hash does not match");
    }

    @Test
    void verify_recordEditedAndRehashed_brokenLinkAtTheNextRecord() throws IOException {
        List<String> r = records(file(2));
        AuditRecord original = parse(r.get(2));
        AuditRecord forged = RecordFormat.seal(original.seq(), Trails.event(999), original.prevHash());
        r.set(2, RecordFormat.line(forged));
        write(file(2), r);
        ChainVerifier.Break b = problem();
        assertThat(b.toString()).startsWith(TrailFiles.name(2) + ":4: edited: prev hash does not match");
    }

    @Test
    void verify_recordRemoved_removedAtThatPlace() throws IOException {
        List<String> r = records(file(2));
        long removedSeq = parse(r.get(4)).seq();
        r.remove(4);
        write(file(2), r);
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(2));
        assertThat(b.line()).isEqualTo(5);
        assertThat(b.kind()).isEqualTo(Kind.REMOVED);
        assertThat(b.detail()).contains("records " + removedSeq + ".." + removedSeq + " are gone");
    }

    @Test
    void verify_twoRecordsSwapped_reorderedAtTheFirst() throws IOException {
        List<String> r = records(file(3));
        Collections.swap(r, 2, 3);
        write(file(3), r);
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(3));
        assertThat(b.line()).isEqualTo(3);
        assertThat(b.kind()).isEqualTo(Kind.REORDERED);
    }

    @Test
    void verify_lastRecordCutOff_truncatedAtTheLastLine() throws IOException {
        byte[] bytes = Files.readAllBytes(file(files));
        int lines = records(file(files)).size();
        Files.write(file(files), java.util.Arrays.copyOf(bytes, bytes.length - 20));
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(files));
        assertThat(b.line()).isEqualTo(lines);
        assertThat(b.kind()).isEqualTo(Kind.TRUNCATED);
    }

    @Test
    void verify_lastRecordRemovedWhole_truncatedAfterTheNewLastLine() throws IOException {
        List<String> r = records(file(files));
        r.remove(r.size() - 1);
        write(file(files), r);
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(files));
        assertThat(b.line()).isEqualTo(r.size() + 1);
        assertThat(b.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(b.detail()).contains("head file");
    }

    @Test
    void verify_middleFileDeleted_removedNamingTheFile() throws IOException {
        Files.delete(file(2));
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(2));
        assertThat(b.kind()).isEqualTo(Kind.REMOVED);
        assertThat(b.detail()).contains("the file is missing");
    }

    @Test
    void verify_firstFileDeleted_removed() throws IOException {
        Files.delete(file(1));
        assertThat(problem().toString()).startsWith(TrailFiles.name(1) + ":0: removed");
    }

    @Test
    void verify_recordsMovedBetweenFiles_brokenLink() throws IOException {
        List<String> two = records(file(2));
        List<String> three = records(file(3));
        three.add(1, two.remove(two.size() - 1));
        write(file(2), two);
        write(file(3), three);
        ChainVerifier.Break b = problem();
        assertThat(b.file()).isEqualTo(TrailFiles.name(3));
        assertThat(b.line()).isEqualTo(1);
    }

    @Test
    void verify_emptyDirectory_okWithNoRecords() throws IOException {
        ChainVerifier.Result r = ChainVerifier.verify(dir.resolve("none"));
        assertThat(r.ok()).isTrue();
        assertThat(r.records()).isZero();
    }

    private static AuditRecord parse(String line) {
        try {
            return RecordFormat.parse(line);
        } catch (RecordFormat.BadRecordException e) {
            throw new AssertionError(e);
        }
    }
}
