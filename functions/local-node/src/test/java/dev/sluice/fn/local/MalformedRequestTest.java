package dev.sluice.fn.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A battery of generated malformed requests (bad JSON, wrong media types, unknown datasets, oversized bodies, path
 * traversal and invalid names): none may get a 5xx, each the 4xx its kind calls for, always with a JSON error body,
 * and no dataset may change.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class MalformedRequestTest {
    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newHttpClient();
    final Random random = new Random(20261125);
    final List<String> failures = new ArrayList<>();
    int cases;

    /** One request; {@code expected} is the exact status wanted, or 0 for "any 4xx". */
    record Case(String kind, String method, String path, String contentType, byte[] body, boolean chunked, int expected) {}

    @Test
    void malformedRequestsGet4xxAndChangeNothing() throws Exception {
        LocalNodeTest helper = new LocalNodeTest();
        helper.base = base;
        Fixtures.createLeaderboard(helper);
        LocalNodeTest.body(helper.send("POST", "kamu/player-scores/ingest", "application/x-ndjson", LocalNodeTest.SCORES), 200);
        Map<String, String> before = heads();
        String head = before.get("kamu/player-scores");
        String flowsBefore = flowState();

        List<Case> all = new ArrayList<>();
        all.addAll(badJson());
        all.addAll(wrongMediaTypes());
        all.addAll(unknownDatasets(head));
        all.addAll(oversized());
        all.addAll(badNames(head));
        all.addAll(badFlowRequests());
        all.addAll(fuzzed(Math.max(0, 1000 - all.size())));
        for (Case c : all) run(c);

        assertTrue(cases >= 1000, "generated " + cases + " cases");
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases failed:\n" + String.join("\n", failures));
        assertEquals(before, heads(), "no dataset changed");
        assertEquals(flowsBefore, flowState(), "no flow was configured or triggered");
    }

    /**
     * Flow and task requests: malformed or invalid configurations, flow types that do not suit the dataset (player-scores
     * is a root fed by push: no ingest or transform flow; leaderboard is a derivative: no ingest flow), bad trigger
     * bodies, unknown flows and tasks, bad limits, wrong media types, oversized bodies.
     */
    private List<Case> badFlowRequests() {
        List<Case> out = new ArrayList<>();
        String flow = "kamu/leaderboard/flows/transform";
        String config = "{\"trigger\": {\"reactive\": {\"minRecords\": 10, \"maxWait\": \"PT10M\"}}, \"retry\": {\"maxAttempts\": 3}}";
        for (int i = 0; i < 20; i++) {
            String cut = config.substring(0, 1 + random.nextInt(config.length() - 2));
            out.add(new Case("flow-json", "PUT", flow, "application/json", utf8(cut), false, 400));
        }
        for (String bad : List.of("", "[1]", "\"manual\"", "null", "{} x", "{\"trigger\":", "\u0000")) {
            out.add(new Case("flow-json", "PUT", flow, "application/json", utf8(bad), false, 400));
        }
        out.add(new Case("flow-json", "PUT", flow, "application/json", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, false, 400));
        for (String bad : List.of("{\"trigger\": {\"every\": \"soon\"}}", "{\"trigger\": {\"every\": \"PT0S\"}}",
                "{\"trigger\": {\"cron\": \"a b c d e\"}}", "{\"trigger\": {\"cron\": \"0 0 31 2 *\"}}",
                "{\"trigger\": {\"reactive\": {\"minRecords\": 0}}}", "{\"trigger\": {\"reactive\": {\"maxWait\": \"P2D\"}}}",
                "{\"trigger\": {\"every\": \"PT1H\", \"cron\": \"0 * * * *\"}}", "{\"trigger\": 5}",
                "{\"retry\": {\"maxAttempts\": 0}}", "{\"retry\": {\"maxAttempts\": 3, \"minDelay\": \"-PT1S\"}}",
                "{\"retry\": {\"maxAttempts\": 3, \"backoff\": \"random\"}}", "{\"stop\": {\"afterConsecutiveFailures\": 99}}",
                "{\"priority\": -1}", "{\"priority\": 1.5}", "{\"priority\": 1e30}", "{\"options\": {\"a\": []}}", "{\"zzz\": 1}")) {
            out.add(new Case("flow-config", "PUT", flow, "application/json", utf8(bad), false, 400));
        }
        out.add(new Case("flow-config", "PUT", "kamu/leaderboard/flows/reset", "application/json", utf8("{\"trigger\": {\"every\": \"PT1H\"}}"), false, 400));
        for (String unsuited : List.of("kamu/player-scores/flows/ingest", "kamu/player-scores/flows/transform", "kamu/leaderboard/flows/ingest")) {
            out.add(new Case("flow-type", "PUT", unsuited, "application/json", utf8("{}"), false, 400));
            out.add(new Case("flow-type", "POST", unsuited + "/trigger", null, null, false, 400));
        }
        for (String bad : List.of("{\"priority\": 1000}", "{\"priority\": \"x\"}", "{\"when\": \"now\"}", "[", "[]", "{\"priority\": 2147483648}")) {
            out.add(new Case("trigger-body", "POST", flow + "/trigger", "application/json", utf8(bad), false, 400));
        }
        for (String t : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "image/png")) {
            out.add(new Case("media-type", "PUT", flow, t, utf8("{}"), false, 415));
            out.add(new Case("media-type", "POST", flow + "/trigger", t, utf8("{}"), false, 415));
        }
        for (int i = 0; i < 4; i++) {
            byte[] big = new byte[LocalNodeTest.MAX_BODY + 1 + random.nextInt(LocalNodeTest.MAX_BODY)];
            Arrays.fill(big, (byte) ' ');
            out.add(new Case("oversized", "PUT", flow, "application/json", big, i % 2 == 1, 413));
            out.add(new Case("oversized", "POST", flow + "/trigger", "application/json", big, i % 2 == 1, 413));
        }
        String name = "no-such-" + Integer.toString(random.nextInt(1 << 30), 36);
        for (String path : List.of("kamu/" + name + "/flows", "kamu/" + name + "/flows/ingest", "kamu/" + name + "/tasks",
                "someone-else/leaderboard/flows", "kamu/leaderboard/flows/sideways", "kamu/leaderboard/flows/reset",
                "tasks/task-00000000-0000-0000-0000-000000000000", "tasks/" + "x".repeat(300), "kamu/leaderboard/flows/transform/status")) {
            out.add(new Case("unknown", "GET", path, null, null, false, 404));
        }
        for (String path : List.of("kamu/" + name + "/flows/ingest/trigger", "kamu/leaderboard/flows/reset/pause",
                "kamu/leaderboard/flows/compaction/resume", "kamu/leaderboard/flows/sideways/trigger", "tasks/task-none/cancel")) {
            out.add(new Case("unknown", "POST", path, null, null, false, 404));
        }
        out.add(new Case("unknown", "PUT", "kamu/" + name + "/flows/transform", "application/json", utf8("{}"), false, 404));
        out.add(new Case("unknown", "DELETE", flow, null, null, false, 405));
        out.add(new Case("unknown", "DELETE", "tasks", null, null, false, 405));
        for (String limit : List.of("0", "-1", "1001", "x", "1e3", "%00")) {
            out.add(new Case("bad-limit", "GET", "tasks?limit=" + limit, null, null, false, 400));
            out.add(new Case("bad-limit", "GET", "kamu/leaderboard/tasks?limit=" + limit, null, null, false, 400));
        }
        for (String n : List.of("%2e%2e", "..%2F..%2Fetc", "a%2Fb", "x%00y", "-x", ".hidden", "x".repeat(300))) {
            out.add(new Case("bad-name", "GET", "kamu/" + n + "/flows", null, null, false, 0));
            out.add(new Case("bad-name", "PUT", "kamu/" + n + "/flows/ingest", "application/json", utf8("{}"), false, 0));
            out.add(new Case("bad-name", "POST", "kamu/" + n + "/flows/ingest/trigger", null, null, false, 0));
            if (n.equals("%2e%2e")) continue; // "/tasks/.." is the root: the web UI
            out.add(new Case("bad-name", "GET", "tasks/" + n, null, null, false, 0));
            out.add(new Case("bad-name", "POST", "tasks/" + n + "/cancel", null, null, false, 0));
        }
        return out;
    }

    /** The flows of the battery's datasets (type and configuration) and the tasks triggered by hand: what a bad request could change. */
    private String flowState() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String ds : List.of("kamu/player-scores", "kamu/leaderboard")) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(ds + "/flows")).build(), HttpResponse.BodyHandlers.ofByteArray());
            for (JsonNode f : LocalNodeTest.json(r, 200).get("flows")) sb.append(ds).append(' ').append(f.get("type")).append(f.get("config")).append('\n');
            r = http.send(HttpRequest.newBuilder(base.resolve(ds + "/tasks?limit=1000")).build(), HttpResponse.BodyHandlers.ofByteArray());
            for (JsonNode t : LocalNodeTest.json(r, 200).get("tasks")) {
                if ("MANUAL".equals(t.get("cause").asText())) sb.append(ds).append(" task ").append(t.get("taskId")).append('\n');
            }
        }
        return sb.toString();
    }

    private List<Case> badJson() {
        List<Case> out = new ArrayList<>();
        String line = LocalNodeTest.SCORES.lines().findFirst().orElseThrow();
        for (int i = 0; i < 40; i++) {
            // A record cut short inside its braces is never valid JSON.
            String cut = line.substring(0, 1 + random.nextInt(line.length() - 2));
            String type = i % 2 == 0 ? "application/x-ndjson" : "application/json";
            out.add(new Case("bad-json", "POST", "kamu/player-scores/ingest", type, utf8(cut), false, 400));
        }
        for (String garbage : List.of("{{", "}", "[1,2", "{\"match_id\":}", "nul", "{\"a\":1,}", "\"unterminated", "{'single':1}")) {
            out.add(new Case("bad-json", "POST", "kamu/player-scores/ingest", "application/x-ndjson", utf8(garbage), false, 400));
        }
        // Empty bodies: a manifest or query of nothing is malformed; an empty push reads no rows (200, nothing committed).
        out.add(new Case("bad-json", "POST", "datasets", "application/yaml", new byte[0], false, 400));
        out.add(new Case("bad-json", "POST", "query", "application/json", new byte[0], false, 400));
        out.add(new Case("bad-json", "POST", "kamu/player-scores/ingest", "application/x-ndjson",
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, false, 400));
        for (String fn : List.of("ingest", "tail", "metadata", "create-dataset")) {
            for (String bad : List.of("{", "{\"dataset\":", "[", "{\"dataset\":\"player-scores\",}", "\u0000")) {
                out.add(new Case("bad-json", "POST", fn, "application/json", utf8(bad), false, 400));
            }
        }
        for (String bad : List.of("{", "{\"query\":", "[]", "\"select 1\"", "{\"query\":\"select 1\",\"limit\":\"x\"}", "")) {
            out.add(new Case("bad-json", "POST", "query", "application/json", utf8(bad), false, 400));
        }
        for (String sql : List.of("selec 1", "select * from", "drop table x", "select 1; select 2", "copy (select 1) to '/tmp/x'",
                "select * from read_parquet('/etc/passwd')", "attach '/tmp/x.db'", "install httpfs", "set threads=1", "pragma version")) {
            out.add(new Case("bad-sql", "GET", "query?query=" + java.net.URLEncoder.encode(sql, StandardCharsets.UTF_8), null, null, false, 0));
        }
        out.add(new Case("media-type", "POST", "query", "text/plain", utf8("select 1"), false, 415));
        out.add(new Case("unknown", "GET", "query?query=select+*+from+no_such_table", null, null, false, 404));
        // Well-formed JSON that names no dataset, or a bad one.
        for (String fn : List.of("ingest", "tail", "metadata")) {
            out.add(new Case("bad-json", "POST", fn, "application/json", utf8("{}"), false, 400));
            out.add(new Case("bad-json", "POST", fn, "application/json", utf8("{\"dataset\":\"../../etc\",\"data\":\"\"}"), false, 400));
        }
        return out;
    }

    /**
     * {@code n} randomly generated requests, each malformed by construction whatever the random draw: a push whose
     * first NDJSON row is cut short or holds bytes that are not UTF-8, SQL that does not parse, dataset names with a
     * character no name may have, manifests for a dataset that exists cut short (complete, they are a 409), and
     * function calls whose {@code dataset} is not a string (400, or 404 when JSON's scalar coercion makes it a name).
     */
    private List<Case> fuzzed(int n) throws Exception {
        List<Case> out = new ArrayList<>();
        String row = LocalNodeTest.SCORES.lines().findFirst().orElseThrow();
        String manifest = Files.readString(Fixtures.manifests().resolve("kamu-cli__leaderboard__player-scores.yaml"));
        String illegal = "/\\?#%\u0000 \t*:<>|\"'";
        String alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < n; i++) {
            switch (i % 6) {
                case 0 -> out.add(new Case("fuzz-push", "POST", "kamu/player-scores/ingest", "application/x-ndjson",
                        utf8(row.substring(0, 1 + random.nextInt(row.length() - 2)) + "\n" + LocalNodeTest.SCORES), false, 400));
                case 1 -> {
                    byte[] junk = new byte[1 + random.nextInt(64)];
                    random.nextBytes(junk);
                    junk[random.nextInt(junk.length)] = (byte) 0xFF; // never valid UTF-8
                    byte[] body = new byte[junk.length + 2];
                    body[0] = '{';
                    System.arraycopy(junk, 0, body, 1, junk.length);
                    body[body.length - 1] = '}';
                    out.add(new Case("fuzz-push", "POST", "kamu/player-scores/ingest", "application/x-ndjson", body, false, 400));
                }
                case 2 -> {
                    StringBuilder sql = new StringBuilder("selec ");
                    for (int k = random.nextInt(20); k > 0; k--) sql.append(alnum.charAt(random.nextInt(alnum.length())));
                    out.add(new Case("fuzz-sql", "GET", "query?query=" + java.net.URLEncoder.encode(sql.toString(), StandardCharsets.UTF_8),
                            null, null, false, 400));
                }
                case 3 -> {
                    StringBuilder name = new StringBuilder();
                    for (int k = random.nextInt(12); k > 0; k--) name.append(alnum.charAt(random.nextInt(alnum.length())));
                    name.insert(random.nextInt(name.length() + 1), illegal.charAt(random.nextInt(illegal.length())));
                    String segment = java.net.URLEncoder.encode(name.toString(), StandardCharsets.UTF_8).replace("+", "%20");
                    String what = List.of("tail", "metadata", "refs/head").get(random.nextInt(3));
                    out.add(new Case("fuzz-name", "GET", "kamu/" + segment + "/" + what, null, null, false, 0));
                }
                case 4 -> out.add(new Case("fuzz-manifest", "POST", "datasets", "application/yaml",
                        utf8(manifest.substring(0, random.nextInt(manifest.length()))), false, 0));
                default -> {
                    String value = List.of("1", "true", "[]", "{}", "null", "1.5").get(random.nextInt(6));
                    String fn = List.of("ingest", "tail", "metadata").get(random.nextInt(3));
                    out.add(new Case("fuzz-call", "POST", fn, "application/json", utf8("{\"dataset\":" + value + "}"), false, 0));
                }
            }
        }
        return out;
    }

    private List<Case> wrongMediaTypes() {
        List<Case> out = new ArrayList<>();
        List<String> types = List.of("image/png", "text/html", "application/xml", "application/pdf", "video/mp4",
                "application/zip", "text/x-unknown", "application/vnd.ms-excel", "multipart/form-data; boundary=x", "audio/ogg");
        for (String t : types) {
            for (int i = 0; i < 3; i++) {
                out.add(new Case("media-type", "POST", "kamu/player-scores/ingest", t, utf8(LocalNodeTest.SCORES), false, 415));
            }
            out.add(new Case("media-type", "POST", "datasets", t, utf8("kind: DatasetSnapshot"), false, 415));
        }
        return out;
    }

    private List<Case> unknownDatasets(String head) {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "no-such-" + Integer.toString(random.nextInt(1 << 30), 36);
            out.add(new Case("unknown", "GET", "kamu/" + name + "/tail", null, null, false, 404));
            out.add(new Case("unknown", "GET", "kamu/" + name + "/metadata", null, null, false, 404));
            out.add(new Case("unknown", "GET", "kamu/" + name + "/refs/head", null, null, false, 404));
            out.add(new Case("unknown", "GET", "kamu/" + name + "/blocks/" + head, null, null, false, 404));
            out.add(new Case("unknown", "POST", "kamu/" + name + "/ingest", "application/x-ndjson", utf8(LocalNodeTest.SCORES), false, 404));
            out.add(new Case("unknown", "GET", "someone-else/player-scores/tail", null, null, false, 404));
        }
        // Well-formed hashes of objects the dataset does not have.
        String missing = dev.sluice.odf.Multihash.sha3("nothing").toMultibase();
        for (String kind : List.of("blocks", "data", "checkpoints")) {
            out.add(new Case("unknown", "GET", "kamu/player-scores/" + kind + "/" + missing, null, null, false, 404));
        }
        out.add(new Case("unknown", "GET", "kamu/player-scores/refs/tail", null, null, false, 404));
        out.add(new Case("unknown", "GET", "no/such/route/here", null, null, false, 404));
        out.add(new Case("unknown", "DELETE", "kamu/player-scores/ingest", null, null, false, 0));
        return out;
    }

    private List<Case> oversized() {
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            byte[] big = new byte[LocalNodeTest.MAX_BODY + 1 + random.nextInt(2 * LocalNodeTest.MAX_BODY)];
            Arrays.fill(big, (byte) ' ');
            boolean chunked = i % 2 == 1; // without Content-Length the limit is enforced while reading
            out.add(new Case("oversized", "POST", "kamu/player-scores/ingest", "application/x-ndjson", big, chunked, 413));
            out.add(new Case("oversized", "POST", "datasets", "application/yaml", big, chunked, 413));
        }
        return out;
    }

    private List<Case> badNames(String head) {
        List<Case> out = new ArrayList<>();
        List<String> names = List.of("%2e%2e", "..%2F..%2Fetc", "a%2Fb", "%2E%2E%2F%2E%2E%2Fpasswd", "x%00y", "x%20y", "-x", "x-",
                "%C3%BCn%C3%AF", "a..b", ".hidden", "x".repeat(300), "%5C..%5Cwindows", "a%2F..%2F..%2Fb", "did:odf:zzz", "%25");
        for (String n : names) {
            out.add(new Case("bad-name", "GET", "kamu/" + n + "/tail", null, null, false, 0));
            out.add(new Case("bad-name", "GET", "kamu/" + n + "/refs/head", null, null, false, 0));
            out.add(new Case("bad-name", "POST", "kamu/" + n + "/ingest", "application/x-ndjson", utf8(LocalNodeTest.SCORES), false, 0));
            out.add(new Case("bad-name", "GET", n + "/player-scores/metadata", null, null, false, 0));
            out.add(new Case("bad-name", "GET", "kamu/player-scores/blocks/" + n, null, null, false, 0));
            out.add(new Case("bad-name", "GET", "kamu/player-scores/data/" + n, null, null, false, 0));
        }
        // Names in manifests: a snapshot naming another account, or an invalid name.
        for (String n : List.of("other/x", "../x", "a/b/c", "x y", "")) {
            String yaml = "kind: DatasetSnapshot\nversion: 1\ncontent:\n  name: '" + n + "'\n  kind: Root\n  metadata: []\n";
            out.add(new Case("bad-name", "POST", "datasets", "application/yaml", utf8(yaml), false, 0));
        }
        // Hashes that are not multihashes, or point elsewhere.
        for (String h : List.of("f1620", "zzzz", head.substring(0, head.length() - 2), head + "00", "..", "%2e%2e%2Frefs%2Fhead")) {
            out.add(new Case("bad-name", "GET", "kamu/player-scores/blocks/" + h, null, null, false, 0));
            out.add(new Case("bad-name", "GET", "kamu/player-scores/checkpoints/" + h, null, null, false, 0));
        }
        return out;
    }

    private void run(Case c) {
        cases++;
        String what = c.kind() + " " + c.method() + " /" + abbreviate(c.path()) + (c.contentType() == null ? "" : " [" + c.contentType() + "]");
        try {
            // Appended, not resolved: a first segment like "did:odf:…" must stay a path, not become a URI scheme.
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c.path()));
            if (c.contentType() != null) b.header("Content-Type", c.contentType());
            HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : c.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()))
                    : HttpRequest.BodyPublishers.ofByteArray(c.body());
            HttpResponse<byte[]> r = http.send(b.method(c.method(), body).build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(r.body(), StandardCharsets.UTF_8);
            int s = r.statusCode();
            boolean ok = c.expected() == 0 ? s >= 400 && s < 500 : s == c.expected();
            if (!ok) {
                failures.add(what + " → " + s + " " + abbreviate(text));
                return;
            }
            JsonNode error = LocalNodeTest.JSON.readTree(text);
            if (error == null || error.get("status") == null || error.get("status").asInt() != s || error.get("message") == null) {
                failures.add(what + " → " + s + " without a JSON error body: " + abbreviate(text));
            }
        } catch (Exception e) {
            failures.add(what + " → " + e);
        }
    }

    private Map<String, String> heads() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("datasets")).build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> out = new TreeMap<>();
        LocalNodeTest.json(r, 200).get("datasets").forEach(d -> out.put(d.get("alias").asText(), d.get("head").asText()));
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
