package dev.sluice.odf;

/** Malformed ODF input: a bad hash string, an unknown event kind, an invalid manifest or block. */
public class OdfFormatException extends RuntimeException {
    public OdfFormatException(String message) {
        super(message);
    }

    public OdfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
