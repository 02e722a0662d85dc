package dev.sluice.fn.query;

import dev.sluice.fn.common.Warmup;
import dev.sluice.query.QueryService;
import java.sql.Connection;

/** Loads DuckDB's native library (extracted from the driver jar) from the start of the process. */
public final class DuckDbWarmup implements Warmup {
    @Override
    public void run() throws Exception {
        try (Connection c = QueryService.open()) {
            // opening the first database loads the library
        }
    }
}
