package dev.sluice.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Datasets for the flow commands' tests: a root with a polling source, a root fed by push, and a derivative. */
final class FlowManifests {
    private FlowManifests() {}

    static final String POLLED = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: polled
              kind: Root
              metadata:
                - kind: SetPollingSource
                  fetch:
                    kind: FilesGlob
                    path: /nonexistent/*.csv
                  read:
                    kind: Csv
                    header: true
                    schema:
                      fields:
                        - { name: id, type: int64 }
                  merge:
                    kind: Append
            """;
    static final String PUSHED = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: pushed
              kind: Root
              metadata:
                - kind: AddPushSource
                  sourceName: default
                  read:
                    kind: NdJson
                    schema:
                      fields:
                        - { name: id, type: int64 }
                  merge:
                    kind: Append
            """;
    static final String DERIVED = """
            kind: DatasetSnapshot
            version: 1
            content:
              name: derived
              kind: Derivative
              metadata:
                - kind: SetTransform
                  inputs:
                    - datasetRef: polled
                  transform:
                    kind: Sql
                    engine: duckdb
                    query: select id from polled
            """;

    /** Writes the three manifests into {@code dir}; apply orders them. */
    static List<String> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path polled = Files.writeString(dir.resolve("polled.yaml"), POLLED);
        Path pushed = Files.writeString(dir.resolve("pushed.yaml"), PUSHED);
        Path derived = Files.writeString(dir.resolve("derived.yaml"), DERIVED);
        return List.of(derived.toString(), polled.toString(), pushed.toString());
    }
}
