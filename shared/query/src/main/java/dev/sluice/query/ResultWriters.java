package dev.sluice.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Writers that encode a stream of Arrow batches batch by batch (nothing is collected in memory, except JsonSoA). */
final class ResultWriters {
    static final JsonFactory JSON = new JsonFactory();

    private ResultWriters() {}

    /** Receives the batches of one result. */
    interface BatchSink {
        void batch(VectorSchemaRoot root) throws IOException;

        void finish() throws IOException;
    }

    /** Writes the data part of a JSON document ({@code [...]} or {@code {...}}) into an open generator. */
    static BatchSink jsonValue(DataFormat format, JsonGenerator g, Schema schema, Path tempDir) throws IOException {
        return switch (format) {
            case JSON_AOS -> new AoS(g);
            case JSON_AOA -> new AoA(g);
            case JSON_SOA -> new SoA(g, schema, tempDir);
            default -> throw new IllegalArgumentException(format + " is not a JSON document format");
        };
    }

    static BatchSink ndJson(OutputStream out) throws IOException {
        return new NdJson(out);
    }

    static BatchSink csv(OutputStream out, Schema schema) throws IOException {
        return new Csv(out, schema);
    }

    /** Array of row objects. */
    private static final class AoS implements BatchSink {
        private final JsonGenerator g;

        AoS(JsonGenerator g) throws IOException {
            this.g = g;
            g.writeStartArray();
        }

        public void batch(VectorSchemaRoot root) throws IOException {
            List<FieldVector> cols = root.getFieldVectors();
            for (int r = 0; r < root.getRowCount(); r++) {
                g.writeStartObject();
                for (FieldVector c : cols) {
                    g.writeFieldName(c.getName());
                    Values.writeJson(g, c, r);
                }
                g.writeEndObject();
            }
        }

        public void finish() throws IOException {
            g.writeEndArray();
        }
    }

    /** Array of row arrays (column order = schema order). */
    private static final class AoA implements BatchSink {
        private final JsonGenerator g;

        AoA(JsonGenerator g) throws IOException {
            this.g = g;
            g.writeStartArray();
        }

        public void batch(VectorSchemaRoot root) throws IOException {
            List<FieldVector> cols = root.getFieldVectors();
            for (int r = 0; r < root.getRowCount(); r++) {
                g.writeStartArray();
                for (FieldVector c : cols) Values.writeJson(g, c, r);
                g.writeEndArray();
            }
        }

        public void finish() throws IOException {
            g.writeEndArray();
        }
    }

    /**
     * Object of column arrays. Column 1 must be complete before column 2 starts, so each column is spooled to its own
     * temporary file (comma-separated JSON values) and the files are concatenated at the end: memory stays bounded,
     * disk use is about the size of the answer.
     */
    private static final class SoA implements BatchSink {
        private final JsonGenerator g;
        private final List<String> names = new ArrayList<>();
        private final List<Path> files = new ArrayList<>();
        private final List<JsonGenerator> spools = new ArrayList<>();

        SoA(JsonGenerator g, Schema schema, Path tempDir) throws IOException {
            this.g = g;
            Files.createDirectories(tempDir);
            try {
                for (Field f : schema.getFields()) {
                    Path p = Files.createTempFile(tempDir, "soa-", ".json");
                    files.add(p);
                    names.add(f.getName());
                    JsonGenerator s = JSON.createGenerator(Files.newBufferedWriter(p, StandardCharsets.UTF_8));
                    s.setRootValueSeparator(new SerializedString(","));
                    spools.add(s);
                }
            } catch (IOException e) {
                cleanup();
                throw e;
            }
        }

        public void batch(VectorSchemaRoot root) throws IOException {
            List<FieldVector> cols = root.getFieldVectors();
            for (int c = 0; c < cols.size(); c++) {
                JsonGenerator s = spools.get(c);
                for (int r = 0; r < root.getRowCount(); r++) Values.writeJson(s, cols.get(c), r);
            }
        }

        public void finish() throws IOException {
            try {
                for (JsonGenerator s : spools) s.close();
                g.writeStartObject();
                char[] buf = new char[64 * 1024];
                for (int c = 0; c < names.size(); c++) {
                    g.writeFieldName(names.get(c));
                    g.writeStartArray();
                    // Raw copy: the spool already holds valid comma-separated JSON values.
                    try (Reader in = Files.newBufferedReader(files.get(c), StandardCharsets.UTF_8)) {
                        for (int n; (n = in.read(buf)) > 0; ) g.writeRaw(buf, 0, n);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            } finally {
                cleanup();
            }
        }

        private void cleanup() {
            for (JsonGenerator s : spools) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort: the file is deleted next
                }
            }
            for (Path p : files) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** One JSON object per line. */
    private static final class NdJson implements BatchSink {
        private final JsonGenerator g;

        NdJson(OutputStream out) throws IOException {
            g = JSON.createGenerator(out);
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.setRootValueSeparator(new SerializedString("\n"));
        }

        public void batch(VectorSchemaRoot root) throws IOException {
            List<FieldVector> cols = root.getFieldVectors();
            for (int r = 0; r < root.getRowCount(); r++) {
                g.writeStartObject();
                for (FieldVector c : cols) {
                    g.writeFieldName(c.getName());
                    Values.writeJson(g, c, r);
                }
                g.writeEndObject();
            }
        }

        public void finish() throws IOException {
            g.writeRaw('\n');
            g.close();
        }
    }

    /** RFC 4180 CSV with a header row; nulls are empty fields, nested values JSON text. */
    private static final class Csv implements BatchSink {
        private final Writer w;

        Csv(OutputStream out, Schema schema) throws IOException {
            w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            List<String> header = new ArrayList<>();
            for (Field f : schema.getFields()) header.add(quote(f.getName()));
            w.write(String.join(",", header));
            w.write('\n');
        }

        public void batch(VectorSchemaRoot root) throws IOException {
            List<FieldVector> cols = root.getFieldVectors();
            for (int r = 0; r < root.getRowCount(); r++) {
                for (int c = 0; c < cols.size(); c++) {
                    if (c > 0) w.write(',');
                    String s = Values.text(cols.get(c), r);
                    if (s != null) w.write(quote(s));
                }
                w.write('\n');
            }
        }

        public void finish() throws IOException {
            w.flush();
        }

        static String quote(String s) {
            boolean needs = s.isEmpty() ? false : s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
            return needs ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }
    }
}
