package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The unified line diff of the Snapshots page. */
class LineDiffTest {

    @Test
    void unified_oneLineChanged_hunkWithContextAndLineNumbers() {
        String a = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String b = "a\nb\nc\nd\nE\nf\ng\nh\n";

        assertThat(LineDiff.unified(a, b, "snapshot 1", "snapshot 2", 2)).isEqualTo("""
                --- snapshot 1
                +++ snapshot 2
                @@ -3,5 +3,5 @@
                 c
                 d
                -e
                +E
                 f
                 g
                """);
    }

    @Test
    void unified_linesAddedAtTheEndAndRemovedAtTheStart_twoHunks() {
        String a = "x\n1\n2\n3\n4\n5\n6\n7\n8\n";
        String b = "1\n2\n3\n4\n5\n6\n7\n8\ny\n";

        assertThat(LineDiff.unified(a, b, "a", "b", 1)).isEqualTo("""
                --- a
                +++ b
                @@ -1,2 +1,1 @@
                -x
                 1
                @@ -9,1 +8,2 @@
                 8
                +y
                """);
    }

    @Test
    void unified_sameText_empty() {
        assertThat(LineDiff.unified("a\nb\n", "a\nb\n", "a", "b", 3)).isEmpty();
    }

    @Test
    void ops_middleTooLargeForTheTable_stillACompleteDiff() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2100; i++) {
            a.append("a").append(i).append('\n');
            b.append("b").append(i).append('\n');
        }
        var ops = LineDiff.ops(java.util.List.of(a.toString().split("\n")), java.util.List.of(b.toString().split("\n")));

        assertThat(ops).hasSize(4200).filteredOn(c -> c == '-').hasSize(2100);
    }
}
