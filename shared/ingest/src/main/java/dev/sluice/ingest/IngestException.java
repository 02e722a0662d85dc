package dev.sluice.ingest;

/** A push that cannot be applied as asked (no such source, unsupported format…): the caller's mistake, 4xx. */
public class IngestException extends RuntimeException {
    public IngestException(String message) {
        super(message);
    }
}
