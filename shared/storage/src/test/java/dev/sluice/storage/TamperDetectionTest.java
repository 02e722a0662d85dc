package dev.sluice.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changing one byte of any stored object makes verify fail and name that object. */
class TamperDetectionTest {
    @TempDir Path root;
    @TempDir Path scratch;
    @TempDir Path copies;

    @Test
    void everySingleByteChangeIsDetectedAndNamed() throws Exception {
        var repo = new DatasetRepository(new FileSystemObjectStore(root));
        Dataset ds = TestChains.createRoot(repo, "tamper-me");
        for (int i = 0; i < 5; i++) ds.commit(TestChains.addData(ds, scratch, "x" + i, 4));
        assertTrue(new DatasetVerifier().verify(ds).ok());

        Path dsRoot = root.resolve(ds.id().toMultibase());
        List<Path> objects;
        try (Stream<Path> s = Files.walk(dsRoot)) {
            objects = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        int checked = 0;
        for (Path obj : objects) {
            String rel = dsRoot.relativize(obj).toString();
            if (rel.equals("info/alias")) continue; // a name hint, not part of the verifiable log
            byte[] bytes = Files.readAllBytes(obj);
            for (int pos : new int[] {0, bytes.length / 2, bytes.length - 1}) {
                Path copy = copies.resolve("c" + checked);
                copyTree(root, copy);
                Path target = copy.resolve(ds.id().toMultibase()).resolve(rel);
                byte[] changed = bytes.clone();
                // hex text (refs/head) must stay hex-looking to test more than a parse error
                changed[pos] = rel.startsWith("refs/") ? (byte) (changed[pos] == '0' ? '1' : '0') : (byte) (changed[pos] ^ 0x01);
                Files.write(target, changed);
                Dataset tampered = new DatasetRepository(new FileSystemObjectStore(copy)).get(ds.id().toDid());
                VerifyReport r = new DatasetVerifier().verify(tampered);
                assertFalse(r.ok(), "tampering " + rel + " at byte " + pos + " is detected");
                String name = rel.startsWith("refs/") ? "refs/head" : obj.getFileName().toString();
                assertTrue(r.problems().get(0).contains(name), "first problem names " + name + ": " + r.problems().get(0));
                checked++;
            }
        }
        assertEquals(objects.size() - 1, checked / 3);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
