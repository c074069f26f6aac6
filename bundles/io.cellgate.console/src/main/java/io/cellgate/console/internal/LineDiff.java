package io.cellgate.console.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line (longest common subsequence). The common head and tail are taken off
 * first, so an edit of a few lines in a long cell.yaml costs little; a middle too large for the table is shown as
 * removed and added as a whole (still a correct diff, just not the shortest).
 */
final class LineDiff {

    /** Cells of the LCS table at most (16 M ints = 64 MiB would be too much for the gateway; 4 M = 16 MiB). */
    static final long MAX_CELLS = 4_000_000L;

    private LineDiff() {
    }

    /** The unified diff from {@code a} to {@code b} with {@code context} lines around changes; "" when equal. */
    static String unified(String a, String b, String nameA, String nameB, int context) {
        List<String> x = lines(a);
        List<String> y = lines(b);
        List<Character> ops = ops(x, y);
        if (ops.stream().allMatch(c -> c == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder().append("--- ").append(nameA).append('\n').append("+++ ").append(nameB)
                .append('\n');
        int n = ops.size();
        int k = 0;
        while (k < n) {
            if (ops.get(k) == ' ') {
                k++;
                continue;
            }
            // A hunk: from `context` lines before the change to `context` after the last change that is closer
            // than 2*context lines to the next one.
            int start = Math.max(0, k - context);
            int end = k;
            int last = k;
            while (end < n && (ops.get(end) != ' ' || end - last <= 2 * context)) {
                if (ops.get(end) != ' ') {
                    last = end;
                }
                end++;
            }
            end = Math.min(n, last + context + 1);
            int ia = 0;
            int ib = 0;
            for (int i = 0; i < start; i++) {
                ia += ops.get(i) != '+' ? 1 : 0;
                ib += ops.get(i) != '-' ? 1 : 0;
            }
            int ca = 0;
            int cb = 0;
            StringBuilder body = new StringBuilder();
            int pa = ia;
            int pb = ib;
            for (int i = start; i < end; i++) {
                char op = ops.get(i);
                String line = op == '+' ? y.get(pb) : x.get(pa);
                body.append(op).append(line).append('\n');
                if (op != '+') {
                    pa++;
                    ca++;
                }
                if (op != '-') {
                    pb++;
                    cb++;
                }
            }
            out.append("@@ -").append(range(ia, ca)).append(" +").append(range(ib, cb)).append(" @@\n").append(body);
            k = end;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        // Unified diff numbers lines from 1; an empty range names the line before it.
        return (count == 0 ? start : start + 1) + "," + count;
    }

    /** ' ' same, '-' only in x, '+' only in y, in order. */
    static List<Character> ops(List<String> x, List<String> y) {
        int head = 0;
        while (head < x.size() && head < y.size() && x.get(head).equals(y.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < x.size() - head && tail < y.size() - head
                && x.get(x.size() - 1 - tail).equals(y.get(y.size() - 1 - tail))) {
            tail++;
        }
        List<String> mx = x.subList(head, x.size() - tail);
        List<String> my = y.subList(head, y.size() - tail);
        List<Character> ops = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            ops.add(' ');
        }
        if ((long) (mx.size() + 1) * (my.size() + 1) > MAX_CELLS) {
            mx.forEach(l -> ops.add('-'));
            my.forEach(l -> ops.add('+'));
        } else {
            middle(mx, my, ops);
        }
        for (int i = 0; i < tail; i++) {
            ops.add(' ');
        }
        return ops;
    }

    private static void middle(List<String> x, List<String> y, List<Character> ops) {
        int n = x.size();
        int m = y.size();
        // lcs[i][j]: common subsequence length of x[i..] and y[j..]
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x.get(i).equals(y.get(j))) {
                ops.add(' ');
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // Removals before additions, as diff(1) shows them.
                ops.add('-');
                i++;
            } else {
                ops.add('+');
                j++;
            }
        }
    }

    private static List<String> lines(String s) {
        List<String> lines = new ArrayList<>(List.of(s.split("\n", -1)));
        // A final newline ends the last line; it does not start an empty one.
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
