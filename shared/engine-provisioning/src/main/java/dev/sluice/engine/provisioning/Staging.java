package dev.sluice.engine.provisioning;

import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.runner.WireRequest;
import java.io.IOException;

/** Makes a request's files reachable by an engine, and brings the engine's output back to the paths the caller gave. */
interface Staging {
    Staged stage(String invocationId, TransformRequest request) throws IOException;

    /** One staged request; closing it removes whatever was staged. */
    interface Staged extends AutoCloseable {
        WireRequest wire();

        /** Copies the output slice (if any) and checkpoint (if any) to the request's paths; true if a slice came back. */
        boolean collect() throws IOException;

        @Override
        void close();
    }
}
