package dev.sluice.fn.ingest;

import dev.sluice.fn.common.Warmup;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.DatasetId;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MergeStrategy;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.ReadStep;
import dev.sluice.odf.TimeUnit;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import dev.sluice.storage.LocalFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A one-row CSV push into a throwaway dataset in a temp folder, from the start of the process: what a push loads and
 * runs the first time (the CSV reader, Arrow, the Parquet slice writer and its hashes, the metadata chain's codec,
 * validation and commit) does so while the framework starts instead of on the first request. Nothing of it is kept;
 * the function's own datasets are not touched.
 */
public final class PushWarmup implements Warmup {
    @Override
    public void run() throws Exception {
        Path dir = Files.createTempDirectory("sluice-warmup-");
        try {
            DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(dir.resolve("datasets")));
            DataSchema schema = new DataSchema(List.of(
                    new DataField("event_time", new DataType.Timestamp(TimeUnit.Millisecond, "UTC"), null),
                    new DataField("v", new DataType.Int64(), null)), null);
            ReadStep csv = new ReadStep.Csv(schema, null, null, null, null, null, true, null, null, null, null);
            // A fixed identity: a new one would generate an ed25519 key pair, which no push needs.
            Dataset ds = repo.create(DatasetId.ofPublicKey(new byte[32]), new DatasetSnapshot("warmup", DatasetKind.Root,
                    List.of(new MetadataEvent.AddPushSource("default", csv, null, new MergeStrategy.Append()))));
            byte[] row = "event_time,v\n2024-01-01T00:00:00Z,1\n".getBytes(StandardCharsets.UTF_8);
            new PushIngest(dir.resolve("tmp")).ingest(ds, null, null, IngestSource.ofBytes(row), null);
        } finally {
            LocalFiles.deleteTree(dir);
        }
    }
}
