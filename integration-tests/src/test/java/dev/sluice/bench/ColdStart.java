package dev.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Cold start of the function applications (Quarkus fast-jars) against a bare Funqy "hello" built the same way:
 * process start → first successfully answered request, per function, state mode and JVM. Run by
 * {@code integration-tests/cold-start.sh}, which builds the jars and passes the arguments; JDK only, so it runs with
 * the source launcher ({@code java ColdStart.java ...}) on any JDK ≥ 17.
 *
 * <p>One run: a free port is picked, the JVM is started, and the harness tries a TCP connect every 2 ms (Quarkus
 * opens its port only when start-up, {@code @Startup} beans included, is done: that instant is "listening"). On the
 * first connection it sends the function's real request (Funqy JSON, HTTP/1.1, {@code Connection: close}) and reads
 * the whole answer: that instant is "answered"; it must be 2xx. Then the process is stopped (SIGTERM) and its children
 * (the embedded state store) are awaited before the next run. Runs of all configurations are interleaved, and every
 * function run is paired with a hello run just before it on the same JVM, so drift from other load on the machine
 * is shared fairly and the ratio is taken within each pair.
 *
 * <p>State modes: {@code none} (no state store), {@code external} (a DynamoDB-compatible store already running, here
 * one dynalite started by the harness: what a cloud function sees, it builds the SDK client and checks its tables),
 * {@code embedded} (the local node's default: the function starts dynalite as a Node.js child — a cost a cloud
 * deployment does not have).
 *
 * <p>JVMs: {@code --jvm LABEL=PATH/bin/java[:aot][:app=DIR]}; {@code app=DIR} runs {@code target/DIR/quarkus-run.jar}
 * instead of the fast-jar in {@code target/quarkus-app} (cold-start.sh builds Quarkus' aot-jar packaging into
 * {@code target/aot-app}); with {@code :aot} each (app, mode)
 * first gets a training run with {@code -XX:AOTCacheOutput} (JDK 25, JEP 514: start, the request four times, SIGTERM;
 * the cache is written at exit) and the measured runs use {@code -XX:AOTCache -XX:AOTMode=on}, so a cache the JVM
 * cannot use fails the run instead of being silently ignored.
 */
public final class ColdStart {
    static final long START_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(180);

    /** A function application (its Maven module) and the request that proves it answers. */
    record App(String name, Path module, String path, String body, boolean needsState) {
        Path jar(Jvm jvm) {
            return module.resolve("target").resolve(jvm.appDir()).resolve("quarkus-run.jar");
        }
    }

    /** A JVM to start the applications with; {@code appDir}: the packaging under target/ (quarkus-app: the fast-jar). */
    record Jvm(String label, String java, boolean aot, String appDir) {}

    /** One run; {@code helloNanos}: the answer time of the hello run just before it on the same JVM (0 for hello). */
    record Sample(long listenNanos, long answerNanos, long helloNanos) {
        Sample paired(Sample hello) {
            return new Sample(listenNanos, answerNanos, hello.answerNanos());
        }
    }

    private final Path root;
    private final Path work;
    private final List<Jvm> jvms;
    private final Path dynaliteDir;
    private Process externalStore;
    private int externalPort;
    private final List<Process> running = new ArrayList<>();

    ColdStart(Path root, Path work, List<Jvm> jvms) {
        this.root = root;
        this.work = work;
        this.jvms = jvms;
        this.dynaliteDir = root.resolve("shared/state/dynalite");
    }

    static final String CSV = "event_time,k,v\\n2024-01-01T00:00:00Z,1,2\\n";

    List<App> apps() {
        Path fn = root.resolve("functions");
        return List.of(
                new App("hello", root.resolve("integration-tests/funqy-hello"), "/hello", "\"sluice\"", false),
                new App("ingest", fn.resolve("ingest"), "/ingest",
                        "{\"dataset\":\"bench\",\"mediaType\":\"text/csv\",\"data\":\"" + CSV + "\"}", false),
                new App("query", fn.resolve("query"), "/run-query", "{\"query\":\"select count(*) as n, sum(v) as s from bench\"}", false),
                new App("api", fn.resolve("api"), "/list-datasets", "", false),
                new App("schedule-tick", fn.resolve("schedule-tick"), "/schedule-tick", "{\"id\":\"@ID@\"}", true),
                new App("transform", fn.resolve("transform"), "/transform", "{\"dataset\":\"derived\"}", false));
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".").toAbsolutePath().normalize();
        Path work = null;
        int runs = 5;
        List<String> appNames = null;
        List<String> modes = List.of("none", "external", "embedded");
        List<Jvm> jvms = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--root" -> { root = Path.of(v).toAbsolutePath().normalize(); i++; }
                case "--work" -> { work = Path.of(v).toAbsolutePath().normalize(); i++; }
                case "--runs" -> { runs = Integer.parseInt(v); i++; }
                case "--apps" -> { appNames = Arrays.asList(v.split(",")); i++; }
                case "--modes" -> { modes = Arrays.asList(v.split(",")); i++; }
                case "--jvm" -> { // LABEL=JAVA[:aot][:app=DIR]
                    String[] kv = v.split("=", 2);
                    String[] parts = kv[1].split(":");
                    boolean aot = false;
                    String appDir = "quarkus-app";
                    for (int p = 1; p < parts.length; p++) {
                        if (parts[p].equals("aot")) aot = true;
                        else if (parts[p].startsWith("app=")) appDir = parts[p].substring(4);
                        else throw new IllegalArgumentException("unknown --jvm option " + parts[p]);
                    }
                    jvms.add(new Jvm(kv[0], parts[0], aot, appDir));
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (work == null) throw new IllegalArgumentException("--work DIR is required");
        if (jvms.isEmpty()) jvms.add(new Jvm("JDK " + Runtime.version().feature(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), false, "quarkus-app"));
        for (String m : modes) {
            if (!List.of("none", "external", "embedded").contains(m)) throw new IllegalArgumentException("unknown state mode " + m);
        }
        ColdStart cs = new ColdStart(root, work, jvms);
        Runtime.getRuntime().addShutdownHook(new Thread(cs::killAll, "cold-start-cleanup"));
        try {
            cs.run(runs, appNames, modes);
        } finally {
            cs.killAll();
        }
    }

    void run(int runs, List<String> appNames, List<String> modes) throws Exception {
        List<App> apps = apps().stream().filter(a -> appNames == null || a.name().equals("hello") || appNames.contains(a.name())).toList();
        for (App a : apps) {
            for (Jvm j : jvms) {
                if (!Files.isRegularFile(a.jar(j))) throw new IllegalStateException("not built: " + a.jar(j));
            }
        }
        String loadBefore = loadAverage();
        if (modes.contains("external")) startExternalStore();
        for (String mode : modes) prepare(mode);

        // The configurations: hello once (it has no state), each function in each mode it can answer in.
        List<String[]> configs = new ArrayList<>(); // {app, mode}
        for (App a : apps) {
            if (a.name().equals("hello")) {
                configs.add(new String[] {a.name(), "-"});
                continue;
            }
            for (String mode : modes) {
                if (a.needsState() && mode.equals("none")) continue;
                configs.add(new String[] {a.name(), mode});
            }
        }
        Map<String, App> byName = new LinkedHashMap<>();
        apps.forEach(a -> byName.put(a.name(), a));
        for (Jvm jvm : jvms) {
            if (!jvm.aot()) continue;
            for (String[] c : configs) {
                Path cache = aotCache(c[0], c[1], jvm);
                long t = System.nanoTime();
                train(byName.get(c[0]), c[1], jvm, cache);
                System.err.printf("trained %s %s (%s): %s, %.0f MB, %.1f s%n", c[0], c[1], jvm.label(), cache.getFileName(),
                        Files.size(cache) / 1e6, (System.nanoTime() - t) / 1e9);
            }
        }

        // Every function run is paired with a hello run just before it on the same JVM: the ratio of the pair is what
        // the target is about, and it is far less sensitive to load drifting during the session than two medians.
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        App hello = byName.get("hello");
        for (int r = 1; r <= runs; r++) {
            for (String[] c : configs) {
                if (c[0].equals("hello")) continue;
                for (Jvm jvm : jvms) {
                    Sample h = measure(hello, "-", jvm);
                    samples.computeIfAbsent(key("hello", "-", jvm.label()), k -> new ArrayList<>()).add(h);
                    Sample s = measure(byName.get(c[0]), c[1], jvm).paired(h);
                    samples.computeIfAbsent(key(c[0], c[1], jvm.label()), k -> new ArrayList<>()).add(s);
                    System.err.printf(Locale.ROOT, "run %d/%d  %-13s %-8s %-22s listening %5d ms, answered %5d ms; hello before it %5d ms: %.2f×%n",
                            r, runs, c[0], c[1], jvm.label(), ms(s.listenNanos()), ms(s.answerNanos()), ms(h.answerNanos()),
                            (double) s.answerNanos() / h.answerNanos());
                }
            }
        }
        report(configs, samples, runs, loadBefore, loadAverage());
    }

    static String key(String app, String mode, String jvm) {
        return app + "|" + mode + "|" + jvm;
    }

    /** One cache per application, state mode and packaging: a cache is only valid for the class path it was trained on. */
    Path aotCache(String app, String mode, Jvm jvm) throws IOException {
        Path dir = work.resolve("aot");
        Files.createDirectories(dir);
        return dir.resolve(app + "-" + mode + "-" + jvm.appDir() + ".aot");
    }

    // ---- one process ------------------------------------------------------------------------------------------

    List<String> command(App app, String mode, Jvm jvm, int port, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of(jvm.java()));
        cmd.addAll(extra);
        // As ./sluice up runs the node; Arrow needs java.nio opened, the vector SHA3 lanes the incubator module.
        cmd.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + port);
        if (!app.name().equals("hello")) {
            cmd.add("-Dsluice.data=" + dataDir(mode));
            cmd.add("-Dsluice.dynalite.dir=" + dynaliteDir);
            cmd.add("-Dsluice.state=" + switch (mode) {
                case "none" -> "none";
                case "embedded" -> "embedded";
                case "external" -> "http://127.0.0.1:" + externalPort;
                default -> throw new IllegalArgumentException(mode);
            });
        }
        cmd.add("-jar");
        cmd.add(app.jar(jvm).toString());
        return cmd;
    }

    Path dataDir(String mode) {
        return work.resolve("data-" + mode);
    }

    /** A started application, listening and answered once. */
    final class Started implements AutoCloseable {
        final Process process;
        final int port;
        final Path log;
        final Sample first;

        Started(App app, String mode, Jvm jvm, List<String> extraJvmArgs) throws IOException {
            this.port = freePort();
            this.log = work.resolve("last-" + app.name() + ".log");
            ProcessBuilder pb = new ProcessBuilder(command(app, mode, jvm, port, extraJvmArgs))
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            this.process = pb.start();
            synchronized (running) {
                running.add(process);
            }
            try {
                this.first = firstAnswer(app, t0);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private Sample firstAnswer(App app, long t0) throws IOException {
            while (true) {
                if (!process.isAlive()) throw new IllegalStateException(app.name() + " exited before answering; log:\n" + tail(log));
                if (System.nanoTime() - t0 > START_BUDGET_NANOS) throw new IllegalStateException(app.name() + " did not listen in time; log:\n" + tail(log));
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                } catch (IOException notYet) {
                    s.close();
                    LockSupport.parkNanos(2_000_000);
                    continue;
                }
                long listening = System.nanoTime() - t0;
                try (s) {
                    Response r = exchange(s, app.path(), body(app));
                    long answered = System.nanoTime() - t0;
                    if (r.status / 100 != 2) {
                        throw new IllegalStateException(app.name() + " answered " + r.status + ": " + r.body + "\nlog:\n" + tail(log));
                    }
                    return new Sample(listening, answered, 0);
                }
            }
        }

        Response call(App app) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                return exchange(s, app.path(), body(app));
            }
        }

        Response call(String path, String json) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                Response r = exchange(s, path, json);
                if (r.status / 100 != 2) throw new IllegalStateException("POST " + path + " answered " + r.status + ": " + r.body);
                return r;
            }
        }

        /** SIGTERM (a graceful Quarkus stop, which also stops an embedded store), then its children are awaited. */
        @Override
        public void close() {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
                for (ProcessHandle c : children) {
                    try {
                        c.onExit().get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        c.destroyForcibly();
                    }
                }
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                Thread.currentThread().interrupt();
            }
            synchronized (running) {
                running.remove(process);
            }
        }
    }

    static String body(App app) {
        return app.body().replace("@ID@", "cold-" + UUID.randomUUID());
    }

    Sample measure(App app, String mode, Jvm jvm) throws IOException {
        List<String> extra = jvm.aot() ? List.of("-XX:AOTCache=" + aotCache(app.name(), mode, jvm), "-XX:AOTMode=on") : List.of();
        try (Started s = new Started(app, mode, jvm, extra)) {
            return s.first;
        }
    }

    /** A training run: the same start and request, repeated a few times, then a clean exit writes the cache. */
    void train(App app, String mode, Jvm jvm, Path cache) throws Exception {
        Files.deleteIfExists(cache);
        Started s = new Started(app, mode, jvm, List.of("-XX:AOTCacheOutput=" + cache));
        try {
            for (int i = 0; i < 3; i++) {
                Response r = s.call(app);
                if (r.status / 100 != 2) throw new IllegalStateException("training call answered " + r.status + ": " + r.body);
            }
        } finally {
            s.close(); // the cache is assembled while the JVM exits
        }
        if (s.process.exitValue() != 143 && s.process.exitValue() != 0) {
            System.err.println("note: training run of " + app.name() + " exited with " + s.process.exitValue());
        }
        if (!Files.isRegularFile(cache)) throw new IllegalStateException("no AOT cache written for " + app.name() + "; log:\n" + tail(s.log));
    }

    // ---- data the functions work on ---------------------------------------------------------------------------

    static final String ROOT_MANIFEST = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: %s
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - {name: event_time, type: timestamp}
                        - {name: k, type: int64}
                        - {name: v, type: int64}
                  merge:
                    kind: Append
            """;

    static final String DERIVED_MANIFEST = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: derived
              kind: Derivative
              metadata:
                - kind: SetTransform
                  inputs:
                    - datasetRef: tin
                      alias: tin
                  transform:
                    kind: Sql
                    engine: duckdb
                    query: "select event_time, k, v * 2 as v2 from tin"
            """;

    /**
     * The data folder of a mode: a root dataset {@code bench} (one row; ingest appends to it, query counts it) and a
     * derivative {@code derived} of a root {@code tin}, brought up to date here, so the measured transform call finds
     * nothing new (the common case of a scheduled transform). Set up through the functions themselves, on the first JVM.
     */
    void prepare(String mode) throws Exception {
        Files.createDirectories(dataDir(mode));
        Jvm jvm = new Jvm("prep", jvms.get(0).java(), false, "quarkus-app");
        Map<String, App> apps = new LinkedHashMap<>();
        apps().forEach(a -> apps.put(a.name(), a));
        // The tables are created here, as infra/terraform creates them for a cloud deployment: the functions measured
        // below then find them (outside the local node they do not check or create them at start).
        try (Started api = new Started(apps.get("api"), mode, jvm, List.of("-Dsluice.state-tables=create"))) {
            for (String yaml : List.of(ROOT_MANIFEST.formatted("bench"), ROOT_MANIFEST.formatted("tin"), DERIVED_MANIFEST)) {
                api.call("/create-dataset", "{\"snapshot\":" + json(yaml) + "}");
            }
        }
        try (Started ingest = new Started(apps.get("ingest"), mode, jvm, List.of())) {
            ingest.call("/ingest", "{\"dataset\":\"tin\",\"mediaType\":\"text/csv\",\"data\":\"" + CSV + "\"}");
        }
        try (Started transform = new Started(apps.get("transform"), mode, jvm, List.of())) {
            String r = transform.call("/transform", "{\"dataset\":\"derived\"}").body;
            if (!r.contains("\"upToDate\":true")) throw new IllegalStateException("derived not up to date after a transform: " + r);
        }
        System.err.println("prepared data for state mode " + mode);
    }

    /** A DynamoDB-compatible store that is already running, as DynamoDB is for a cloud function (in memory). */
    void startExternalStore() throws Exception {
        externalPort = freePort();
        Path log = work.resolve("external-dynalite.log");
        externalStore = new ProcessBuilder("node", dynaliteDir.resolve("node_modules/dynalite/cli.js").toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(externalPort), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!externalStore.isAlive()) throw new IllegalStateException("dynalite exited; log:\n" + tail(log));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), externalPort), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("dynalite did not listen");
                externalStore.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
    }

    void killAll() {
        List<Process> left;
        synchronized (running) {
            left = new ArrayList<>(running);
        }
        for (Process p : left) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (externalStore != null) {
            externalStore.destroy();
            try {
                if (!externalStore.waitFor(10, TimeUnit.SECONDS)) externalStore.destroyForcibly();
            } catch (InterruptedException e) {
                externalStore.destroyForcibly();
            }
        }
    }

    // ---- HTTP/1.1 on a raw socket: nothing in the harness needs warming up ----------------------------------------

    record Response(int status, String body) {}

    static Response exchange(Socket s, String path, String json) throws IOException {
        s.setSoTimeout(120_000);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all); // Connection: close — the answer ends with the stream
        String text = all.toString(StandardCharsets.UTF_8);
        int sp = text.indexOf(' ');
        if (!text.startsWith("HTTP/1.1 ") || sp < 0 || text.length() < sp + 4) throw new IOException("not an HTTP answer: " + text);
        int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
        int end = text.indexOf("\r\n\r\n");
        return new Response(status, end < 0 ? "" : text.substring(end + 4));
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    // ---- report -----------------------------------------------------------------------------------------------

    void report(List<String[]> configs, Map<String, List<Sample>> samples, int runs, String loadBefore, String loadAfter) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nCold start: process start → first answered request, median (min) of %d runs, ms "
                + "(hello: of all its runs); × = median over the runs of (time / the hello run just before it, same JVM); target ≤ 1.5×. "
                + "Load average before %s, after %s; %d cores.%n%n", runs, loadBefore, loadAfter, Runtime.getRuntime().availableProcessors()));
        table(out, configs, samples, true);
        out.append(String.format("%nProcess start → port listening (start-up done, before the first request), median (min), ms:%n%n"));
        table(out, configs, samples, false);
        System.out.print(out);
    }

    void table(StringBuilder out, List<String[]> configs, Map<String, List<Sample>> samples, boolean answered) {
        out.append("| function | state |");
        jvms.forEach(j -> out.append(' ').append(j.label()).append(" |"));
        out.append("\n|---|---|");
        jvms.forEach(j -> out.append("---|"));
        out.append('\n');
        for (String[] c : configs) {
            out.append("| ").append(c[0].equals("hello") ? "hello (baseline)" : c[0]).append(" | ").append(c[1]).append(" |");
            for (Jvm j : jvms) {
                long[] v = values(samples.get(key(c[0], c[1], j.label())), answered);
                long med = median(v);
                out.append(String.format(Locale.ROOT, " %d (%d)", med, Arrays.stream(v).min().orElseThrow()));
                if (answered && !c[0].equals("hello")) {
                    double[] ratios = samples.get(key(c[0], c[1], j.label())).stream()
                            .mapToDouble(x -> (double) x.answerNanos() / x.helloNanos()).sorted().toArray();
                    int n = ratios.length;
                    double ratio = n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
                    out.append(String.format(Locale.ROOT, " %.2f×", ratio));
                }
                out.append(" |");
            }
            out.append('\n');
        }
    }

    static long[] values(List<Sample> s, boolean answered) {
        return s.stream().mapToLong(x -> ms(answered ? x.answerNanos() : x.listenNanos())).toArray();
    }
}
