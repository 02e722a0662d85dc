package dev.sluice.storage;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child process for the crash test: commits N blocks to a filesystem dataset and prints {@code ACK <seq> <hash>}
 * after each acknowledged commit. The parent kills it with SIGKILL at random points.
 */
public final class CrashWriter {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        String tagPrefix = args[3];
        Path scratch = Files.createTempDirectory("crash-writer");
        Dataset ds = new DatasetRepository(new FileSystemObjectStore(root)).get(name);
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; i < count; i++) {
            CommitResult r = ds.commit(TestChains.addData(ds, scratch, tagPrefix + "-" + i, 2));
            System.out.println("ACK " + r.sequenceNumber() + " " + r.newHead());
            System.out.flush();
        }
        System.out.println("DONE");
    }
}
