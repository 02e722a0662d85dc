package dev.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sluice up}: listed here for help, but the launcher script handles it before any CLI JVM starts — it
 * builds functions/local-node on first use and execs it, so Ctrl-C reaches the node itself.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start the local node: every function on one port, datasets and state in the data folder.",
                "Handled by the ./sluice launcher (it builds and runs functions/local-node)."})
final class UpCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default 8080; loopback only).")
    Integer port;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder (default: $SLUICE_WORKSPACE or ./.sluice).")
    String data;

    @Override
    public Integer call() {
        System.err.println("error: 'up' is run by the ./sluice launcher script (it starts functions/local-node); use ./sluice up");
        return 2;
    }
}
