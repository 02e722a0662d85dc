package dev.sluice.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

/**
 * Child process for {@link FileSystemObjectStoreTest#compareAndSetIsAtomicAcrossProcesses}: args are root, key, n.
 * Prints "ready", waits for a line on stdin, performs n read/CAS-retry increments, prints "done successes retries".
 */
public final class CasIncrementMain {

    public static void main(String[] args) throws Exception {
        ObjectStore store = new FileSystemObjectStore(Path.of(args[0]));
        String key = args[1];
        int n = Integer.parseInt(args[2]);
        store.getVersioned(key).orElseThrow(); // warm up class loading before the start line
        System.out.println("ready");
        System.out.flush();
        String go = new BufferedReader(new InputStreamReader(System.in, UTF_8)).readLine();
        if (!"go".equals(go)) {
            System.exit(2);
        }
        int successes = 0;
        int retries = 0;
        for (int i = 0; i < n; i++) {
            while (true) {
                ObjectStore.Versioned current = store.getVersioned(key).orElseThrow();
                int value = Integer.parseInt(new String(current.bytes(), UTF_8));
                if (store.compareAndSet(key, current.version(), Integer.toString(value + 1).getBytes(UTF_8))) {
                    successes++;
                    break;
                }
                retries++;
            }
        }
        System.out.println("done " + successes + " " + retries);
        System.out.flush();
    }
}
