package dev.sluice.fn.transform;

import dev.sluice.fn.common.ApiError;
import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Datasets;
import dev.sluice.fn.common.Node;
import dev.sluice.fn.common.ProblemClassifier;
import dev.sluice.transform.EngineFailedException;
import dev.sluice.transform.EngineNotAvailableException;
import dev.sluice.transform.InputBreakingChangeException;
import dev.sluice.transform.InvalidTransformException;
import dev.sluice.transform.ResetResult;
import dev.sluice.transform.TransformResult;
import dev.sluice.transform.TransformService;
import dev.sluice.storage.Dataset;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The transform function: brings a derivative up to date with its inputs. The work is {@link TransformService} on the
 * configured engines ({@link TransformPipelines}); this class resolves the dataset and maps the typed failures to
 * responses. A flow
 * calls it on a schedule or when an input changed; {@code maxSteps} bounds one call for functions with a time limit
 * (the answer says whether more is pending).
 */
@ApplicationScoped
public class TransformFunction implements ProblemClassifier {
    private final Datasets datasets;
    private final Node node;
    private final TransformService service;

    public TransformFunction(Node node, Datasets datasets, TransformService service) {
        this.node = node;
        this.datasets = datasets;
        this.service = service;
    }

    public record TransformRequest(String account, String dataset, Integer maxSteps) {}

    /** One committed step; hashes in multibase form, {@code offsets} null when the step produced no rows. */
    public record Step(String block, String input, String inputBlock, long[] offsets, String engine, String engineBuild) {}

    public record TransformResponse(String dataset, String oldHead, String newHead, boolean upToDate, String waitingFor,
            List<Step> steps, List<String> notes) {}

    public record ResetResponse(String dataset, String oldHead, String newHead, int droppedBlocks, int keptEvents) {}

    @Funq("transform")
    public TransformResponse transform(TransformRequest request) {
        if (request == null) throw ApiException.badRequest("missing request body");
        int maxSteps = request.maxSteps() == null ? Integer.MAX_VALUE : request.maxSteps();
        if (maxSteps < 1) throw ApiException.badRequest("'maxSteps' must be at least 1");
        Dataset ds = dataset(request.account(), request.dataset());
        TransformResult r = service.transform(ds, maxSteps);
        List<Step> steps = r.steps().stream().map(s -> new Step(s.block().toMultibase(), s.input(), s.inputBlock().toMultibase(),
                s.newData() == null ? null : new long[] {s.newData().start(), s.newData().end()}, s.engine(), s.engineBuild())).toList();
        return new TransformResponse(datasets.publicAlias(ds.alias()), r.oldHead().toMultibase(), r.newHead().toMultibase(), r.upToDate(),
                r.waitingFor(), steps, r.notes());
    }

    /** Takes a derivative back to its metadata (after an input's history was rewritten); transform it again afterwards. */
    @Funq("transform-reset")
    public ResetResponse reset(TransformRequest request) {
        if (request == null) throw ApiException.badRequest("missing request body");
        Dataset ds = dataset(request.account(), request.dataset());
        ResetResult r = service.reset(ds);
        return new ResetResponse(datasets.publicAlias(ds.alias()), r.oldHead().toMultibase(), r.newHead().toMultibase(), r.droppedBlocks(), r.keptEvents());
    }

    private Dataset dataset(String account, String name) {
        if (name == null || name.isBlank()) throw ApiException.badRequest("missing 'dataset'");
        return datasets.get(account == null ? node.config().account() : account, name);
    }

    @Override
    public ApiError classify(Throwable t) {
        if (t instanceof InvalidTransformException) return new ApiError(400, "invalid-transform", t.getMessage());
        if (t instanceof EngineNotAvailableException) return new ApiError(422, "engine-not-available", t.getMessage());
        if (t instanceof InputBreakingChangeException) return new ApiError(409, "input-breaking-change", t.getMessage());
        if (t instanceof EngineFailedException) return new ApiError(503, "engine-failed", t.getMessage());
        return null;
    }
}
