package dev.sluice.cli;

import dev.sluice.odf.MetadataEvent;
import dev.sluice.odf.yaml.ManifestYaml;
import dev.sluice.storage.HashedBlock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "log", mixinStandardHelpOptions = true, description = "Show a dataset's metadata blocks, newest first.")
final class LogCommand implements Callable<Integer> {
    @Mixin WorkspaceOptions ws;
    @Mixin NodeOptions node;

    @Parameters(paramLabel = "DATASET", description = "Dataset alias or did:odf id.")
    String dataset;

    @Option(names = "--oneline", description = "One line per block instead of YAML.")
    boolean oneline;

    @Option(names = {"-n", "--limit"}, description = "Show at most N blocks.")
    Integer limit;

    @Override
    public Integer call() {
        NodeClient client = node.client(ws);
        Iterable<HashedBlock> blocks = client != null ? new NodeChain(client, dataset) : ws.repository().get(dataset).blocks();
        int shown = 0;
        for (HashedBlock b : blocks) {
            if (limit != null && shown >= limit) break;
            shown++;
            if (oneline) {
                System.out.printf("%5d  %s  %s  %s%n", b.block().sequenceNumber(), b.hash(), b.block().systemTime(), summary(b.block().event()));
            } else {
                System.out.println("# block " + b.hash());
                System.out.print(ManifestYaml.writeBlock(b.block()));
                System.out.println("---");
            }
        }
        return 0;
    }

    static String summary(MetadataEvent e) {
        if (e instanceof MetadataEvent.AddData a && a.newData() != null) {
            return "AddData [" + a.newData().offsetInterval().start() + ", " + a.newData().offsetInterval().end() + "]";
        }
        if (e instanceof MetadataEvent.ExecuteTransform x && x.newData() != null) {
            return "ExecuteTransform [" + x.newData().offsetInterval().start() + ", " + x.newData().offsetInterval().end() + "]";
        }
        if (e instanceof MetadataEvent.AddPushSource p) return "AddPushSource " + p.sourceName();
        if (e instanceof MetadataEvent.Seed s) return "Seed " + s.datasetKind();
        return e.kind();
    }
}
