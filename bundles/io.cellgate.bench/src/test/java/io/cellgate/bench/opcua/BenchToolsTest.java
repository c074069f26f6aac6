package io.cellgate.bench.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.CellConfig;
import io.cellgate.bench.plan.PlanReport;
import io.cellgate.simulator.internal.ModbusTcpServer;
import io.cellgate.simulator.internal.ProfileSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OPC UA benchmark's tools: /proc parsing, the generated cell and its users file. */
class BenchToolsTest {

    @TempDir
    Path dir;

    @Test
    void cpuTicks_commandWithSpacesAndParentheses_sumsUtimeAndStime() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 40 0 100 0 0";

        assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void statusKib_vmRssAndVmHwm_readInKib() {
        String status = "Name:\tjava\nVmHWM:\t  133412 kB\nVmRSS:\t  120004 kB\n";

        assertThat(ProcStats.statusKib(status, "VmRSS")).isEqualTo(120004);
        assertThat(ProcStats.statusKib(status, "VmHWM")).isEqualTo(133412);
    }

    @Test
    void writeCell_loadsAndEveryTagChangesAtEveryTick() throws Exception {
        BenchCell.writeCell(dir, 2, 100, 17000);
        CellConfig cell = PlanReport.load(dir);
        assertThat(cell.devices()).hasSize(2);
        assertThat(BenchCell.tagPaths(300)).hasSize(300).startsWith("dev00/value_000").endsWith("dev01/value_049");

        try (ModbusTcpServer server = new ModbusTcpServer("127.0.0.1", 0)) {
            ProfileSimulation sim = new ProfileSimulation(cell.profiles().get("bench-ramps"), server.unit(1), 0);
            for (int tick = 0; tick < 100; tick++) {
                List<Object> before = values(sim);
                sim.tick();
                List<Object> after = values(sim);
                for (int t = 0; t < BenchCell.TAGS_PER_DEVICE; t++) {
                    assertThat(after.get(t)).as("tag %d at tick %d", t, tick).isNotEqualTo(before.get(t));
                }
            }
        }
    }

    @Test
    void writeUser_identityFormatAndModes_hashVerifies() throws Exception {
        BenchCell.writeUser(dir, "bench", "Observer", "a long bench password".toCharArray());

        Path file = dir.resolve("identity/users.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        String hash = Files.readString(file).lines().filter(l -> l.contains("password:")).findFirst().orElseThrow()
                .replaceAll(".*'(.*)'.*", "$1");
        String[] parts = hash.split("\\$");
        assertThat(parts[1]).isEqualTo("pbkdf2-sha256");
        assertThat(parts[2]).isEqualTo("i=600000,l=32");
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(new PBEKeySpec(
                "a long bench password".toCharArray(), Base64.getDecoder().decode(parts[3]), 600_000, 256)).getEncoded();
        assertThat(Base64.getEncoder().withoutPadding().encodeToString(key)).isEqualTo(parts[4]);
    }

    private static List<Object> values(ProfileSimulation sim) {
        return java.util.stream.IntStream.range(0, BenchCell.TAGS_PER_DEVICE)
                .mapToObj(t -> sim.currentValue(BenchCell.tagName(t))).toList();
    }
}
