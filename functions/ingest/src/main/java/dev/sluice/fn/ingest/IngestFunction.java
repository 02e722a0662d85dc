package dev.sluice.fn.ingest;

import dev.sluice.data.read.BadInputException;
import dev.sluice.data.read.RecordReaders;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Datasets;
import dev.sluice.fn.common.Node;
import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.odf.ReadStep;
import dev.sluice.storage.Dataset;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * The ingest function: push data into a root dataset through one of its push sources. The work is
 * {@link dev.sluice.ingest.PushIngest} (with the preprocess engine, see {@link Ingestion}); this class only resolves the dataset and checks the media type.
 *
 * <p>Entry points: the Funqy function {@code ingest} (JSON in, JSON out; a CloudEvent under the Knative binding, a
 * Lambda event under the Lambda binding) for event-driven pushes with a small inline body, and
 * {@link IngestResource} for the kamu-compatible raw-body endpoint.
 */
@ApplicationScoped
public class IngestFunction {
    /** A read step used only to ask shared/data whether a media type is one it can read. */
    private static final ReadStep PROBE = new ReadStep.NdJson(null, null, null, null, null);

    private final Node node;
    private final Datasets datasets;
    private final Ingestion ingestion;

    public IngestFunction(Node node, Datasets datasets, Ingestion ingestion) {
        this.node = node;
        this.datasets = datasets;
        this.ingestion = ingestion;
    }

    /** Event form of a push: the body travels inline as text. */
    public record IngestRequest(String account, String dataset, String sourceName, String mediaType, String data, String idempotencyKey) {}

    /** What a push did; hashes in multibase form, {@code addedOffsets} null when nothing new was added. */
    public record IngestResponse(String dataset, String oldHead, String newHead, boolean committed, boolean duplicate,
            long rowsRead, long rowsAdded, long[] addedOffsets) {}

    @Funq("ingest")
    public IngestResponse ingest(IngestRequest request) {
        if (request == null) throw ApiException.badRequest("missing request body");
        if (request.dataset() == null) throw ApiException.badRequest("missing 'dataset'");
        if (request.data() == null) throw ApiException.badRequest("missing 'data'");
        String account = request.account() == null ? node.config().account() : request.account();
        byte[] body = request.data().getBytes(StandardCharsets.UTF_8);
        return push(account, request.dataset(), request.sourceName(), request.mediaType(), IngestSource.ofBytes(body), request.idempotencyKey());
    }

    public IngestResponse push(String account, String name, String sourceName, String mediaType, IngestSource body, String idempotencyKey) {
        Dataset ds = datasets.get(account, name);
        checkMediaType(mediaType);
        IngestResult r = ingestion.push().ingest(ds, blankToNull(sourceName), blankToNull(mediaType), body, blankToNull(idempotencyKey));
        long[] offsets = r.newData() == null || r.duplicate() ? null : new long[] {r.newData().start(), r.newData().end()};
        return new IngestResponse(datasets.publicAlias(ds.alias()), r.oldHead().toMultibase(), r.newHead().toMultibase(),
                r.committed(), r.duplicate(), r.rowsRead(), r.rowsAdded(), offsets);
    }

    /** An unknown media type is 415 (not a malformed body): the client named a format the node cannot read. */
    static void checkMediaType(String mediaType) {
        if (mediaType == null || mediaType.isBlank()) return;
        try {
            RecordReaders.forMediaType(PROBE, mediaType);
        } catch (BadInputException e) {
            throw ApiException.unsupportedMediaType(e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
