package dev.sluice.ingest.poll;

import dev.sluice.ingest.IngestException;

/**
 * A prepare step of a polling source failed: a Pipe command exited non-zero (the message ends with the tail of its
 * stderr), timed out or could not start; a Zip archive lacks the entry named by {@code subPath}. Malformed
 * compressed data is reported as {@link dev.sluice.data.read.BadInputException}, like any other bad data.
 */
public class PrepareException extends IngestException {
    public PrepareException(String message) {
        super(message);
    }
}
