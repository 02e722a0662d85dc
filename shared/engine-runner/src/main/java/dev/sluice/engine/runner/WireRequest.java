package dev.sluice.engine.runner;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformRequestInput;
import dev.sluice.engine.Watermark;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetVocabulary;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.OffsetInterval;
import dev.sluice.odf.Transform;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@link TransformRequest} as JSON, so it can travel to an engine in another process, container or function: file
 * paths become {@link Location}s, instants ISO-8601 strings, the dataset id its {@code did:odf:} form. The field names
 * are ODF's. {@code formatVersion} is {@link #FORMAT_VERSION}; a runner refuses others.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WireRequest(
        int formatVersion,
        String datasetId,
        String datasetAlias,
        String systemTime,
        Vocab vocab,
        Sql transform,
        List<Input> queryInputs,
        Long nextOffset,
        String prevCheckpointPath,
        String newCheckpointPath,
        String newDataPath) {

    public static final int FORMAT_VERSION = 1;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Vocab(String offsetColumn, String operationTypeColumn, String systemTimeColumn, String eventTimeColumn) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sql(String engine, String version, String query, List<Step> queries, List<TemporalTable> temporalTables) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(String alias, String query) {}

    public record TemporalTable(String name, List<String> primaryKey) {}

    /** A closed offset interval; both ends are required. */
    public record Interval(Long start, Long end) {
        boolean valid() {
            return start != null && end != null && start >= 0 && start <= end;
        }
    }

    public record WatermarkEntry(String systemTime, String eventTime) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(
            String datasetId,
            String datasetAlias,
            String queryAlias,
            Vocab vocab,
            Interval offsetInterval,
            List<String> dataPaths,
            String schemaFile,
            List<WatermarkEntry> explicitWatermarks) {}

    /** The wire form of {@code request}, each path turned into a location by {@code locate}. */
    public static WireRequest from(TransformRequest request, Function<Path, Location> locate) {
        List<Input> inputs = new ArrayList<>();
        for (TransformRequestInput in : request.queryInputs()) {
            inputs.add(new Input(
                    in.datasetId().toDid(),
                    in.datasetAlias(),
                    in.queryAlias(),
                    vocab(in.vocab()),
                    in.offsetInterval() == null ? null : new Interval(in.offsetInterval().start(), in.offsetInterval().end()),
                    in.dataPaths().stream().map(p -> locate.apply(p).toString()).toList(),
                    in.schemaFile() == null ? null : locate.apply(in.schemaFile()).toString(),
                    in.explicitWatermarks().stream()
                            .map(w -> new WatermarkEntry(w.systemTime().toString(), w.eventTime().toString()))
                            .toList()));
        }
        Transform.Sql sql = request.transform();
        return new WireRequest(
                FORMAT_VERSION,
                request.datasetId().toDid(),
                request.datasetAlias(),
                request.systemTime().toString(),
                vocab(request.vocab()),
                new Sql(sql.engine(), sql.version(), sql.query(),
                        sql.queries() == null ? null : sql.queries().stream().map(s -> new Step(s.alias(), s.query())).toList(),
                        sql.temporalTables() == null ? null
                                : sql.temporalTables().stream().map(t -> new TemporalTable(t.name(), t.primaryKey())).toList()),
                inputs,
                request.nextOffset(),
                request.prevCheckpointPath() == null ? null : locate.apply(request.prevCheckpointPath()).toString(),
                locate.apply(request.newCheckpointPath()).toString(),
                locate.apply(request.newDataPath()).toString());
    }

    /** The dialect the request's SQL is written in (its {@code transform.engine}). */
    public String dialect() {
        return transform == null ? null : transform.engine();
    }

    /**
     * Checks the request and gives the {@link TransformRequest} it describes, each input location (data, schema,
     * previous checkpoint) turned into a local path by {@code resolveInput} (which may download the file) and each
     * output location (new data, new checkpoint) by {@code resolveOutput}. Throws {@link InvalidWireRequestException}
     * naming the first problem, before anything is resolved.
     */
    public TransformRequest toTransformRequest(Function<Location, Path> resolveInput, Function<Location, Path> resolveOutput) {
        Function<Location, Path> resolve = resolveInput;
        validate();
        List<TransformRequestInput> inputs = new ArrayList<>();
        for (Input in : queryInputs) {
            inputs.add(new TransformRequestInput(
                    DatasetId.parse(in.datasetId()),
                    in.datasetAlias(),
                    in.queryAlias(),
                    vocab(in.vocab()),
                    in.offsetInterval() == null ? null : new OffsetInterval(in.offsetInterval().start(), in.offsetInterval().end()),
                    in.dataPaths() == null ? List.of() : in.dataPaths().stream().map(l -> resolve.apply(Location.parse(l))).toList(),
                    in.schemaFile() == null ? null : resolve.apply(Location.parse(in.schemaFile())),
                    in.explicitWatermarks() == null ? List.of() : in.explicitWatermarks().stream()
                            .map(w -> new Watermark(Instant.parse(w.systemTime()), Instant.parse(w.eventTime())))
                            .toList()));
        }
        return new TransformRequest(
                DatasetId.parse(datasetId),
                datasetAlias,
                Instant.parse(systemTime),
                vocab(vocab),
                new Transform.Sql(transform.engine(), transform.version(), transform.query(),
                        transform.queries() == null ? null
                                : transform.queries().stream().map(s -> new Transform.SqlQueryStep(s.alias(), s.query())).toList(),
                        transform.temporalTables() == null ? null
                                : transform.temporalTables().stream()
                                        .map(t -> new Transform.TemporalTable(t.name(), t.primaryKey())).toList()),
                inputs,
                nextOffset,
                prevCheckpointPath == null ? null : resolve.apply(Location.parse(prevCheckpointPath)),
                resolveOutput.apply(Location.parse(newCheckpointPath)),
                resolveOutput.apply(Location.parse(newDataPath)));
    }

    /** Every location of the request, inputs first, for staging. */
    public List<String> inputLocations() {
        List<String> out = new ArrayList<>();
        if (queryInputs != null) {
            for (Input in : queryInputs) {
                if (in.dataPaths() != null) out.addAll(in.dataPaths());
                if (in.schemaFile() != null) out.add(in.schemaFile());
            }
        }
        if (prevCheckpointPath != null) out.add(prevCheckpointPath);
        return out;
    }

    /** Throws {@link InvalidWireRequestException} naming the first missing or malformed field. */
    public void validate() {
        if (formatVersion != FORMAT_VERSION) {
            throw new InvalidWireRequestException("unsupported formatVersion " + formatVersion + " (this runner reads " + FORMAT_VERSION + ")");
        }
        require(datasetId, "datasetId");
        did(datasetId, "datasetId");
        instant(require(systemTime, "systemTime"), "systemTime");
        require(transform, "transform");
        require(transform.engine(), "transform.engine");
        if (transform.query() == null && (transform.queries() == null || transform.queries().isEmpty())) {
            throw new InvalidWireRequestException("transform has neither query nor queries");
        }
        require(queryInputs, "queryInputs");
        require(nextOffset, "nextOffset");
        if (nextOffset < 0) throw new InvalidWireRequestException("nextOffset must be >= 0, got " + nextOffset);
        location(require(newCheckpointPath, "newCheckpointPath"));
        location(require(newDataPath, "newDataPath"));
        if (prevCheckpointPath != null) location(prevCheckpointPath);
        for (int i = 0; i < queryInputs.size(); i++) {
            Input in = queryInputs.get(i);
            String at = "queryInputs[" + i + "]";
            require(in, at);
            did(require(in.datasetId(), at + ".datasetId"), at + ".datasetId");
            require(in.queryAlias(), at + ".queryAlias");
            if (in.offsetInterval() != null && !in.offsetInterval().valid()) {
                throw new InvalidWireRequestException(at + ".offsetInterval must have 0 <= start <= end: " + in.offsetInterval());
            }
            if (in.dataPaths() != null) in.dataPaths().forEach(WireRequest::location);
            if (in.schemaFile() != null) location(in.schemaFile());
            if (in.explicitWatermarks() != null) {
                for (WatermarkEntry w : in.explicitWatermarks()) {
                    instant(require(w.systemTime(), at + ".explicitWatermarks.systemTime"), at + ".explicitWatermarks.systemTime");
                    instant(require(w.eventTime(), at + ".explicitWatermarks.eventTime"), at + ".explicitWatermarks.eventTime");
                }
            }
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) throw new InvalidWireRequestException("missing field " + field);
        return value;
    }

    private static void location(String text) {
        Location.parse(text);
    }

    private static void did(String text, String field) {
        try {
            DatasetId.parse(text);
        } catch (OdfFormatException e) {
            throw new InvalidWireRequestException(field + ": " + e.getMessage(), e);
        }
    }

    private static void instant(String text, String field) {
        try {
            Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidWireRequestException(field + " is not an ISO-8601 instant: '" + text + "'", e);
        }
    }

    private static Vocab vocab(DatasetVocabulary v) {
        return v == null ? null : new Vocab(v.offsetColumn(), v.operationTypeColumn(), v.systemTimeColumn(), v.eventTimeColumn());
    }

    private static DatasetVocabulary vocab(Vocab v) {
        if (v == null) return DatasetVocabulary.DEFAULT;
        DatasetVocabulary d = DatasetVocabulary.DEFAULT;
        return new DatasetVocabulary(
                v.offsetColumn() != null ? v.offsetColumn() : d.offsetColumn(),
                v.operationTypeColumn() != null ? v.operationTypeColumn() : d.operationTypeColumn(),
                v.systemTimeColumn() != null ? v.systemTimeColumn() : d.systemTimeColumn(),
                v.eventTimeColumn() != null ? v.eventTimeColumn() : d.eventTimeColumn());
    }
}
