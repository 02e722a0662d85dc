package dev.sluice.pipelines;

import dev.sluice.flows.FlowTaskContext;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.util.Optional;

/** What the executors share: finding the task's dataset and reading the flow's options. */
final class TaskSupport {
    private TaskSupport() {}

    /** The task's dataset by id; empty when it was deleted since the flow was set up. */
    static Optional<Dataset> dataset(DatasetRepository repo, FlowTaskContext ctx) {
        return repo.find(ctx.datasetId());
    }

    static String missing(FlowTaskContext ctx) {
        return "dataset " + ctx.datasetId() + " does not exist (deleted?); remove or pause its " + ctx.flowType().label() + " flow";
    }

    /** A positive whole-number option, or {@code fallback} when it is not set. */
    static long positiveLong(FlowTaskContext ctx, String name, long fallback) {
        String v = ctx.options().get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidOptionException(name + " must be a positive whole number, got '" + v + "'");
    }

    static boolean bool(FlowTaskContext ctx, String name, boolean fallback) {
        String v = ctx.options().get(name);
        if (v == null || v.isBlank()) return fallback;
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new InvalidOptionException(name + " must be true or false, got '" + v + "'");
        };
    }

    /** A flow option the executor cannot use: the flow's configuration is wrong, so the task fails for good. */
    static final class InvalidOptionException extends RuntimeException {
        InvalidOptionException(String message) {
            super("invalid flow option: " + message);
        }
    }

    /** The message of an exception, or its class name when it has none. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
