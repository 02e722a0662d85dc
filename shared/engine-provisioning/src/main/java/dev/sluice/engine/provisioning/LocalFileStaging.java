package dev.sluice.engine.provisioning;

import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.runner.Location;
import dev.sluice.engine.runner.WireRequest;
import java.nio.file.Files;

/** Engines on this machine: the request's own paths as {@code file:} locations; the engine writes the outputs in place. */
final class LocalFileStaging implements Staging {
    @Override
    public Staged stage(String invocationId, TransformRequest request) {
        WireRequest wire = WireRequest.from(request, Location::of);
        return new Staged() {
            @Override
            public WireRequest wire() {
                return wire;
            }

            @Override
            public boolean collect() {
                return Files.isRegularFile(request.newDataPath());
            }

            @Override
            public void close() {}
        };
    }
}
