package dev.sluice.odf;

import java.util.List;

/** How raw data is read; permits order = FlatBuffers union order. {@code ddlSchema} is the legacy DDL form. */
public sealed interface ReadStep {
    DataSchema schema();

    List<String> ddlSchema();

    default String kind() {
        return getClass().getSimpleName();
    }

    record Csv(
            DataSchema schema,
            List<String> ddlSchema,
            String separator,
            String encoding,
            String quote,
            String escape,
            Boolean header,
            Boolean inferSchema,
            String nullValue,
            String dateFormat,
            String timestampFormat)
            implements ReadStep {}

    record GeoJson(DataSchema schema, List<String> ddlSchema) implements ReadStep {}

    record EsriShapefile(DataSchema schema, List<String> ddlSchema, String subPath) implements ReadStep {}

    record Parquet(DataSchema schema, List<String> ddlSchema) implements ReadStep {}

    record Json(DataSchema schema, List<String> ddlSchema, String subPath, String dateFormat, String encoding, String timestampFormat)
            implements ReadStep {}

    record NdJson(DataSchema schema, List<String> ddlSchema, String dateFormat, String encoding, String timestampFormat)
            implements ReadStep {}

    record NdGeoJson(DataSchema schema, List<String> ddlSchema) implements ReadStep {}
}
