package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.data.read.RecordReaders;
import dev.sluice.ingest.IngestResult;
import dev.sluice.ingest.IngestSource;
import dev.sluice.ingest.PushIngest;
import dev.sluice.query.DuckDbPreprocessor;
import dev.sluice.odf.Multihash;
import dev.sluice.storage.Dataset;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push a file (or stdin with '-') into a root dataset through one of its push sources.")
final class PushCommand implements Callable<Integer> {
    enum Format { csv, json, ndjson, parquet }

    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "DATASET")
    String dataset;

    @Parameters(index = "1", paramLabel = "FILE|-", description = "Data file, or '-' for standard input.")
    String file;

    @Option(names = "--source", paramLabel = "NAME", description = "Push source name (needed when the dataset has several).")
    String source;

    @Option(names = "--format", description = "Format of the input: ${COMPLETION-CANDIDATES} (default: the source's read step, or the file extension).")
    Format format;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Pushing again with the same key commits once.")
    String idempotencyKey;

    @Override
    public Integer call() throws Exception {
        NodeClient client = node.client(ws);
        if (client != null) return pushTo(client);
        Dataset ds = ws.repository().get(dataset);
        Path input;
        Path spooled = null;
        if (file.equals("-")) {
            // stdin can be read once; a push may need a second read when another writer commits first.
            spooled = Files.createTempFile("sluice-push-", ".in");
            Files.copy(System.in, spooled, StandardCopyOption.REPLACE_EXISTING);
            input = spooled;
        } else {
            input = Path.of(file);
            if (!Files.isRegularFile(input)) throw new NoSuchFileException("input file not found: " + file);
        }
        try {
            String mediaType = mediaType(format != null ? format.name() : extension(file));
            long size = Files.size(input);
            boolean progress = System.console() != null && size > (8 << 20);
            IngestSource body = () -> progress ? new Progress(Files.newInputStream(input), size) : Files.newInputStream(input);
            IngestResult r = new PushIngest(ws.dir().resolve("tmp"))
                    .withPreprocessor(new DuckDbPreprocessor(ws.dir().resolve("tmp").resolve("preprocess")))
                    .ingest(ds, source, mediaType, body, idempotencyKey);
            if (progress) System.err.print("\r\033[K");
            report(r.duplicate(), r.committed(), r.rowsRead(), r.rowsAdded(), r.committed() && !r.duplicate() && r.newData() != null
                    ? new long[] {r.newData().start(), r.newData().end()} : null,
                    r.newHead());
            return 0;
        } finally {
            if (spooled != null) Files.deleteIfExists(spooled);
        }
    }

    /**
     * The push through the node's {@code POST /{account}/{dataset}/ingest}: the file is streamed with its length
     * declared (an oversized push is refused before it is sent), standard input chunked; the node spools it.
     */
    private int pushTo(NodeClient client) throws IOException {
        String mediaType = mediaType(format != null ? format.name() : extension(file));
        String query = source == null ? "" : "?sourceName=" + URLEncoder.encode(source, StandardCharsets.UTF_8);
        HttpRequest.Builder req = HttpRequest.newBuilder(client.resolve(NodeClient.datasetPath(dataset) + "/ingest" + query));
        if (mediaType != null) req.header("Content-Type", mediaType);
        if (idempotencyKey != null) req.header("Idempotency-Key", idempotencyKey);
        boolean progress = false;
        if (file.equals("-")) {
            req.POST(HttpRequest.BodyPublishers.ofInputStream(() -> System.in));
        } else {
            Path input = Path.of(file);
            if (!Files.isRegularFile(input)) throw new NoSuchFileException("input file not found: " + file);
            long size = Files.size(input);
            progress = System.console() != null && size > (8 << 20);
            boolean bar = progress;
            req.POST(size == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    InputStream in = Files.newInputStream(input);
                    return bar ? new Progress(in, size) : in;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }), size));
        }
        JsonNode r;
        try {
            r = client.json(req);
        } finally {
            if (progress) System.err.print("\r\033[K");
        }
        JsonNode offsets = r.path("addedOffsets");
        report(r.path("duplicate").asBoolean(), r.path("committed").asBoolean(), r.path("rowsRead").asLong(), r.path("rowsAdded").asLong(),
                offsets.size() == 2 ? new long[] {offsets.get(0).asLong(), offsets.get(1).asLong()} : null,
                Multihash.fromMultibase(r.path("newHead").asText()));
        return 0;
    }

    private void report(boolean duplicate, boolean committed, long rowsRead, long rowsAdded, long[] offsets, Multihash head) {
        if (duplicate) {
            System.out.println("already pushed with key " + idempotencyKey + ": nothing to do (head " + head.shortForm() + ")");
        } else if (!committed || offsets == null) {
            System.out.printf("read %d rows, nothing new to add (head %s unchanged)%n", rowsRead, head.shortForm());
        } else {
            System.out.printf("read %d rows, added %d [offsets %d..%d], head %s%n", rowsRead, rowsAdded, offsets[0], offsets[1], head.shortForm());
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "csv", "json", "ndjson", "parquet" -> ext;
            case "jsonl" -> "ndjson";
            default -> null;
        };
    }

    private static String mediaType(String format) {
        if (format == null) return null;
        return switch (format) {
            case "csv" -> RecordReaders.CSV;
            case "json" -> RecordReaders.JSON;
            case "ndjson" -> RecordReaders.NDJSON;
            case "parquet" -> RecordReaders.PARQUET;
            default -> null;
        };
    }

    /** A progress bar on stderr for large inputs on a terminal. */
    private static final class Progress extends FilterInputStream {
        private final long total;
        private long read;
        private int lastPercent = -1;

        Progress(InputStream in, long total) {
            super(in);
            this.total = total;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) advance(n);
            return n;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) advance(1);
            return c;
        }

        private void advance(long n) {
            read += n;
            int percent = (int) (100 * read / Math.max(1, total));
            if (percent != lastPercent) {
                lastPercent = percent;
                int bar = percent / 4;
                System.err.printf("\r[%s%s] %3d%% %,d MB", "#".repeat(bar), " ".repeat(25 - bar), percent, read >> 20);
            }
        }
    }
}
