package dev.sluice.engine.provisioning;

import dev.sluice.engine.runner.EngineRunner;
import dev.sluice.storage.ObjectStore;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** What the test does in place of a cluster's controllers and kubelet. */
final class ClusterControl {
    private ClusterControl() {}

    /** Polls until {@code find} yields something, or fails after {@code deadline}. */
    static <T> T await(String what, Duration deadline, Supplier<Optional<T>> find) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            Optional<T> found = find.get();
            if (found.isPresent()) return found.get();
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : container.getEnv()) env.put(v.getName(), v.getValue());
        return env;
    }

    /**
     * The runner as the container would build it from its environment, with the store credentials a mounted Secret
     * would add (here: applied by {@code openStore}).
     */
    static EngineRunner runnerFor(Container container, Function<String, ObjectStore> openStore) {
        return EngineRunner.fromEnvironment(env(container), true, openStore);
    }

    static String[] argsAfterMode(Container container, String mode) {
        List<String> args = container.getArgs();
        if (!args.get(0).equals(mode)) throw new AssertionError("expected entrypoint mode " + mode + ", got " + args);
        return args.subList(1, args.size()).toArray(String[]::new);
    }
}
