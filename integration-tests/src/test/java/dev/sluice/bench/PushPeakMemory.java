package dev.sluice.bench;

import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import dev.sluice.storage.FileSystemObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of one push of a large CSV (the benchmark's columns): {@code PushPeakMemory ROWS [CSV]} pushes into a
 * fresh dataset next to the CSV and prints the heap pools' peaks and the process's peak RSS. Run it with decreasing
 * {@code -Xmx} to find the heap a push needs. Writes the CSV when it does not exist; deletes the dataset afterwards.
 */
public final class PushPeakMemory {
    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        Path csv = args.length > 1 ? Path.of(args[1]) : Path.of("/tmp/sluice-push-peak.csv");
        if (!Files.exists(csv)) CsvFile.write(csv, rows);
        Path dir = Files.createTempDirectory(csv.getParent(), "sluice-push-peak");
        try {
            DatasetRepository repo = new DatasetRepository(new FileSystemObjectStore(dir.resolve("datasets")));
            Dataset ds = repo.create(ManifestYaml.readSnapshot(CsvFile.manifest("peak", "Append")));
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
            long t0 = System.nanoTime();
            IngestResult r = new PushIngest(dir.resolve("tmp")).ingest(ds, null, null, IngestSource.ofFile(csv), null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long heapPeaks = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) heapPeaks += p.getPeakUsage().getUsed();
            }
            String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
            System.out.printf("pushed %d rows (%.0f MB CSV) in %d ms; max heap %d MB; sum of heap pool peaks %d MB; peak RSS %s%n",
                    r.rowsAdded(), Files.size(csv) / 1e6, ms, Runtime.getRuntime().maxMemory() >> 20, heapPeaks >> 20,
                    hwm.replaceAll("VmHWM:\\s*", ""));
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
