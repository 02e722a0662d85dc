package dev.sluice.transform;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.odf.Transform;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** Engines around the real DuckDB engine for tests: recording requests, meeting at a barrier, rewriting the SQL. */
final class TestEngines {
    private TestEngines() {}

    /** Delegates to {@code real}, applying {@code before} to each request and recording it. */
    static class Wrapping implements Engine {
        final Engine real;
        final UnaryOperator<TransformRequest> before;
        final List<TransformRequest> requests = new CopyOnWriteArrayList<>();

        Wrapping(Engine real, UnaryOperator<TransformRequest> before) {
            this.real = real;
            this.before = before;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public String build() {
            return real.build();
        }

        @Override
        public boolean accepts(String dialect) {
            return real.accepts(dialect);
        }

        @Override
        public boolean recomputes(Transform.Sql transform) {
            return real.recomputes(transform);
        }

        @Override
        public TransformResponse transform(TransformRequest request) {
            TransformRequest r = before.apply(request);
            requests.add(r);
            return real.transform(r);
        }
    }

    /** A provisioner that hands out one engine for every dialect it accepts. */
    static EngineProvisioner only(Engine e) {
        return new EngineProvisioner() {
            @Override
            public Optional<Engine> engineFor(String dialect) {
                return e.accepts(dialect) ? Optional.of(e) : Optional.empty();
            }
        };
    }

    /** The request with another SQL text (a "lying" engine: consistent hashes, wrong data). */
    static TransformRequest withSql(TransformRequest r, String sql) {
        return new TransformRequest(r.datasetId(), r.datasetAlias(), r.systemTime(), r.vocab(),
                new Transform.Sql(r.transform().engine(), null, sql, null, null), r.queryInputs(), r.nextOffset(),
                r.prevCheckpointPath(), r.newCheckpointPath(), r.newDataPath());
    }
}
