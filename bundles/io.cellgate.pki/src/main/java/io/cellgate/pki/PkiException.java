package io.cellgate.pki;

/** A PKI operation was refused or failed; the message names what and where. Nothing was changed. */
public class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
