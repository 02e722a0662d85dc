package dev.sluice.storage;

import dev.sluice.odf.DataSlice;
import java.io.InputStream;

/** Optional deep check of a data slice's content (e.g. recomputing its logical hash); returns a problem or null. */
@FunctionalInterface
public interface DataVerifier {
    String check(DataSlice slice, InputStream content) throws Exception;
}
