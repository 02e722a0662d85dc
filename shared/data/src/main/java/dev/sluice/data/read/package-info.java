/**
 * Push-ingest readers: a user's CSV / JSON / NdJson / Parquet / GeoJson / NdGeoJson / EsriShapefile body to Arrow
 * batches in the push source's schema.
 *
 * <p>Entry points: {@link dev.sluice.data.read.RecordReaders#forMediaType} (Content-Type → read step),
 * {@link dev.sluice.data.read.RecordReaders#open} (read step + body → {@link dev.sluice.data.read.RecordReader}),
 * {@link dev.sluice.data.read.ReadOptions} (allocator, batch rows, schema override). Every input problem is a
 * {@link dev.sluice.data.read.BadInputException} with a one-line message naming row (1-based data rows), column and
 * value, e.g. {@code row 17, column "score": cannot parse 'abc' as Int64}.
 *
 * <p>Decisions: an empty body (no bytes / only blank lines / whitespace JSON) is an error ("empty input"); a CSV with
 * only a header, or a JSON {@code []}, gives zero batches. Unknown JSON keys and extra Parquet columns are ignored;
 * extra or missing CSV header columns are an error. Timestamps without an offset are UTC; date-only timestamps are
 * midnight UTC. Integers given for JSON Timestamp/Date columns count units (ms by default)/days since the epoch.
 *
 * <p>Without a schema: CSV columns are strings, or typed from the first 1000 rows with {@code inferSchema}; JSON types
 * come from the first batch. GeoJSON features and shapefile records are rows whose properties / dBase fields are
 * columns and whose geometry is the String column {@code geometry} (GeoJSON text), as kamu's DataFusion ingest does;
 * their messages say "feature N (line L), property ..." and "record N, field ...".
 */
package dev.sluice.data.read;
