package dev.sluice.fn.api;

import dev.sluice.fn.common.ApiException;
import dev.sluice.fn.common.Datasets;
import dev.sluice.fn.common.Node;
import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.chain.ChainState;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The api function: dataset catalogue, tail and metadata. Each operation is a plain method, exposed as a Funqy
 * function (JSON in/out; CloudEvent or Lambda event under those bindings) and, with kamu-node's paths, by
 * {@link ApiResource}. The work is shared/* (repository, chain state, manifests); this class shapes responses.
 */
@ApplicationScoped
public class ApiFunctions {
    static final int MAX_TAIL = 10_000;

    private final Node node;
    private final Datasets datasets;
    private final TailReader tails;

    public ApiFunctions(Node node, Datasets datasets) {
        this.node = node;
        this.datasets = datasets;
        this.tails = new TailReader(node.scratchDir().resolve("slice-cache"));
    }

    public record DatasetSummary(String id, String alias, String name, String kind, String head, long blocks) {}

    public record DatasetList(List<DatasetSummary> datasets) {}

    public record CreateRequest(String snapshot) {}

    public record TailRequest(String account, String dataset, Integer skip, Integer limit) {}

    public record TailResponse(String dataset, String dataFormat, List<Map<String, Object>> data) {}

    public record MetadataRequest(String account, String dataset) {}

    @Funq("list-datasets")
    public DatasetList list() {
        DatasetRepository repo = node.repository();
        List<DatasetSummary> out = new ArrayList<>();
        for (DatasetRepository.Entry e : repo.list()) {
            repo.find(e.id().toDid()).ifPresent(ds -> out.add(summary(ds)));
        }
        return new DatasetList(out);
    }

    @Funq("create-dataset")
    public DatasetSummary create(CreateRequest request) {
        if (request == null || request.snapshot() == null) throw ApiException.badRequest("missing 'snapshot' (DatasetSnapshot YAML)");
        return create(ManifestYaml.readSnapshot(request.snapshot()));
    }

    /** Creates a dataset from a snapshot; in local mode an {@code account/} prefix must name the node's account. */
    public DatasetSummary create(DatasetSnapshot snapshot) {
        DatasetAlias alias = datasets.localAlias(snapshot.name());
        DatasetRepository repo = node.repository();
        Dataset ds = repo.create(alias, snapshot.kind(), repo.resolve(snapshot));
        // Creation does not notify commit listeners: index the new chain now, so the index has it before its first commit.
        if (node.index() != null) node.index().sync(ds.id());
        return summary(ds);
    }

    @Funq("tail")
    public TailResponse tail(TailRequest request) throws IOException {
        if (request == null || request.dataset() == null) throw ApiException.badRequest("missing 'dataset'");
        String account = request.account() == null ? node.config().account() : request.account();
        return tail(account, request.dataset(), request.skip() == null ? 0 : request.skip(), request.limit() == null ? 100 : request.limit());
    }

    public TailResponse tail(String account, String name, int skip, int limit) throws IOException {
        if (skip < 0 || skip > MAX_TAIL) throw ApiException.badRequest("skip must be between 0 and " + MAX_TAIL);
        if (limit < 1 || limit > MAX_TAIL) throw ApiException.badRequest("limit must be between 1 and " + MAX_TAIL);
        Dataset ds = datasets.get(account, name);
        return new TailResponse(datasets.publicAlias(ds.alias()), "JsonAoS", tails.tail(ds, skip, limit));
    }

    @Funq("metadata")
    public Map<String, Object> metadata(MetadataRequest request) {
        if (request == null || request.dataset() == null) throw ApiException.badRequest("missing 'dataset'");
        return metadata(request.account() == null ? node.config().account() : request.account(), request.dataset());
    }

    /** Seed, refs, vocabulary, push sources and the current schema (ODF YAML), under {@code output} as kamu-node has it. */
    public Map<String, Object> metadata(String account, String name) {
        Dataset ds = datasets.get(account, name);
        ChainState st = ds.state();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alias", datasets.publicAlias(ds.alias()));
        out.put("seed", Map.of("datasetId", ds.id().toDid(), "datasetKind", st.kind().name()));
        out.put("refs", List.of(Map.of("name", "head", "blockHash", st.head().toMultibase())));
        out.put("sequenceNumber", st.sequenceNumber());
        var v = st.vocab();
        out.put("vocab", Map.of("offsetColumn", v.offsetColumn(), "operationTypeColumn", v.operationTypeColumn(),
                "systemTimeColumn", v.systemTimeColumn(), "eventTimeColumn", v.eventTimeColumn()));
        out.put("pushSources", st.pushSourceNames());
        if (st.watermark() != null) out.put("watermark", st.watermark().toString());
        if (st.schema() != null) {
            out.put("schemaFormat", "OdfYaml");
            out.put("schema", ManifestYaml.writeEventContent(new MetadataEvent.SetDataSchema(null, st.schema())));
        }
        return Map.of("output", out);
    }

    private DatasetSummary summary(Dataset ds) {
        ChainState st = ds.state();
        DatasetAlias alias = DatasetAlias.parse(ds.alias());
        return new DatasetSummary(ds.id().toDid(), datasets.publicAlias(ds.alias()), alias.name(), st.kind().name(),
                st.head().toMultibase(), st.sequenceNumber() + 1);
    }
}
