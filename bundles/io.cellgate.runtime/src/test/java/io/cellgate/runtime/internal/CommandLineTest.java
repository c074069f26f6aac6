package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.runtime.internal.CommandLine.Mode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void parse_config_runsThatDirectory() {
        CommandLine cl = CommandLine.parse(List.of("--config", "/etc/cellgate", "--state", "/var/lib/cellgate"));
        assertThat(cl.mode()).isEqualTo(Mode.RUN);
        assertThat(cl.configDir()).isEqualTo(Path.of("/etc/cellgate"));
        assertThat(cl.stateDir()).isEqualTo(Path.of("/var/lib/cellgate"));
    }

    @Test
    void parse_demo_defaultsStateToWorkingDirectory() {
        CommandLine cl = CommandLine.parse(List.of("--demo"));
        assertThat(cl.mode()).isEqualTo(Mode.DEMO);
        assertThat(cl.stateDir()).isEqualTo(Path.of("cellgate-state").toAbsolutePath());
    }

    @Test
    void parse_help_winsOverEverything() {
        assertThat(CommandLine.parse(List.of("--demo", "--help")).mode()).isEqualTo(Mode.HELP);
    }

    @Test
    void parse_nothing_isInvalidWithReason() {
        CommandLine cl = CommandLine.parse(List.of());
        assertThat(cl.mode()).isEqualTo(Mode.INVALID);
        assertThat(cl.error()).contains("--config DIR or --demo");
    }

    @Test
    void parse_configWithoutDirectory_isInvalid() {
        assertThat(CommandLine.parse(List.of("--config")).error()).isEqualTo("--config needs a directory");
        assertThat(CommandLine.parse(List.of("--config", "--demo")).error()).isEqualTo("--config needs a directory");
    }

    @Test
    void parse_unknownArgument_isNamed() {
        assertThat(CommandLine.parse(List.of("--demo", "--verbose")).error()).isEqualTo("unknown argument '--verbose'");
    }

    @Test
    void parse_demoAndConfig_excludeEachOther() {
        assertThat(CommandLine.parse(List.of("--demo", "--config", "x")).mode()).isEqualTo(Mode.INVALID);
    }

    @Test
    void parse_command_restBelongsToItExceptState() {
        CommandLine cl = CommandLine.parse(List.of("pki", "trust", "ab12", "--state", "/var/lib/cellgate"));
        assertThat(cl.mode()).isEqualTo(Mode.COMMAND);
        assertThat(cl.command()).isEqualTo("pki");
        assertThat(cl.commandArgs()).containsExactly("trust", "ab12");
        assertThat(cl.stateDir()).isEqualTo(Path.of("/var/lib/cellgate"));
    }

    @Test
    void parse_stateBeforeCommand_andDefaultState() {
        CommandLine cl = CommandLine.parse(List.of("--state", "/srv/gw", "user", "list"));
        assertThat(cl.mode()).isEqualTo(Mode.COMMAND);
        assertThat(cl.stateDir()).isEqualTo(Path.of("/srv/gw"));
        assertThat(CommandLine.parse(List.of("user", "list")).stateDir())
                .isEqualTo(Path.of("cellgate-state").toAbsolutePath());
    }

    @Test
    void parse_commandHelp_isTheCommands() {
        CommandLine cl = CommandLine.parse(List.of("user", "--help"));
        assertThat(cl.mode()).isEqualTo(Mode.COMMAND);
        assertThat(cl.commandArgs()).containsExactly("--help");
    }

    @Test
    void parse_commandWithDemoOrConfig_isInvalid() {
        assertThat(CommandLine.parse(List.of("--demo", "pki", "list")).error()).contains("does not go with --demo");
        assertThat(CommandLine.parse(List.of("--config", "/etc/cellgate", "user", "list")).mode()).isEqualTo(Mode.INVALID);
    }

    @Test
    void parse_commandStateWithoutDirectory_isInvalid() {
        assertThat(CommandLine.parse(List.of("pki", "list", "--state")).error()).isEqualTo("--state needs a directory");
    }
}
