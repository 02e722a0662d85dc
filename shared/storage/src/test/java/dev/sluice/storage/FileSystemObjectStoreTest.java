package dev.sluice.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContractTest {

    @TempDir
    Path root;

    /** A second instance over the same directory, used by half of the concurrent workers. */
    private FileSystemObjectStore second;

    @Override
    protected ObjectStore createStore() {
        second = new FileSystemObjectStore(root);
        return new FileSystemObjectStore(root);
    }

    /** Odd workers use another instance: exclusion must not depend on sharing one object. */
    @Override
    protected ObjectStore storeForWorker(int worker) {
        return worker % 2 == 0 ? store : second;
    }

    @Test
    void keysAreFilesUnderTheRoot() throws IOException {
        store.putIfAbsent("fed01a/refs/head", "f1620a".getBytes(UTF_8));
        assertEquals("f1620a", Files.readString(root.resolve("fed01a/refs/head")));
        assertEquals(root.toRealPath().toUri().toString(), store.describe());
        assertTrue(store.describe().startsWith("file:///"));
    }

    @Test
    void aLocalFileIsLinkedNotCopiedAndOutlivesItsOriginalName(@TempDir Path scratch) throws IOException {
        Path file = scratch.resolve("slice.parquet");
        Files.writeString(file, "slice bytes");
        assertTrue(store.putIfAbsent("fed01a/data/f1620b", file));
        Path object = root.resolve("fed01a/data/f1620b");
        assertTrue(Files.isSameFile(object, file)); // the same inode: no second write of the bytes
        assertFalse(store.putIfAbsent("fed01a/data/f1620b", file));
        Files.delete(file);
        assertEquals("slice bytes", new String(store.get("fed01a/data/f1620b").orElseThrow(), UTF_8));
        try (Stream<Path> left = Files.list(root.resolve("fed01a/data"))) {
            assertEquals(List.of(object), left.toList()); // no temp file
        }
    }

    @Test
    void versionIsSha256OfContent() throws IOException {
        store.putIfAbsent("k", "abc".getBytes(UTF_8));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                store.getVersioned("k").orElseThrow().version());
    }

    @Test
    void tempLockAndDotFilesAreInvisible() throws IOException {
        store.compareAndSet("fed01a/refs/head", null, "f1".getBytes(UTF_8)); // creates a lock file
        // Leftovers of a crashed writer and foreign dot-files.
        Files.writeString(root.resolve("fed01a/refs/.tmp-0f3c"), "partial");
        Files.createDirectories(root.resolve("fed01b"));
        Files.writeString(root.resolve("fed01b/.tmp-1234"), "partial");
        Files.writeString(root.resolve(".DS_Store"), "x");
        Files.createDirectories(root.resolve(".git/objects"));
        Files.writeString(root.resolve(".git/objects/x"), "x");

        assertTrue(Files.list(root.resolve(FileSystemObjectStore.LOCK_DIR)).findAny().isPresent());
        assertEquals(List.of("fed01a/refs/head"), store.list(""));
        assertEquals(List.of("fed01a/"), store.listChildren("")); // fed01b holds no object
        assertEquals(List.of("head"), store.listChildren("fed01a/refs/"));
    }

    @Test
    void writesLeaveNoTempFiles() throws Exception {
        store.putIfAbsent("a/b", "1".getBytes(UTF_8));
        store.putIfAbsent("a/b", "2".getBytes(UTF_8));
        store.compareAndSet("a/c", null, "1".getBytes(UTF_8));
        String v = store.getVersioned("a/c").orElseThrow().version();
        store.compareAndSet("a/c", v, "2".getBytes(UTF_8));
        store.compareAndSet("a/c", v, "3".getBytes(UTF_8));
        try (Stream<Path> files = Files.list(root.resolve("a"))) {
            assertEquals(List.of("b", "c"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void objectPathBlockedByFileIsReportedAsAbsent() throws IOException {
        store.putIfAbsent("a", "file".getBytes(UTF_8));
        assertEquals(Optional.empty(), store.get("a/b"));
        assertEquals(-1, store.size("a/b"));
        assertFalse(store.exists("a/b"));
    }

    @Test
    void keyUsedAsDirectoryCannotBeWritten() throws IOException {
        store.putIfAbsent("a/b", "x".getBytes(UTF_8));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> store.putIfAbsent("a", "y".getBytes(UTF_8)));
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> store.compareAndSet("a", null, "y".getBytes(UTF_8)));
        assertEquals(Optional.empty(), store.get("a"));
    }

    /**
     * Several JVMs increment one counter through the filesystem store. File locks exclude processes; the in-JVM lock
     * only covers threads, so this is the test that the OS-level lock is really taken.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void compareAndSetIsAtomicAcrossProcesses() throws Exception {
        int processes = 3;
        int increments = 150;
        assertTrue(store.compareAndSet("counter", null, "0".getBytes(UTF_8)));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                Process p = new ProcessBuilder(java, "-Xshare:auto", "-cp", classPath, CasIncrementMain.class.getName(),
                        root.toString(), "counter", Integer.toString(increments))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                children.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8)));
            }
            // Start barrier across processes: every child reports "ready", then all get "go" at once.
            for (BufferedReader out : outputs) {
                assertEquals("ready", out.readLine());
            }
            for (Process p : children) {
                OutputStream in = p.getOutputStream();
                in.write("go\n".getBytes(UTF_8));
                in.flush();
            }
            int successes = 0;
            int retries = 0;
            for (int i = 0; i < processes; i++) {
                String line = outputs.get(i).readLine();
                assertTrue(line != null && line.startsWith("done "), "child said " + line);
                String[] parts = line.split(" ");
                successes += Integer.parseInt(parts[1]);
                retries += Integer.parseInt(parts[2]);
                assertEquals(0, children.get(i).waitFor());
            }
            assertEquals(processes * increments, successes);
            assertEquals(Integer.toString(processes * increments), new String(store.get("counter").orElseThrow(), UTF_8));
            System.out.printf("cross-process: %d CAS successes, %d retries%n", successes, retries);
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
            }
        }
    }
}
