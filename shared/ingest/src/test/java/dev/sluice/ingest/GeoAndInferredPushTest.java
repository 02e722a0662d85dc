package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.data.read.BadInputException;
import dev.sluice.odf.DataType;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.DatasetVerifier;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.HashedBlock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push ingest of GeoJSON / NdGeoJSON by media type, and of a CSV source that infers its schema. */
class GeoAndInferredPushTest {
    @TempDir Path root;
    @TempDir Path scratch;

    static final String CITIES = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: cities
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: GeoJson
                    schema:
                      fields:
                        - {name: name, type: string}
                        - {name: pop, type: {kind: option, inner: int64}}
                        - {name: geometry, type: {kind: option, inner: string}}
                  merge:
                    kind: Ledger
                    primaryKey: [name]
            """;

    static final String TRIPS = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: trips
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: Csv
                    header: true
                    inferSchema: true
                  merge:
                    kind: Append
                - kind: SetVocab
                  eventTimeColumn: started
            """;

    static IngestSource text(String s) {
        return IngestSource.ofBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static final String COLLECTION = """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"name": "Alpha", "pop": 10}, "geometry": {"type": "Point", "coordinates": [1.5, 2]}},
              {"type": "Feature", "properties": {"name": "Beta"}, "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}},
              {"type": "Feature", "properties": {"name": "Gamma", "pop": 30}, "geometry": null}
            ]}
            """;

    static final String FEATURE_LINES = """
            {"type": "Feature", "properties": {"name": "Beta", "pop": 20}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
            {"type": "Feature", "properties": {"name": "Delta", "pop": 40}, "geometry": {"type": "MultiPolygon", "coordinates": [[[[0,0],[1,0],[1,1],[0,0]]]]}}
            """;

    @Test
    void geoJsonAndNdGeoJsonPushedByMediaType() throws Exception {
        Dataset ds = new DatasetRepository(new FileSystemObjectStore(root)).create(ManifestYaml.readSnapshot(CITIES));
        PushIngest ingest = new PushIngest(scratch);

        IngestResult first = ingest.ingest(ds, null, "application/geo+json", text(COLLECTION), null);
        assertEquals(3, first.rowsAdded());
        // another format than the source's: read with the source's schema; the Ledger keeps "Beta" once
        IngestResult second = ingest.ingest(ds, null, "application/x-ndgeojson", text(FEATURE_LINES), null);
        assertEquals(2, second.rowsRead());
        assertEquals(1, second.rowsAdded());

        Multihash head = ds.head().orElseThrow();
        BadInputException e = assertThrows(BadInputException.class,
                () -> ingest.ingest(ds, null, "application/geo+json", text(COLLECTION.replace("\"pop\": 30", "\"pop\": \"many\"")), null));
        assertEquals("feature 3 (line 4), property \"pop\": cannot parse 'many' as Int64", e.getMessage());
        e = assertThrows(BadInputException.class, () -> ingest.ingest(ds, null, "application/geo+json", text(FEATURE_LINES), null));
        assertTrue(e.getMessage().startsWith("expected a GeoJSON FeatureCollection, found type 'Feature'"), e.getMessage());
        assertEquals(head, ds.head().orElseThrow(), "rejected pushes change nothing");

        assertEquals(List.of("offset", "op", "system_time", "event_time", "name", "pop", "geometry"),
                ds.state().schema().fields().stream().map(f -> f.name()).toList());
        assertTrue(new DatasetVerifier().verify(ds).ok());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name, pop, geometry::JSON->>'type' FROM " + parquet(ds) + " ORDER BY \"offset\"")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) rows.add(rs.getString(1) + "|" + rs.getObject(2) + "|" + rs.getString(3));
            assertEquals(List.of("Alpha|10|Point", "Beta|null|Polygon", "Gamma|30|null", "Delta|40|MultiPolygon"), rows);
        }
    }

    @Test
    void inferredCsvSchemaBecomesTheDatasetSchema() throws Exception {
        Dataset ds = new DatasetRepository(new FileSystemObjectStore(root)).create(ManifestYaml.readSnapshot(TRIPS));
        PushIngest ingest = new PushIngest(scratch);
        ingest.ingest(ds, null, null, text("started,km,paid,rider\n2024-05-01T08:00:00Z,3.5,true,ann\n2024-05-01T09:30:00Z,12,false,bob\n"), null);
        ingest.ingest(ds, null, "text/csv", text("started,km,paid,rider\n2024-05-02T10:00:00Z,1.25,true,cy\n"), null);

        List<MetadataEvent.SetDataSchema> schemas = new ArrayList<>();
        for (HashedBlock b : ds.blocks()) if (b.block().event() instanceof MetadataEvent.SetDataSchema s) schemas.add(s);
        assertEquals(1, schemas.size(), "the inferred schema is recorded once");
        List<String> fields = new ArrayList<>();
        for (var f : ds.state().schema().fields()) fields.add(f.name() + ":" + describe(f.type()));
        assertEquals(List.of("offset:Int64", "op:Int32", "system_time:Timestamp", "started:Timestamp", "km:Float64", "paid:Bool", "rider:String"),
                fields);
        assertTrue(new DatasetVerifier().verify(ds).ok());
        Multihash head = ds.head().orElseThrow();
        // Each push infers from its own rows (as kamu): one whose km values are all integers infers Int64, which the
        // additive-only schema rule rejects — a clear error, and the dataset is unchanged.
        var x = assertThrows(dev.sluice.odf.chain.ChainValidationException.class,
                () -> ingest.ingest(ds, null, null, text("started,km,paid,rider\n2024-05-03T10:00:00Z,2,true,dee\n"), null));
        assertTrue(x.getMessage().contains("alters the type of column 'km'"), x.getMessage());
        assertEquals(head, ds.head().orElseThrow());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), sum(km), count(*) FILTER (WHERE paid) FROM " + parquet(ds))) {
            rs.next();
            assertEquals(3, rs.getLong(1));
            assertEquals(16.75, rs.getDouble(2));
            assertEquals(2, rs.getLong(3));
        }
    }

    static String describe(DataType t) {
        return (t instanceof DataType.Option o ? o.inner() : t).kind();
    }

    static String parquet(Dataset ds) throws Exception {
        return "read_parquet([" + String.join(",", PushIngestTest.dataFiles(ds).stream().map(f -> "'" + f + "'").toList()) + "])";
    }
}
