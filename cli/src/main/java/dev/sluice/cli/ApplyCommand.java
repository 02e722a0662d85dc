package dev.sluice.cli;

import dev.sluice.odf.DatasetAlias;
import dev.sluice.odf.DatasetKind;
import dev.sluice.odf.DatasetSnapshot;
import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.TransformInput;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Create datasets from DatasetSnapshot manifests (derivatives after their inputs, whatever the order given).")
final class ApplyCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;

    @Option(names = "--dry-run", description = "Parse and validate only; write nothing and list unresolved inputs.")
    boolean dryRun;

    @Parameters(arity = "1..*", paramLabel = "MANIFEST", description = "DatasetSnapshot YAML files.")
    List<Path> manifests;

    @Override
    public Integer call() throws Exception {
        NodeClient client = node.client(ws);
        Map<String, DatasetSnapshot> byName = new LinkedHashMap<>();
        Map<DatasetSnapshot, String> texts = new java.util.IdentityHashMap<>();
        for (Path p : manifests) {
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("manifest not found: " + p);
            } catch (java.nio.charset.MalformedInputException e) {
                throw new IllegalArgumentException(p + ": not valid UTF-8");
            }
            DatasetSnapshot s;
            try {
                s = ManifestYaml.readSnapshot(text);
            } catch (OdfFormatException e) {
                throw new IllegalArgumentException(p + ": " + e.getMessage());
            }
            DatasetAlias alias = DatasetAlias.parse(s.name());
            if (byName.putIfAbsent(alias.toString().toLowerCase(), s) != null) {
                throw new IllegalArgumentException(p + ": dataset " + alias + " is defined twice");
            }
            texts.put(s, text);
        }
        List<DatasetSnapshot> ordered = order(byName);
        if (client != null) return applyOn(client, ordered, texts);
        DatasetRepository repo = ws.repository();
        int exit = 0;
        Set<String> planned = new HashSet<>();
        for (DatasetSnapshot s : ordered) {
            String name = DatasetAlias.parse(s.name()).toString();
            if (repo.find(name).isPresent()) {
                System.out.println("exists  " + name + " (unchanged)");
                planned.add(name.toLowerCase());
                continue;
            }
            if (dryRun) {
                List<String> missing = new ArrayList<>();
                for (String in : repo.unresolvedInputs(s)) {
                    if (!planned.contains(in.toLowerCase())) missing.add(in);
                }
                if (s.kind() == DatasetKind.Derivative && !missing.isEmpty()) {
                    System.out.println("invalid " + name + ": unresolved inputs " + String.join(", ", missing));
                    exit = 1;
                } else {
                    System.out.println("valid   " + name + " (" + s.kind() + ", " + s.metadata().size() + " events)");
                }
                planned.add(name.toLowerCase());
                continue;
            }
            Dataset ds = repo.create(s);
            System.out.println("created " + name + " " + ds.id() + " head " + ds.head().orElseThrow().shortForm());
        }
        return exit;
    }

    /**
     * The same through the node: each manifest as sent ({@code POST /datasets}, YAML), 201 created, 409 exists. A dry
     * run checks names and inputs against the node's catalogue ({@code GET /datasets}) and sends nothing.
     */
    private int applyOn(NodeClient client, List<DatasetSnapshot> ordered, Map<DatasetSnapshot, String> texts) {
        Set<String> known = new HashSet<>();
        if (dryRun) client.getJson("datasets").path("datasets").forEach(d -> {
            known.add(key(d.path("alias").asText()));
            known.add(key(d.path("id").asText()));
        });
        int exit = 0;
        for (DatasetSnapshot s : ordered) {
            String name = DatasetAlias.parse(s.name()).toString();
            if (dryRun) {
                if (known.contains(key(name))) {
                    System.out.println("exists  " + name + " (unchanged)");
                } else {
                    List<String> missing = new ArrayList<>();
                    for (MetadataEvent e : s.metadata()) {
                        if (!(e instanceof MetadataEvent.SetTransform st)) continue;
                        for (TransformInput in : st.inputs()) {
                            if (!known.contains(key(in.datasetRef()))) missing.add(in.datasetRef());
                        }
                    }
                    if (s.kind() == DatasetKind.Derivative && !missing.isEmpty()) {
                        System.out.println("invalid " + name + ": unresolved inputs " + String.join(", ", missing));
                        exit = 1;
                    } else {
                        System.out.println("valid   " + name + " (" + s.kind() + ", " + s.metadata().size() + " events)");
                    }
                }
                known.add(key(name));
                continue;
            }
            try {
                var created = client.json(java.net.http.HttpRequest.newBuilder(client.resolve("datasets")).header("Content-Type", "application/yaml")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(texts.get(s))));
                System.out.println("created " + name + " " + created.path("id").asText() + " head "
                        + dev.sluice.odf.Multihash.fromMultibase(created.path("head").asText()).shortForm());
            } catch (NodeClient.NodeException e) {
                if (e.status() != 409) throw e;
                System.out.println("exists  " + name + " (unchanged)");
            }
        }
        return exit;
    }

    /** A dataset reference as the node knows it: {@code did:odf:…}, or {@code account/name} (bare names: kamu's account). */
    private static String key(String ref) {
        return (dev.sluice.odf.DatasetId.looksLikeId(ref) ? ref : NodeClient.datasetPath(ref)).toLowerCase(java.util.Locale.ROOT);
    }

    /** Topological order: each derivative after the manifests it reads from (inputs outside the set are looked up). */
    static List<DatasetSnapshot> order(Map<String, DatasetSnapshot> byName) {
        List<DatasetSnapshot> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String n : byName.keySet()) visit(n, byName, done, visiting, out);
        return out;
    }

    private static void visit(String n, Map<String, DatasetSnapshot> byName, Set<String> done, Set<String> visiting, List<DatasetSnapshot> out) {
        if (done.contains(n)) return;
        if (!visiting.add(n)) throw new IllegalArgumentException("manifests form a dependency cycle through " + n);
        DatasetSnapshot s = byName.get(n);
        for (MetadataEvent e : s.metadata()) {
            if (e instanceof MetadataEvent.SetTransform st) {
                for (TransformInput in : st.inputs()) {
                    String key = in.datasetRef().toLowerCase();
                    if (byName.containsKey(key)) visit(key, byName, done, visiting, out);
                }
            }
        }
        visiting.remove(n);
        done.add(n);
        out.add(s);
    }
}
