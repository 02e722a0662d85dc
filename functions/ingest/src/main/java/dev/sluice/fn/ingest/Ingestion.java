package dev.sluice.fn.ingest;

import dev.sluice.fn.common.Node;
import dev.sluice.ingest.PushIngest;
import dev.sluice.ingest.poll.PollOptions;
import dev.sluice.ingest.poll.PollingIngest;
import dev.sluice.pipelines.IngestExecutor;
import dev.sluice.query.DuckDbPreprocessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The ingest paths of this function, built once: push and polling ingest with the sandboxed DuckDB preprocessor (so a
 * source's {@code preprocess} query runs as it does in the CLI), the poll options from {@link PollConfig}, and the
 * INGEST flow executor over them.
 */
@ApplicationScoped
public class Ingestion {
    private final PollConfig config;
    private final PushIngest push;
    private final PollingIngest polling;

    public Ingestion(Node node, PollConfig config) {
        this.config = config;
        DuckDbPreprocessor preprocessor = new DuckDbPreprocessor(node.scratchDir().resolve("preprocess"));
        this.push = node.ingest().withPreprocessor(preprocessor);
        this.polling = new PollingIngest(node.scratchDir()).withPreprocessor(preprocessor);
    }

    public PushIngest push() {
        return push;
    }

    public PollingIngest polling() {
        return polling;
    }

    /** Fresh options for one poll (they are mutable): this node's variables, secrets, file roots and limits. */
    public PollOptions options() {
        PollOptions o = PollOptions.defaults()
                .variables(config.vars())
                .secrets(config.secrets())
                .allowPipe(config.allowPipe())
                .connectTimeout(config.connectTimeout())
                .responseTimeout(config.responseTimeout())
                .fetchTimeout(config.fetchTimeout())
                .pipeTimeout(config.pipeTimeout());
        config.fileRoots().ifPresent(roots -> o.fileRoots(roots.stream().filter(s -> !s.isBlank()).map(Path::of).toList()));
        config.baseDir().ifPresent(dir -> o.baseDir(Path.of(dir)));
        return o;
    }

    /** INGEST flows run polls through the same ingest and options as the {@code poll} function. */
    @Produces
    @Singleton
    IngestExecutor ingestExecutor(Node node) {
        return new IngestExecutor(node.repository(), polling, this::options);
    }
}
