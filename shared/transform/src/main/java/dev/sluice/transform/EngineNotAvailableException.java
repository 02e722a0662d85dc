package dev.sluice.transform;

/**
 * No engine can run the transform's dialect here: none is provisioned for it, or the engine standing in for it (DuckDB
 * for flink, say) cannot run this query.
 */
public class EngineNotAvailableException extends TransformException {
    private final String dialect;

    public EngineNotAvailableException(String dialect, String message) {
        super(message);
        this.dialect = dialect;
    }

    public String dialect() {
        return dialect;
    }
}
