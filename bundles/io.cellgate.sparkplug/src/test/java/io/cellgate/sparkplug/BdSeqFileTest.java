package io.cellgate.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BdSeqFileTest {

    @TempDir
    Path dir;

    @Test
    void open_newDirectory_startsAtZeroAndCreatesTheFile() throws Exception {
        BdSeqFile f = BdSeqFile.open(dir.resolve("state"));
        assertThat(f.bdSeq()).isZero();
        assertThat(f.recoveredFromCorruption()).isFalse();
        assertThat(Files.readString(f.file())).isEqualTo("bdSeq=0\n");
    }

    @Test
    void connected_incrementsDurablyAndSurvivesReopen() throws Exception {
        BdSeqFile f = BdSeqFile.open(dir);
        assertThat(f.connected()).isEqualTo(1);
        assertThat(f.connected()).isEqualTo(2);
        assertThat(BdSeqFile.open(dir).bdSeq()).isEqualTo(2);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly(BdSeqFile.FILE_NAME);
    }

    @Test
    void open_withoutConnect_doesNotIncrement() throws Exception {
        BdSeqFile.open(dir).connected();
        // a restart with failed connects: the value stays until a connect succeeds
        assertThat(BdSeqFile.open(dir).bdSeq()).isEqualTo(1);
        assertThat(BdSeqFile.open(dir).bdSeq()).isEqualTo(1);
    }

    @Test
    void connected_at255_wrapsToZero() throws Exception {
        Files.writeString(dir.resolve(BdSeqFile.FILE_NAME), "bdSeq=255\n");
        BdSeqFile f = BdSeqFile.open(dir);
        assertThat(f.bdSeq()).isEqualTo(255);
        assertThat(f.connected()).isZero();
        assertThat(BdSeqFile.open(dir).bdSeq()).isZero();
    }

    @Test
    void open_corruptFile_recoversAtZeroAndKeepsTheEvidence() throws Exception {
        Files.write(dir.resolve(BdSeqFile.FILE_NAME), new byte[] {'b', 'd', 0, (byte) 0xFF, 7});
        BdSeqFile f = BdSeqFile.open(dir);
        assertThat(f.bdSeq()).isZero();
        assertThat(f.recoveredFromCorruption()).isTrue();
        assertThat(dir.resolve(BdSeqFile.FILE_NAME + ".corrupt")).exists();
        assertThat(Files.readString(dir.resolve(BdSeqFile.FILE_NAME), StandardCharsets.US_ASCII)).isEqualTo("bdSeq=0\n");
        assertThat(BdSeqFile.open(dir).recoveredFromCorruption()).isFalse();
    }

    @Test
    void open_outOfRangeOrEmpty_isTreatedAsCorrupt() throws Exception {
        Files.writeString(dir.resolve(BdSeqFile.FILE_NAME), "bdSeq=256\n");
        assertThat(BdSeqFile.open(dir).recoveredFromCorruption()).isTrue();
        Files.writeString(dir.resolve(BdSeqFile.FILE_NAME), "");
        assertThat(BdSeqFile.open(dir).recoveredFromCorruption()).isTrue();
    }
}
