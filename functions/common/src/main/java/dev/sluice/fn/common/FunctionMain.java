package dev.sluice.fn.common;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The entry point of every function application: runs the module's {@link Warmup}s on a background thread, then starts
 * Quarkus. Which warm-ups a function gets is its own choice ({@code META-INF/services}): e.g. {@link StateWarmup} only
 * where the first request is likely to need the state store.
 */
@QuarkusMain
public final class FunctionMain {
    private FunctionMain() {}

    public static void main(String... args) {
        // Logging first, here on the main thread: JUL's LogManager and the JBoss LogManager initialise each other under
        // two different locks, and first uses from two threads at once (a warm-up's library and Quarkus) deadlock.
        java.util.logging.LogManager.getLogManager();
        org.jboss.logging.Logger.getLogger(FunctionMain.class);
        org.slf4j.LoggerFactory.getILoggerFactory();
        List<Warmup> warmups = new ArrayList<>();
        if (!"false".equals(hint("sluice.warmup", "SLUICE_WARMUP"))) {
            ServiceLoader.load(Warmup.class, FunctionMain.class.getClassLoader()).forEach(warmups::add);
        }
        // One thread, one warm-up after the other: with the main thread that is two busy threads, and no two warm-ups
        // race each other through a library's initialisation.
        Thread t = new Thread(() -> {
            for (Warmup w : warmups) {
                try {
                    w.run();
                } catch (Throwable ignored) {
                    // only a head start: the real use reports its own failure
                }
            }
        }, "sluice-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
        Quarkus.run(args);
    }

    /**
     * A setting as given on the command line or in the environment (Quarkus' configuration is not up yet):
     * {@code sluice.warmup=false} turns the warm-ups off.
     */
    static String hint(String property, String env) {
        String v = System.getProperty(property);
        if (v == null) v = System.getenv(env);
        return v == null ? null : v.strip();
    }
}
