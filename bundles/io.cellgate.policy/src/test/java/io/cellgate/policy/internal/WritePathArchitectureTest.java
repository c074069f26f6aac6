package io.cellgate.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Architecture check for the zero-trust issue: no bundle but the core (its write service, after the access
 * check) calls {@code DeviceSession.write} (only its write service, io.cellgate.core.internal.write), on the
 * interface, on an interface extending it, or on a class implementing it or extending such a class. Reads the compiled
 * classes of every bundle under {@code bundles/*}{@code /target/classes}; skipped, saying so, when the core has
 * not been compiled (this module is built alone). A class file's constant pool holds a method reference for every
 * call the class makes, so a call cannot hide from this scan (reflection aside).
 */
class WritePathArchitectureTest {

    private static final String SESSION = "io/cellgate/api/driver/DeviceSession";
    private static final String ALLOWED_PACKAGE = "io/cellgate/core/internal/write/";

    @Test
    void deviceSessionWrite_calledOnlyFromTheCoreWriteService() throws IOException {
        Path bundles = Path.of(System.getProperty("cellgate.bundles", ".."));
        assumeTrue(Files.isDirectory(bundles.resolve("io.cellgate.core/target/classes")),
                "skipped: " + bundles.toAbsolutePath().normalize() + "/io.cellgate.core/target/classes is absent "
                        + "(build the other bundles first to run the write-path architecture check)");
        List<ClassFile> classes = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(bundles)) {
            for (Path dir : dirs.map(d -> d.resolve("target/classes")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            classes.add(ClassFile.read(in, bundles.relativize(f).toString()));
                        }
                    }
                }
            }
        }
        // Every type that is a DeviceSession: implementations, their subclasses, and interfaces extending it.
        Set<String> sessions = new HashSet<>(Set.of(SESSION));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ClassFile c : classes) {
                if (!sessions.contains(c.name) && (sessions.contains(c.superName)
                        || c.interfaces.stream().anyMatch(sessions::contains))) {
                    grew = sessions.add(c.name);
                }
            }
        }
        assertThat(sessions).as("DeviceSession implementations found (the scan must see the drivers)").hasSizeGreaterThan(1);

        List<String> violations = new ArrayList<>();
        for (ClassFile c : classes) {
            if (c.name.startsWith(ALLOWED_PACKAGE)) {
                continue;
            }
            for (String[] ref : c.methodRefs) {
                String owner = ref[0];
                boolean ownCode = c.name.equals(owner) || c.name.startsWith(owner + "$");
                if (ref[1].equals("write") && sessions.contains(owner) && !ownCode) {
                    violations.add(c.file + " calls " + owner.replace('/', '.') + ".write" + ref[2]);
                }
            }
        }
        assertThat(violations).as("driver writes outside the core write service (every write must pass the write service "
                + "and its access check)").isEmpty();
    }

    /** The parts of a class file this check needs: name, interfaces, method references (owner, name, descriptor). */
    private record ClassFile(String file, String name, String superName, Set<String> interfaces,
            List<String[]> methodRefs) {

        static ClassFile read(InputStream stream, String file) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(stream));
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(file + " is not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            Object[] pool = new Object[count];
            int[][] refs = new int[count][];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> pool[i] = in.readUTF();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> refs[i] = new int[] {tag, in.readUnsignedShort()};
                    case 9, 10, 11, 12, 17, 18 -> refs[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException(file + ": unknown constant pool tag " + tag);
                }
            }
            in.readUnsignedShort();
            String name = className(pool, refs, in.readUnsignedShort());
            int superIndex = in.readUnsignedShort();
            String superName = superIndex == 0 ? null : className(pool, refs, superIndex);
            Set<String> interfaces = new HashSet<>();
            int n = in.readUnsignedShort();
            for (int i = 0; i < n; i++) {
                interfaces.add(className(pool, refs, in.readUnsignedShort()));
            }
            List<String[]> methodRefs = new ArrayList<>();
            for (int[] r : refs) {
                if (r != null && (r[0] == 10 || r[0] == 11)) {
                    int[] nat = refs[r[2]];
                    methodRefs.add(new String[] {className(pool, refs, r[1]), (String) pool[nat[1]], (String) pool[nat[2]]});
                }
            }
            return new ClassFile(file, name, superName, interfaces, methodRefs);
        }

        private static String className(Object[] pool, int[][] refs, int index) {
            return (String) pool[refs[index][1]];
        }
    }
}
