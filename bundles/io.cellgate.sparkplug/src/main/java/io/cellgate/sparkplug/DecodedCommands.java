package io.cellgate.sparkplug;

import java.util.List;

/**
 * The outcome of decoding an NCMD or DCMD: never thrown, always returned. Valid writes are listed even when
 * other metrics of the same message were refused; the caller decides (CellGate applies the valid ones and
 * audits the errors).
 *
 * @param rebirth true when the NCMD asks for a rebirth ({@code Node Control/Rebirth = true})
 * @param writes  the accepted tag writes, in message order
 * @param errors  the refused metrics, in message order
 */
public record DecodedCommands(boolean rebirth, List<CommandWrite> writes, List<CommandError> errors) {

    public DecodedCommands {
        writes = List.copyOf(writes);
        errors = List.copyOf(errors);
    }

    static DecodedCommands malformed(String message) {
        return new DecodedCommands(false, List.of(),
                List.of(new CommandError("payload", CommandError.Kind.MALFORMED_PAYLOAD, message)));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
