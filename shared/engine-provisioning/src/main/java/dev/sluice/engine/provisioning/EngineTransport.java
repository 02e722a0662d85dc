package dev.sluice.engine.provisioning;

import dev.sluice.engine.runner.WireRequest;
import dev.sluice.engine.runner.WireResponse;

/** Carries one wire request to an engine runner somewhere and brings back its response. */
interface EngineTransport {
    /** Throws {@link EngineTransportException} when no usable response came back (unreachable, crashed, timed out). */
    WireResponse invoke(String invocationId, WireRequest request);
}
