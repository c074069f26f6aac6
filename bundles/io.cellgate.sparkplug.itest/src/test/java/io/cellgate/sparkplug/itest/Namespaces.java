package io.cellgate.sparkplug.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway Linux network namespaces for one test run, named {@code cg<random>-<role>} so that parallel runs and
 * leftovers of a crashed run never collide; {@link #close()} kills what runs in them and deletes them.
 */
final class Namespaces implements AutoCloseable {

    static final String IP = "/usr/sbin/ip";
    static final String NFT = "/usr/sbin/nft";

    /** A finished command. */
    record Result(int exit, String out, String err) {

        Result ok(String what) {
            if (exit != 0) {
                throw new IllegalStateException(what + " failed (exit " + exit + "): " + err.strip() + " " + out.strip());
            }
            return this;
        }
    }

    private final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    private final List<String> created = new ArrayList<>();

    /** Why this machine cannot run the namespace tests (not root, no iproute2/nftables, namespaces refused), or null. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root (user " + System.getProperty("user.name") + "): network namespaces and nftables need root";
        }
        if (!Files.isExecutable(Path.of(IP))) {
            return IP + " is missing: install the Debian package iproute2";
        }
        if (!Files.isExecutable(Path.of(NFT))) {
            return NFT + " is missing: install the Debian package nftables";
        }
        String probe = "cgprobe" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        Result add = run(null, 20, IP, "netns", "add", probe);
        if (add.exit() != 0) {
            return "this machine does not allow network namespaces (ip netns add: " + add.err().strip() + ")";
        }
        try {
            Result nft = run(null, 20, IP, "netns", "exec", probe, NFT, "list", "ruleset");
            if (nft.exit() != 0) {
                return "nftables does not work in a network namespace here (" + nft.err().strip() + ")";
            }
            return null;
        } finally {
            run(null, 20, IP, "netns", "del", probe);
        }
    }

    /** Creates the namespace {@code cg<run>-<role>} with its loopback up. */
    String add(String role) {
        String name = "cg" + run + "-" + role;
        run(null, 20, IP, "netns", "add", name).ok("ip netns add " + name);
        created.add(name);
        run(null, 20, IP, "-n", name, "link", "set", "lo", "up").ok("loopback up in " + name);
        return name;
    }

    /** The command prefix that runs a program inside {@code ns} ({@code ip netns exec} execs it: same process). */
    static List<String> exec(String ns) {
        return List.of(IP, "netns", "exec", ns);
    }

    /** Runs {@code command} inside {@code ns}. */
    static Result in(String ns, String... command) {
        List<String> c = new ArrayList<>(exec(ns));
        c.addAll(List.of(command));
        return run(null, 60, c.toArray(String[]::new));
    }

    /** Runs a command to its end (at most {@code seconds}); {@code stdin} is written to it when not null. */
    static Result run(String stdin, long seconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, out.getNow(""), "did not finish within " + seconds + " s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Kills every process still in the namespaces (all started by the test), then deletes them. Runs also after a
     * failed setup; never throws, so that every namespace gets its turn.
     */
    @Override
    public void close() {
        for (String ns : created) {
            for (String pid : run(null, 20, IP, "netns", "pids", ns).out().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (String ns : created) {
            // A process that is still exiting holds the namespace's links for a moment.
            for (int attempt = 0; attempt < 50; attempt++) {
                if (run(null, 20, IP, "netns", "del", ns).exit() == 0) {
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        created.clear();
    }

    /** The namespaces of this run that still exist (for the test of the cleanup). */
    List<String> remaining() {
        String list = run(null, 20, IP, "netns", "list").out();
        return List.copyOf(list.lines().map(l -> l.split(" ")[0]).filter(n -> n.startsWith("cg" + run + "-")).toList());
    }
}
