package dev.sluice.data.read;

import static dev.sluice.data.read.ReadSupport.*;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.odf.DataField;
import dev.sluice.odf.DataSchema;
import dev.sluice.odf.DataType;
import dev.sluice.odf.ReadStep;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed inputs, each of which must end in a BadInputException whose message names the problem —
 * never another exception, never a hang. Also random mutations of valid inputs: they may read fine, but may only
 * fail with BadInputException.
 */
class MalformedInputTest {
    static final DataSchema S = schema("t", new DataType.Timestamp(null, null), "id", new DataType.Int64(), "name", opt(new DataType.String()),
            "score", opt(new DataType.Float64()), "ok", opt(new DataType.Bool()), "d", opt(new DataType.Date()));
    static final DataSchema NESTED = schema("id", new DataType.Int64(), "tags", opt(new DataType.List(opt(new DataType.String()), null)),
            "pos", opt(new DataType.Struct(List.of(new DataField("x", new DataType.Int32(), null)))));
    static final String[] COLS = {"t", "id", "name", "score", "ok", "d"};

    record Case(ReadStep step, byte[] body, String expect) {}

    static String goodCsvRow(Random r, int i) {
        return "2024-01-0" + (1 + r.nextInt(9)) + "T10:00:00Z," + i + ",\"n," + i + "\"," + r.nextInt(1000) / 10.0 + "," + r.nextBoolean() + ",2024-02-0" + (1 + r.nextInt(9));
    }

    static String goodJsonRow(Random r, int i) {
        return "{\"t\":\"2024-01-01T00:00:0" + r.nextInt(10) + "Z\",\"id\":" + i + ",\"name\":\"n" + i + "\",\"score\":" + r.nextInt(100)
                + ".5,\"ok\":" + r.nextBoolean() + ",\"d\":\"2024-03-0" + (1 + r.nextInt(9)) + "\"}";
    }

    static final DataSchema GEO = schema("id", new DataType.Int64(), "name", opt(new DataType.String()), "score", opt(new DataType.Float64()),
            "geometry", opt(new DataType.String()));

    static String goodFeature(Random r, int i) {
        String[] geoms = {"{\"type\":\"Point\",\"coordinates\":[" + r.nextInt(180) + ".5," + r.nextInt(90) + "]}",
                "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
                "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}", "null"};
        return "{\"type\":\"Feature\",\"properties\":{\"id\":" + i + ",\"name\":\"f" + i + "\",\"score\":" + r.nextInt(100) + ".25},\"geometry\":"
                + geoms[r.nextInt(geoms.length)] + "}";
    }

    static String featureCollection(List<String> features) {
        return "{\"type\":\"FeatureCollection\",\"features\":[\n" + String.join(",\n", features) + "\n]}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Case> cases() {
        Random r = new Random(42);
        List<Case> out = new ArrayList<>();
        String[] badValues = {"abc", "1.5", "", "2024-13-01", "x1", "99999999999999999999", "true1", "--1", "1e", "2024-02-30"};
        String[] badExpect = {"cannot parse", "cannot parse", "missing value", "cannot parse", "cannot parse", "cannot parse", "cannot parse",
                "cannot parse", "cannot parse", "cannot parse"};
        for (int k = 0; k < 300; k++) {
            int rows = 1 + r.nextInt(20);
            int badRow = r.nextInt(rows);
            StringBuilder b = new StringBuilder();
            int kind = k % 6;
            String expect = null;
            for (int i = 0; i < rows; i++) {
                String row = goodCsvRow(r, i);
                if (i == badRow) {
                    String[] f = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
                    switch (kind) {
                        case 0 -> { // wrong type in a typed column
                            int c = new int[] {0, 1, 3, 4, 5}[r.nextInt(5)];
                            int v = r.nextInt(badValues.length);
                            String val = badValues[v];
                            if (c == 3 && (val.equals("1.5") || val.equals("99999999999999999999"))) val = "abc";
                            if (c == 4 && val.isEmpty()) val = "yes";
                            if ((c == 3 || c == 4 || c == 5) && val.isEmpty()) val = "zz";
                            f[c] = val;
                            expect = "row " + (i + 1) + ", column \"" + COLS[c] + "\": " + (val.isEmpty() ? "missing value" : "cannot parse");
                        }
                        case 1 -> { // ragged
                            int drop = 1 + r.nextInt(3);
                            f = r.nextBoolean() ? Arrays.copyOf(f, 6 - drop) : Arrays.copyOf(f, 6 + drop);
                            for (int q = 0; q < f.length; q++) if (f[q] == null) f[q] = "1";
                            expect = "row " + (i + 1) + ": expected 6 columns, found " + f.length;
                        }
                        case 2 -> { // unterminated quote at the end
                            if (i == rows - 1) {
                                f[2] = "\"open" + "x".repeat(r.nextInt(50));
                                expect = "row " + (i + 1) + ", column 3: unterminated quoted field";
                            } else {
                                f[2] = "\"a\"b";
                                expect = "row " + (i + 1) + ", column 3: unexpected 'b' after a closing quote";
                            }
                        }
                        case 3 -> { // missing required id
                            f[1] = "";
                            expect = "row " + (i + 1) + ", column \"id\": missing value (column is not nullable)";
                        }
                        case 4 -> { // out of range / non-integral ints
                            f[1] = r.nextBoolean() ? "9223372036854775808" : (r.nextInt(100) + ".25");
                            expect = "row " + (i + 1) + ", column \"id\": cannot parse '" + f[1] + "' as Int64";
                        }
                        default -> { // bad timestamp shapes
                            String[] ts = {"2024-01-01T25:00:00Z", "2024-01-01T10:00:00+25:00", "2024/01/01", "20240101", "2024-01-01T10", "2024-01-01T10:00:00ZZ", "yesterday"};
                            f[0] = ts[r.nextInt(ts.length)];
                            expect = "row " + (i + 1) + ", column \"t\": cannot parse '" + f[0] + "' as Timestamp";
                        }
                    }
                    row = String.join(",", f);
                }
                b.append(row).append(r.nextBoolean() ? "\n" : "\r\n");
            }
            out.add(new Case(csv(S), utf8(b.toString()), expect));
        }
        // bad UTF-8 inside string fields
        for (int k = 0; k < 100; k++) {
            int rows = 1 + r.nextInt(10);
            int badRow = r.nextInt(rows);
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < rows; i++) {
                String row = goodCsvRow(r, i);
                if (i == badRow) {
                    int cut = row.indexOf("\"n,") + 2;
                    b.writeBytes(utf8(row.substring(0, cut)));
                    byte[][] bad = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}};
                    b.writeBytes(bad[r.nextInt(bad.length)]);
                    b.writeBytes(utf8(row.substring(cut)));
                } else {
                    b.writeBytes(utf8(row));
                }
                b.write('\n');
            }
            out.add(new Case(csv(S), b.toByteArray(), "row " + (badRow + 1) + ", column \"name\": invalid UTF-8"));
        }
        // truncated / broken NdJson and Json
        for (int k = 0; k < 250; k++) {
            int rows = 1 + r.nextInt(10);
            StringBuilder b = new StringBuilder();
            List<String> rs = new ArrayList<>();
            for (int i = 0; i < rows; i++) rs.add(goodJsonRow(r, i));
            boolean array = k % 2 == 0;
            String body = array ? "[" + String.join(",\n", rs) + "]" : String.join("\n", rs) + "\n";
            int kind = k % 5;
            String expect;
            ReadStep step = array ? json(S, null) : ndjson(S);
            switch (kind) {
                case 0, 1 -> { // truncated
                    int cut = 1 + r.nextInt(body.length() - 2);
                    while (cut > 0 && (body.charAt(cut - 1) == '\n' || body.charAt(cut - 1) == '}' && !array)) cut--;
                    if (cut == 0) cut = 1;
                    body = body.substring(0, cut);
                    expect = array ? "(truncated JSON|invalid JSON|cannot parse|missing value)" : "(truncated JSON|invalid JSON|cannot parse|missing value)";
                }
                case 2 -> { // wrong type
                    int i = r.nextInt(rows);
                    rs.set(i, rs.get(i).replaceFirst("\"id\":\\d+", "\"id\":\"x" + i + "\""));
                    body = array ? "[" + String.join(",", rs) + "]" : String.join("\n", rs);
                    expect = "row " + (i + 1) + ", column \"id\": cannot parse 'x" + i + "' as Int64";
                }
                case 3 -> { // wrong shape
                    String[] shapes = {"42", "\"s\"", "[1,2]", "null", "true"};
                    int i = r.nextInt(rows);
                    String sh = shapes[r.nextInt(shapes.length)];
                    rs.set(i, sh);
                    body = array ? "[" + String.join(",", rs) + "]" : String.join("\n", rs);
                    expect = "row " + (i + 1) + ": expected a JSON object, found";
                }
                default -> { // missing required
                    int i = r.nextInt(rows);
                    rs.set(i, rs.get(i).replaceFirst("\"id\":\\d+,", ""));
                    body = array ? "[" + String.join(",", rs) + "]" : String.join("\n", rs);
                    expect = "row " + (i + 1) + ", column \"id\": missing value (column is not nullable)";
                }
            }
            out.add(new Case(step, utf8(body), expect));
        }
        // JSON of the wrong top-level shape / subPath problems / nested shape errors
        String[] wrongTop = {"42", "\"x\"", "true", "null", "[[1]]", "[1, 2]", "[\"a\"]", "{\"a\":", "[", "]", "{]", "[}", "{\"id\":1}}", "[{\"id\":1}]]"};
        for (int k = 0; k < 100; k++) {
            String w = wrongTop[k % wrongTop.length];
            out.add(new Case(k % 2 == 0 ? json(S, null) : json(S, "data.rows"), utf8(w), "(expected|truncated JSON|invalid JSON|unexpected|subPath|missing value)"));
            out.add(new Case(ndjson(NESTED), utf8("{\"id\":1,\"tags\":" + new String[] {"1", "{}", "\"a\"", "[{}]", "[[1]]"}[k % 5] + "}"),
                    "(row 1, column \"tags(\\[\\])?\": (expected|cannot))"));
        }
        // empty bodies
        String[] empties = {"", "\r", "\n", "\r\n\r\n", "\n\n\n"};
        for (int k = 0; k < 50; k++) {
            String e = empties[k % empties.length];
            ReadStep[] steps = {csv(S), ndjson(S), json(S, null), new ReadStep.Parquet(S, null), csv(null)};
            ReadStep st = steps[k % steps.length];
            boolean blankCsvField = st instanceof ReadStep.Csv && e.trim().isEmpty() && !e.isEmpty() && e.contains("\t");
            out.add(new Case(st, utf8(e), blankCsvField ? "(empty input|expected 6 columns|missing value)" : st instanceof ReadStep.Parquet && !e.isEmpty()
                    ? "not a readable Parquet file" : "empty input"));
        }
        // bad options
        for (int k = 0; k < 20; k++) {
            String[] seps = {"", "ab", "\n", "ü"};
            out.add(new Case(csv(S, seps[k % 4], null, null, null, null, null, null, null), utf8("a,b\n"), "separator must be a single"));
            out.add(new Case(csv(S, null, "no-such-charset-" + k, null, null, null, null, null, null), utf8("a,b\n"), "unsupported encoding"));
        }
        // GeoJson / NdGeoJson: one broken feature among good ones (features on lines 2.. of a collection, 1.. of NdGeoJson)
        for (int k = 0; k < 240; k++) {
            int n = 1 + r.nextInt(8);
            int bad = r.nextInt(n);
            List<String> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) fs.add(goodFeature(r, i));
            boolean nd = k % 2 == 1;
            String line = "(line " + (bad + (nd ? 1 : 2)) + ")";
            String f = fs.get(bad);
            String expect;
            switch (k / 2 % 10) {
                case 0 -> { // wrong type
                    fs.set(bad, f.replaceFirst("\"id\":\\d+", "\"id\":\"x" + bad + "\""));
                    expect = "feature " + (bad + 1) + " " + line + ", property \"id\": cannot parse 'x" + bad + "' as Int64";
                }
                case 1 -> { // missing required property / null properties
                    fs.set(bad, r.nextBoolean() ? f.replaceFirst("\"id\":\\d+,", "") : f.replaceFirst("\"properties\":\\{[^}]*}", "\"properties\":null"));
                    expect = "feature " + (bad + 1) + " " + line + ", property \"id\": missing value (column is not nullable)";
                }
                case 2 -> { // not a Feature
                    String[] shapes = {"42", "\"s\"", "[1,2]", "null", "true"};
                    fs.set(bad, shapes[r.nextInt(shapes.length)]);
                    expect = "feature " + (bad + 1) + ": expected a GeoJSON Feature object, found";
                }
                case 3 -> { // a bare geometry or a FeatureCollection where a Feature belongs
                    fs.set(bad, r.nextBoolean() ? "{\"type\":\"Point\",\"coordinates\":[1,2]}" : "{\"type\":\"FeatureCollection\",\"features\":[]}");
                    expect = "feature " + (bad + 1) + " " + line + ": expected \"type\": \"Feature\", found";
                }
                case 4 -> { // geometry of the wrong shape
                    String[] geoms = {"\"POINT (1 2)\"", "[1,2]", "7", "{\"coordinates\":[1,2]}", "{\"type\":\"Circle\",\"radius\":1}", "{\"type\":3}"};
                    fs.set(bad, f.replaceFirst("\"geometry\":.*}$", "\"geometry\":" + geoms[r.nextInt(geoms.length)] + "}"));
                    expect = "(" + Pattern.quote("feature " + (bad + 1) + " " + line) + "(: \"geometry\" must be|, geometry: ))";
                }
                case 5 -> { // no geometry member
                    fs.set(bad, f.replaceFirst(",\"geometry\":.*}$", "}"));
                    expect = "feature " + (bad + 1) + " " + line + ": no \"geometry\" member";
                }
                case 6 -> { // properties of the wrong shape
                    fs.set(bad, f.replaceFirst("\"properties\":\\{[^}]*}", "\"properties\":" + new String[] {"[]", "1", "\"p\""}[r.nextInt(3)]));
                    expect = "feature " + (bad + 1) + " " + line + ": \"properties\" must be an object or null";
                }
                case 7 -> { // bad JSON inside the feature
                    fs.set(bad, f.replace("\"properties\":", "\"properties\" "));
                    expect = "feature " + (bad + 1) + " " + line + ": invalid JSON";
                }
                default -> { // truncated inside the last feature
                    String body = nd ? String.join("\n", fs) : featureCollection(fs);
                    int lastStart = body.lastIndexOf('\n', body.length() - 4) + 1;
                    body = body.substring(0, lastStart + 1 + r.nextInt(body.length() - lastStart - (nd ? 2 : 4)));
                    out.add(new Case(nd ? new ReadStep.NdGeoJson(GEO, null) : new ReadStep.GeoJson(GEO, null), utf8(body),
                            "(truncated JSON|invalid JSON)"));
                    continue;
                }
            }
            out.add(new Case(nd ? new ReadStep.NdGeoJson(GEO, null) : new ReadStep.GeoJson(GEO, null),
                    utf8(nd ? String.join("\n", fs) : featureCollection(fs)), expect));
        }
        // GeoJson documents of the wrong shape
        String[] wrongGeo = {"42", "[]", "\"FeatureCollection\"", "{}", "{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}",
                "{\"type\":\"Point\",\"coordinates\":[1,2]}", "{\"type\":\"FeatureCollection\"}", "{\"type\":\"FeatureCollection\",\"features\":{}}",
                "{\"features\":[]}", "{\"type\":\"FeatureCollection\",\"features\":[]}[]", "{\"type\":\"FeatureCollection\",", "", " \n",
                "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\"", "{\"type\":[\"FeatureCollection\"],\"features\":[]}"};
        for (int k = 0; k < 60; k++) {
            String w = wrongGeo[k % wrongGeo.length];
            out.add(new Case(k % 4 == 0 ? new ReadStep.GeoJson(null, null) : new ReadStep.GeoJson(GEO, null), utf8(w),
                    "(GeoJSON|empty input|truncated JSON|invalid JSON)"));
        }
        // random truncations of a valid CSV (only the last row is cut)
        for (int k = 0; k < 200; k++) {
            StringBuilder b = new StringBuilder();
            int rows = 2 + r.nextInt(5);
            for (int i = 0; i < rows; i++) b.append(goodCsvRow(r, i)).append('\n');
            String s = b.toString();
            int lastStart = s.lastIndexOf('\n', s.length() - 2) + 1;
            int cut = lastStart + 1 + r.nextInt(s.length() - lastStart - 40);
            String body = s.substring(0, cut);
            if (body.endsWith(",") || body.chars().filter(ch -> ch == ',').count() < 0) body = body + "x";
            out.add(new Case(csv(S), utf8(body), "(row " + rows + "(:|,) )"));
        }
        return out;
    }

    @Test
    void everyMalformedInputGivesBadInputException() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 1300, "only " + cases.size() + " cases");
        assertTrue(cases.stream().filter(c -> c.step.kind().contains("Geo")).count() >= 300, "GeoJSON cases");
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            int n = 0;
            for (Case c : cases) {
                String m;
                try {
                    m = error(c.step, new ByteArrayInputStream(c.body), ReadOptions.defaults().batchRows(1 + (n++ % 4)));
                } catch (Throwable t) {
                    fail("case " + (n - 1) + " (" + c.step.kind() + ", " + BadInputException.quote(new String(c.body, StandardCharsets.UTF_8)) + "): " + t, t);
                    return;
                }
                boolean ok = c.expect.startsWith("(") ? Pattern.compile(c.expect).matcher(m).find() : m.startsWith(c.expect) || m.contains(c.expect);
                if (!ok) {
                    fail("case " + (n - 1) + " (" + c.step.kind() + ", " + BadInputException.quote(new String(c.body, StandardCharsets.UTF_8))
                            + "): expected '" + c.expect + "' in: " + m);
                }
            }
        });
    }

    @Test
    void randomMutationsOnlyEverThrowBadInputException() {
        Random r = new Random(7);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int k = 0; k < 800; k++) {
                StringBuilder b = new StringBuilder();
                boolean geo = k >= 600;
                for (int i = 0; i < 5; i++) b.append(geo ? goodFeature(r, i) : k % 2 == 0 ? goodCsvRow(r, i) : goodJsonRow(r, i)).append('\n');
                byte[] body = utf8(geo && k % 2 == 0 ? featureCollection(List.of(b.toString().trim().split("\n")))
                        : k % 4 == 1 ? "[" + b.toString().replace("}\n{", "},{") + "]" : b.toString());
                int muts = 1 + r.nextInt(4);
                for (int m = 0; m < muts; m++) {
                    int at = r.nextInt(body.length);
                    switch (r.nextInt(3)) {
                        case 0 -> body[at] = (byte) r.nextInt(256);
                        case 1 -> body = Arrays.copyOf(body, at);
                        default -> body[at] = (byte) "\",\\\n{}[]:\r".charAt(r.nextInt(10));
                    }
                    if (body.length == 0) break;
                }
                ReadStep step = geo ? (k % 2 == 0 ? new ReadStep.GeoJson(k % 3 == 0 ? null : GEO, null) : new ReadStep.NdGeoJson(k % 3 == 0 ? null : GEO, null))
                        : k % 2 == 0 ? csv(S) : k % 4 == 1 ? json(S, null) : ndjson(S);
                try {
                    read(step, new ByteArrayInputStream(body), ReadOptions.defaults().batchRows(2));
                } catch (BadInputException e) {
                    if (e.getMessage().isEmpty() || e.getMessage().contains("\n")) fail("bad message: " + e.getMessage());
                }
            }
        });
    }
}
