package dev.sluice.data.read;

import dev.sluice.data.OdfArrow;
import dev.sluice.odf.ReadStep;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Opens the reader for a {@link ReadStep}: Csv, Json, NdJson, Parquet, GeoJson, NdGeoJson and EsriShapefile (a zip).
 *
 * <pre>{@code
 * ReadStep step = RecordReaders.forMediaType(source.read(), request.contentType());
 * try (RecordReader r = RecordReaders.open(step, body, ReadOptions.defaults())) {
 *     while (r.hasNext()) consume(r.next());
 * }
 * }</pre>
 *
 * The target schema is, in order: {@link ReadOptions#schema}, the step's {@code schema}, its legacy
 * {@code ddlSchema}; without any, CSV columns are strings and JSON types are inferred from the first batch.
 */
public final class RecordReaders {
    public static final String CSV = "text/csv";
    public static final String JSON = "application/json";
    public static final String NDJSON = "application/x-ndjson";
    public static final String GEOJSON = "application/geo+json";
    public static final String NDGEOJSON = "application/x-ndgeojson";
    public static final String PARQUET = "application/vnd.apache.parquet";
    public static final String SHAPEFILE = "application/vnd.shp";
    public static final String OCTET_STREAM = "application/octet-stream";

    private RecordReaders() {}

    public static RecordReader open(ReadStep step, InputStream in) {
        return open(step, in, ReadOptions.defaults());
    }

    /** Opens a reader; the reader owns {@code in} (closing the reader closes it, also when this throws). */
    public static RecordReader open(ReadStep step, InputStream in, ReadOptions options) {
        if (step == null) throw new BadInputException("no read step: the source has no read configuration and no media type was given");
        ReadOptions o = options == null ? ReadOptions.defaults() : options;
        BaseReader r;
        try {
            Schema target = targetSchema(step, o);
            if (step instanceof ReadStep.Csv c) {
                r = new CsvReader(c, in, target, o);
            } else if (step instanceof ReadStep.NdJson j) {
                r = new JsonReader(true, null, j.dateFormat(), j.timestampFormat(), j.encoding(), in, target, o);
            } else if (step instanceof ReadStep.Json j) {
                r = new JsonReader(false, j.subPath(), j.dateFormat(), j.timestampFormat(), j.encoding(), in, target, o);
            } else if (step instanceof ReadStep.Parquet) {
                r = new ParquetReader(in, target, o);
            } else if (step instanceof ReadStep.GeoJson) {
                r = new GeoJsonReader(false, in, target, o);
            } else if (step instanceof ReadStep.NdGeoJson) {
                r = new GeoJsonReader(true, in, target, o);
            } else if (step instanceof ReadStep.EsriShapefile e) {
                r = new ShapefileReader(e.subPath(), in, target, o);
            } else {
                throw new BadInputException("reading " + step.kind() + " is not supported yet");
            }
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw BaseReader.wrap(e);
        }
        try {
            r.start();
            return r;
        } catch (Throwable e) {
            r.close();
            throw BaseReader.wrap(e);
        }
    }

    /** The schema batches will have, or null when it is inferred from the input. */
    public static Schema targetSchema(ReadStep step, ReadOptions o) {
        try {
            if (o != null && o.schema != null) return o.schema;
            if (step.schema() != null && !step.schema().fields().isEmpty()) return OdfArrow.toArrow(step.schema());
            List<String> ddl = step.ddlSchema();
            if (ddl != null && !ddl.isEmpty()) return OdfArrow.toArrow(OdfArrow.parseDdl(ddl));
            return null;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid schema of the " + step.kind() + " read step: " + e.getMessage(), e);
        }
    }

    /**
     * The read step for a push whose body has {@code mediaType} (e.g. a Content-Type header; parameters ignored,
     * except {@code charset} which sets a CSV/JSON encoding). No media type or {@code application/octet-stream}:
     * the source's step. A media type of the source's own format: the source's step with all its options. Another
     * known format: that format's defaults, keeping the source's schema (and date/time formats between JSON kinds)
     * — as kamu's {@code DataFormatRegistry::get_compatible_read_config}. Unknown media type: {@link BadInputException}
     * naming it.
     */
    public static ReadStep forMediaType(ReadStep source, String mediaType) {
        if (mediaType == null || mediaType.isBlank()) {
            if (source == null) throw new BadInputException("no media type given and the source has no read step");
            return source;
        }
        String[] parts = mediaType.split(";");
        String mt = parts[0].trim().toLowerCase(Locale.ROOT);
        String charset = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("charset")) charset = p.substring(eq + 1).trim().replace("\"", "");
        }
        String kind = switch (mt) {
            case CSV, "text/comma-separated-values", "application/csv" -> "Csv";
            case JSON -> "Json";
            case NDJSON, "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines" -> "NdJson";
            case GEOJSON -> "GeoJson";
            case NDGEOJSON -> "NdGeoJson";
            case PARQUET, "application/x-parquet", "application/parquet" -> "Parquet";
            case SHAPEFILE, "x-gis/x-shapefile", "application/x-shapefile" -> "EsriShapefile";
            case OCTET_STREAM -> null;
            default -> throw new BadInputException("unsupported media type " + BadInputException.quote(mediaType)
                    + " (expected one of " + CSV + ", " + JSON + ", " + NDJSON + ", " + PARQUET + ", " + GEOJSON + ", "
                    + NDGEOJSON + ", " + SHAPEFILE + ")");
        };
        if (kind == null) {
            if (source == null) throw new BadInputException("media type " + OCTET_STREAM + " needs a source read step");
            return source;
        }
        ReadStep step;
        if (source != null && source.kind().equals(kind)) {
            step = source;
        } else {
            var schema = source == null ? null : source.schema();
            var ddl = source == null ? null : source.ddlSchema();
            String df = null, tf = null;
            if (source instanceof ReadStep.Json j) {
                df = j.dateFormat();
                tf = j.timestampFormat();
            } else if (source instanceof ReadStep.NdJson j) {
                df = j.dateFormat();
                tf = j.timestampFormat();
            } else if (source instanceof ReadStep.Csv c) {
                df = c.dateFormat();
                tf = c.timestampFormat();
            }
            step = switch (kind) {
                case "Csv" -> new ReadStep.Csv(schema, ddl, null, null, null, null, null, null, null, df, tf);
                case "Json" -> new ReadStep.Json(schema, ddl, null, df, null, tf);
                case "NdJson" -> new ReadStep.NdJson(schema, ddl, df, null, tf);
                case "GeoJson" -> new ReadStep.GeoJson(schema, ddl);
                case "NdGeoJson" -> new ReadStep.NdGeoJson(schema, ddl);
                case "Parquet" -> new ReadStep.Parquet(schema, ddl);
                default -> new ReadStep.EsriShapefile(schema, ddl, null);
            };
        }
        if (charset != null) {
            if (step instanceof ReadStep.Csv c) {
                step = new ReadStep.Csv(c.schema(), c.ddlSchema(), c.separator(), charset, c.quote(), c.escape(), c.header(),
                        c.inferSchema(), c.nullValue(), c.dateFormat(), c.timestampFormat());
            } else if (step instanceof ReadStep.Json j) {
                step = new ReadStep.Json(j.schema(), j.ddlSchema(), j.subPath(), j.dateFormat(), charset, j.timestampFormat());
            } else if (step instanceof ReadStep.NdJson j) {
                step = new ReadStep.NdJson(j.schema(), j.ddlSchema(), j.dateFormat(), charset, j.timestampFormat());
            }
        }
        return step;
    }

    /** The push media type of a read step's format. */
    public static String mediaType(ReadStep step) {
        if (step instanceof ReadStep.Csv) return CSV;
        if (step instanceof ReadStep.Json) return JSON;
        if (step instanceof ReadStep.NdJson) return NDJSON;
        if (step instanceof ReadStep.GeoJson) return GEOJSON;
        if (step instanceof ReadStep.NdGeoJson) return NDGEOJSON;
        if (step instanceof ReadStep.Parquet) return PARQUET;
        return SHAPEFILE;
    }

    private static void closeQuietly(InputStream in) {
        try {
            if (in != null) in.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
