package dev.sluice.engine.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Command line of the engine runner (the image's {@code cli} and {@code http} entry points):
 * <pre>
 *   run REQUEST [--response LOCATION]   REQUEST: a path, file:URI, store:KEY, or - (stdin); the response JSON goes
 *                                       to stdout and, with --response, to LOCATION (how a Kubernetes Job answers)
 *   http [--host H] [--port N] [--port-file F] [--concurrency N] [--parent-pid P]
 *                                       serve POST /transform and GET /health; port 0 = ephemeral, written to F once
 *                                       bound; exits when process P exits
 *   engines                             list the engines on the class path with their builds
 * </pre>
 * Exit status: 0 when a response was produced (whatever its outcome), 2 for a bad command line or request, 1 when the
 * runner itself failed (I/O). Configuration comes from the environment (see {@link EngineRunner#fromEnvironment}).
 */
public final class EngineRunnerMain {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private EngineRunnerMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        if (args.length > 0 && args[0].equals("http")) {
            serve(EngineRunner.fromEnvironment(env, true), args, env);
            return;
        }
        EngineRunner runner;
        try {
            runner = EngineRunner.fromEnvironment(env, true);
        } catch (IllegalArgumentException e) {
            System.err.println("engine runner: " + e.getMessage());
            System.exit(USAGE);
            return;
        }
        System.exit(execute(runner, args, System.in, System.out, System.err));
    }

    /** {@code run} and {@code engines}; returns the exit status. */
    public static int execute(EngineRunner runner, String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length == 0) return usage(err, "missing command");
        switch (args[0]) {
            case "engines" -> {
                runner.catalog().engines().forEach(e -> out.println(e.name() + "\t" + e.build()));
                return OK;
            }
            case "run" -> {
                return run(runner, args, stdin, out, err);
            }
            default -> {
                return usage(err, "unknown command '" + args[0] + "'");
            }
        }
    }

    private static int run(EngineRunner runner, String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        String request = null;
        String responseLocation = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--response") && i + 1 < args.length) {
                responseLocation = args[++i];
            } else if (request == null && !args[i].startsWith("--")) {
                request = args[i];
            } else {
                return usage(err, "unexpected argument '" + args[i] + "'");
            }
        }
        if (request == null) return usage(err, "run needs a request (path, file:URI, store:KEY or -)");
        try {
            byte[] requestBytes = request.equals("-") ? stdin.readAllBytes() : read(runner, request);
            byte[] response = WireJson.write(runner.run(WireJson.readRequest(requestBytes)));
            if (responseLocation != null) write(runner, responseLocation, response);
            out.write(response);
            out.println();
            out.flush();
            return OK;
        } catch (InvalidWireRequestException e) {
            err.println("engine runner: " + e.getMessage());
            return USAGE;
        } catch (NoSuchFileException e) {
            err.println("engine runner: no such request " + e.getMessage());
            return USAGE;
        } catch (IOException | RuntimeException e) {
            err.println("engine runner failed: " + e);
            return FAILED;
        }
    }

    private static byte[] read(EngineRunner runner, String text) throws IOException {
        Location location = cliLocation(text);
        if (location instanceof Location.LocalFile f) return Files.readAllBytes(f.path());
        String key = ((Location.StoreObject) location).key();
        return runner.store()
                .orElseThrow(() -> new InvalidWireRequestException(text + " needs a store (set " + EngineRunner.ENV_STORE + ")"))
                .get(key)
                .orElseThrow(() -> new NoSuchFileException(text));
    }

    private static void write(EngineRunner runner, String text, byte[] bytes) throws IOException {
        Location location = cliLocation(text);
        if (location instanceof Location.LocalFile f) {
            Path tmp = f.path().resolveSibling(f.path().getFileName() + ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, f.path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        var store = runner.store()
                .orElseThrow(() -> new InvalidWireRequestException(text + " needs a store (set " + EngineRunner.ENV_STORE + ")"));
        String key = ((Location.StoreObject) location).key();
        store.delete(key); // a rerun of the same invocation replaces its answer
        store.putIfAbsent(key, bytes);
    }

    /** On the command line a bare path is a local file. */
    private static Location cliLocation(String text) {
        if (text.startsWith(Location.STORE_SCHEME) || text.regionMatches(true, 0, Location.FILE_SCHEME, 0, 5)) {
            return Location.parse(text);
        }
        return Location.of(Path.of(text));
    }

    private static void serve(EngineRunner runner, String[] args, Map<String, String> env) throws IOException, InterruptedException {
        String host = "0.0.0.0";
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080")); // Knative sets PORT
        Path portFile = null;
        int concurrency = Integer.parseInt(env.getOrDefault("SLUICE_ENGINE_CONCURRENCY",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        Long parentPid = null;
        List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
        for (int i = 0; i < rest.size(); i++) {
            String value = i + 1 < rest.size() ? rest.get(i + 1) : null;
            if (value == null) {
                usage(System.err, "missing value for " + rest.get(i));
                System.exit(USAGE);
            }
            switch (rest.get(i)) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--port-file" -> portFile = Path.of(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--parent-pid" -> parentPid = Long.parseLong(value);
                default -> {
                    usage(System.err, "unknown option " + rest.get(i));
                    System.exit(USAGE);
                }
            }
            i++;
        }
        if (parentPid != null) {
            // A child started by the process backend must not outlive its parent, even if the parent is killed.
            ProcessHandle.of(parentPid).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                    () -> Runtime.getRuntime().halt(0));
        }
        EngineHttpServer server = EngineHttpServer.start(runner, new InetSocketAddress(host, port), concurrency);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "engine-http-stop"));
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(server.port()));
            Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("engine runner listening on " + server.uri() + " (" + runner.catalog().describe() + ")");
        new CountDownLatch(1).await(); // serve until the process is stopped
    }

    private static int usage(PrintStream err, String problem) {
        err.println("engine runner: " + problem);
        err.println("usage: run REQUEST [--response LOCATION] | http [--host H] [--port N] [--port-file F] "
                + "[--concurrency N] [--parent-pid P] | engines");
        return USAGE;
    }
}
