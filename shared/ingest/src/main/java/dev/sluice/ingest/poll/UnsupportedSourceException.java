package dev.sluice.ingest.poll;

import dev.sluice.ingest.IngestException;

/**
 * The polling source uses a fetch step this node stores in metadata but does not run (Container, Mqtt,
 * EthereumLogs). Polling it changes nothing.
 */
public class UnsupportedSourceException extends IngestException {
    private final String fetchKind;

    public UnsupportedSourceException(String fetchKind, String message) {
        super(message);
        this.fetchKind = fetchKind;
    }

    /** The fetch step kind, e.g. {@code Mqtt}. */
    public String fetchKind() {
        return fetchKind;
    }
}
