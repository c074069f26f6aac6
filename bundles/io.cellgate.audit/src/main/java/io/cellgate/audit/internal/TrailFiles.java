package io.cellgate.audit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files of a trail: {@code <dir>/trail-000001.jsonl}, {@code trail-000002.jsonl}, ... and {@code head}. */
final class TrailFiles {

    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final String HEAD = "head";
    static final String LOCK = ".lock";
    private static final Pattern NAME = Pattern.compile("trail-(\\d{6})\\.jsonl");

    private TrailFiles() {
    }

    static String name(int index) {
        return String.format("trail-%06d.jsonl", index);
    }

    /** The trail files by index (a gap is a removed file). */
    static TreeMap<Integer, Path> list(Path dir) throws IOException {
        TreeMap<Integer, Path> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        return files;
    }

    static long totalBytes(Path dir) throws IOException {
        long total = 0;
        for (Path p : list(dir).values()) {
            total += Files.size(p);
        }
        return total;
    }

    /**
     * The lines of a file. The last element is the text after the last newline: empty when the file ends with a
     * newline (as every complete file does), otherwise a truncated record.
     */
    static List<String> lines(Path file) throws IOException {
        return lines(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The lines of a text, as {@link #lines(Path)}. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
            lines.add(text.substring(start, i));
            start = i + 1;
        }
        lines.add(text.substring(start));
        return lines;
    }

    /** The head file: the last record's seq and hash, written after every commit (tail truncation shows). */
    record Head(long seq, String hash) {
        static Head read(Path dir) {
            try {
                String[] parts = Files.readString(dir.resolve(HEAD), StandardCharsets.US_ASCII).trim().split(" ");
                return parts.length == 2 ? new Head(Long.parseLong(parts[0]), parts[1]) : null;
            } catch (IOException | NumberFormatException e) {
                return null; // absent, or torn by a crash (it is replaced, not fsynced): the chain itself still counts
            }
        }
    }
}
