package dev.sluice.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.data.SliceReader;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetLayout;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Snapshot-merge dataset pushed three versions of a CSV table, end to end through push ingest. */
class SnapshotPushTest {
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
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - {name: city, type: string}
                        - {name: population, type: int64}
                  merge:
                    kind: Snapshot
                    primaryKey: [city]
            """;

    record Step(String csv, List<String> expected) {}

    @Test
    void threeVersionsYieldExactChangelog() throws Exception {
        Dataset ds = new DatasetRepository(new FileSystemObjectStore(root)).create(ManifestYaml.readSnapshot(CITIES));
        PushIngest ingest = new PushIngest(scratch);
        List<Step> steps = List.of(
                new Step("city,population\nA,1000\nB,2000\nC,3000\n", List.of("0 +A A 1000", "1 +A B 2000", "2 +A C 3000")),
                // B changes, C disappears, D appears; corrections adjacent, ordered by key
                new Step("city,population\nA,1000\nB,2500\nD,4000\n", List.of("3 -C B 2000", "4 +C B 2500", "5 -R C 3000", "6 +A D 4000")),
                // C comes back, A changes, D unchanged, B disappears
                new Step("city,population\nA,1100\nC,3100\nD,4000\n", List.of("7 -C A 1000", "8 +C A 1100", "9 -R B 2500", "10 +A C 3100")));
        for (Step s : steps) {
            IngestResult r = ingest.ingest(ds, null, null, IngestSource.ofBytes(s.csv().getBytes(StandardCharsets.UTF_8)), null);
            assertEquals(s.expected(), rowsOf(ds, r), "after pushing:\n" + s.csv());
        }
        IngestResult same = ingest.ingest(ds, null, null, IngestSource.ofBytes(steps.get(2).csv().getBytes(StandardCharsets.UTF_8)), null);
        assertEquals(false, same.committed(), "the same snapshot again changes nothing");
    }

    static List<String> rowsOf(Dataset ds, IngestResult r) throws Exception {
        var add = (MetadataEvent.AddData) ds.block(r.newHead()).block().event();
        Path file = ds.store().localFile(DatasetLayout.data(ds.id(), add.newData().physicalHash())).orElseThrow();
        String[] ops = {"+A", "-R", "-C", "+C"};
        List<String> out = new ArrayList<>();
        try (SliceReader reader = SliceReader.open(file, null, 100)) {
            while (reader.hasNext()) {
                VectorSchemaRoot b = reader.next();
                for (int i = 0; i < b.getRowCount(); i++) {
                    out.add(b.getVector("offset").getObject(i) + " " + ops[(Integer) b.getVector("op").getObject(i)] + " "
                            + b.getVector("city").getObject(i) + " " + b.getVector("population").getObject(i));
                }
            }
        }
        return out;
    }
}
