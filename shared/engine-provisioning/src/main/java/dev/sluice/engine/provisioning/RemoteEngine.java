package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.WireResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * An {@link Engine} that runs elsewhere (a child JVM, a Kubernetes Job, a Knative Service, a Lambda function): stages
 * the request, sends it through a transport, collects the outputs. Transport and staging failures become
 * {@link TransformResponse.InternalError}s naming the backend, so callers handle them like any engine failure.
 *
 * <p>{@link #name()} and {@link #build()} are those the remote runner reported with its last response (or its health
 * answer); until the first answer they are what the configuration says (dialect and image/function), which is why a
 * caller records them <em>after</em> {@link #transform}.
 */
final class RemoteEngine implements Engine {
    private final String backend;
    private final String dialect;
    private final Staging staging;
    private final EngineTransport transport;
    private final Supplier<String> invocationIds;
    private final AtomicReference<WireResponse.EngineInfo> reported;

    RemoteEngine(String backend, String dialect, WireResponse.EngineInfo initial, Staging staging, EngineTransport transport) {
        this(backend, dialect, initial, staging, transport, () -> UUID.randomUUID().toString());
    }

    RemoteEngine(String backend, String dialect, WireResponse.EngineInfo initial, Staging staging, EngineTransport transport,
                 Supplier<String> invocationIds) {
        this.backend = backend;
        this.dialect = dialect;
        this.staging = staging;
        this.transport = transport;
        this.invocationIds = invocationIds;
        this.reported = new AtomicReference<>(Objects.requireNonNull(initial));
    }

    @Override
    public String name() {
        return reported.get().name();
    }

    @Override
    public String build() {
        return reported.get().build();
    }

    @Override
    public boolean accepts(String d) {
        return dialect.equalsIgnoreCase(d) || name().equalsIgnoreCase(d);
    }

    @Override
    public TransformResponse transform(TransformRequest request) {
        String invocationId = invocationIds.get();
        try (Staging.Staged staged = staging.stage(invocationId, request)) {
            WireResponse wire = transport.invoke(invocationId, staged.wire());
            if (wire.engine() != null && wire.engine().name() != null && wire.engine().build() != null) reported.set(wire.engine());
            TransformResponse response = wire.toTransformResponse();
            if (response instanceof TransformResponse.Success s) {
                boolean gotData = staged.collect();
                if (s.newOffsetInterval() != null && !gotData) {
                    return new TransformResponse.InternalError(backend + " engine " + dialect + " reported rows "
                            + s.newOffsetInterval() + " but no data file came back", null);
                }
            }
            return response;
        } catch (EngineTransportException e) {
            return new TransformResponse.InternalError(backend + " engine " + dialect + ": " + e.getMessage(), null);
        } catch (IOException e) {
            return new TransformResponse.InternalError(backend + " engine " + dialect + ": staging failed: " + e, null);
        }
    }

    @Override
    public String toString() {
        return "RemoteEngine[" + backend + ", " + dialect + ", " + name() + " " + build() + "]";
    }
}
