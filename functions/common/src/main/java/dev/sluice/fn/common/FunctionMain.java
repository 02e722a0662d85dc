package dev.sluice.fn.common;

import dev.sluice.state.DynamoClients;
import dev.sluice.state.StateConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The entry point of every function application: starts the {@link Warmup}s on background threads, then Quarkus.
 * The state store's classes are one of them unless {@code sluice.state} is {@code none}: the AWS SDK client and the
 * Enhanced Client's table schemas are ~2,500 classes, which otherwise load one after the other on the start's critical
 * path.
 */
@QuarkusMain
public final class FunctionMain {
    private FunctionMain() {}

    public static void main(String... args) {
        List<Warmup> warmups = new ArrayList<>();
        if (!"none".equals(stateHint())) warmups.add(FunctionMain::stateClasses);
        ServiceLoader.load(Warmup.class, FunctionMain.class.getClassLoader()).forEach(warmups::add);
        for (Warmup w : warmups) {
            Thread t = new Thread(() -> {
                try {
                    w.run();
                } catch (Throwable ignored) {
                    // only a head start: the real use reports its own failure
                }
            }, "sluice-warmup");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            t.start();
        }
        Quarkus.run(args);
    }

    /**
     * {@code sluice.state} as given on the command line or in the environment (Quarkus' configuration is not up yet);
     * only decides whether warming the state store's classes is worth it.
     */
    static String stateHint() {
        String v = System.getProperty("sluice.state");
        if (v == null) v = System.getenv("SLUICE_STATE");
        return v == null ? null : v.strip();
    }

    /** The table schemas (bean introspection of the item classes) and a client built and closed without any call. */
    static void stateClasses() throws Exception {
        Class.forName("dev.sluice.state.StateTables", true, FunctionMain.class.getClassLoader());
        DynamoClients.build(StateConfig.endpoint(URI.create("http://127.0.0.1:9"), "us-east-1", "warmup-"), List.of()).close();
    }
}
