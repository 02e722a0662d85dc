package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.odf.Multihash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL mid-commit leaves a verifiable dataset holding every acknowledged commit. */
class CrashSafetyTest {
    @TempDir Path root;

    @Test
    void sigkillDuringCommitsLosesNoAcknowledgedCommit() throws Exception {
        TestChains.createRoot(new DatasetRepository(new FileSystemObjectStore(root)), "crashy");
        Random rnd = new Random(42);
        Set<Multihash> acked = new HashSet<>();
        int remaining = 100;
        int round = 0;
        int kills = 0;
        while (remaining > 0) {
            round++;
            Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(),
                    root.toString(), "crashy", String.valueOf(remaining), "r" + round)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int killAfter = 1 + rnd.nextInt(Math.max(1, Math.min(remaining, 30)));
            int ackedThisRound = 0;
            boolean done = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acked.add(Multihash.fromMultibase(line.split(" ")[2]));
                        ackedThisRound++;
                        if (ackedThisRound == killAfter && ackedThisRound < remaining) {
                            // Fault injection: let the next commit get a random way in, then kill -9.
                            LockSupport.parkNanos(rnd.nextInt(3_000_000));
                            p.destroyForcibly();
                            kills++;
                            break;
                        }
                    } else if (line.equals("DONE")) {
                        done = true;
                    }
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "writer process ended");
            remaining -= ackedThisRound;
            if (done) break;
        }
        assertTrue(kills >= 3, "killed the writer several times (" + kills + ")");

        Dataset ds = new DatasetRepository(new FileSystemObjectStore(root)).get("crashy");
        VerifyReport report = new DatasetVerifier().verify(ds);
        assertTrue(report.ok(), () -> "verify after crashes: " + report.problems());
        Set<Multihash> inChain = new HashSet<>();
        for (HashedBlock b : ds.blocks()) inChain.add(b.hash());
        for (Multihash h : acked) assertTrue(inChain.contains(h), "acknowledged commit " + h + " survived");
        assertTrue(acked.size() >= 100, "100 commits acknowledged");
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
