package dev.sluice.fn.ingest;

import dev.sluice.fn.common.ApiError;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Datasets;
import dev.sluice.fn.common.Node;
import dev.sluice.fn.common.ProblemClassifier;
import dev.sluice.ingest.poll.FetchException;
import dev.sluice.ingest.poll.PollResult;
import dev.sluice.ingest.poll.UnsupportedSourceException;
import dev.sluice.storage.Dataset;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The poll function: one poll of a root dataset's polling source, on demand ({@link Ingestion}'s polling ingest does
 * the work with the node's {@link PollConfig} options; this class resolves the dataset). Scheduled polls are INGEST
 * flow tasks over the same ingest ({@link dev.sluice.pipelines.IngestExecutor}). {@code hasMore} in the answer asks
 * to be invoked again (FilesGlob with more pending files).
 *
 * <p>Errors: a fetch that may succeed later is 503 {@code source-unavailable}, one that will not (404 at the
 * source, bad URL, unknown variable) 422 {@code fetch-failed}; a source kind this node does not run (Container,
 * Mqtt, EthereumLogs) 422 {@code unsupported-source}. Bad data and failed prepare steps are 400, as for pushes.
 */
@ApplicationScoped
public class PollFunction implements ProblemClassifier {
    private final Node node;
    private final Datasets datasets;
    private final Ingestion ingestion;

    public PollFunction(Node node, Datasets datasets, Ingestion ingestion) {
        this.node = node;
        this.datasets = datasets;
        this.ingestion = ingestion;
    }

    /** @param fetchUncacheable fetch a source that gives no ETag or Last-Modified even though the dataset has data */
    public record PollRequest(String account, String dataset, Boolean fetchUncacheable) {}

    /** What a poll did; {@code status} is UPDATED, UP_TO_DATE or UNCACHEABLE; hashes in multibase form. */
    public record PollResponse(String dataset, String status, String oldHead, String newHead, boolean committed, long rowsRead,
            long rowsAdded, long[] addedOffsets, String sourceStateKind, String sourceState, boolean hasMore, String fetched,
            String detail) {}

    @Funq("poll")
    public PollResponse poll(PollRequest request) {
        if (request == null) throw ApiException.badRequest("missing request body");
        if (request.dataset() == null) throw ApiException.badRequest("missing 'dataset'");
        String account = request.account() == null ? node.config().account() : request.account();
        Dataset ds = datasets.get(account, request.dataset());
        PollResult r = ingestion.polling().poll(ds, ingestion.options().fetchUncacheable(Boolean.TRUE.equals(request.fetchUncacheable())));
        long[] offsets = r.newData() == null ? null : new long[] {r.newData().start(), r.newData().end()};
        return new PollResponse(datasets.publicAlias(ds.alias()), r.status().name(), r.oldHead().toMultibase(), r.newHead().toMultibase(),
                r.committed(), r.rowsRead(), r.rowsAdded(), offsets, r.sourceState() == null ? null : r.sourceState().kind(),
                r.sourceState() == null ? null : r.sourceState().value(), r.hasMore(), r.fetched(), r.detail());
    }

    @Override
    public ApiError classify(Throwable t) {
        if (t instanceof FetchException f) {
            return f.retryable() ? new ApiError(503, "source-unavailable", f.getMessage()) : new ApiError(422, "fetch-failed", f.getMessage());
        }
        if (t instanceof UnsupportedSourceException u) return new ApiError(422, "unsupported-source", u.getMessage());
        return null;
    }
}
