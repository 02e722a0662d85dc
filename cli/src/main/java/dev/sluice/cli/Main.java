package dev.sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./sluice}. */
@Command(
        name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Sluice: a serverless data node for verifiable, append-only Open Data Fabric datasets.",
        subcommands = {
            ApplyCommand.class,
            ListCommand.class,
            LogCommand.class,
            VerifyCommand.class,
            PushCommand.class,
            CompactCommand.class,
            TailCommand.class,
            SqlCommand.class,
            ReindexCommand.class,
            FlowsCommand.class,
            TasksCommand.class,
            TriggerCommand.class,
            UpCommand.class,
            OdfCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 failure, 2 usage error). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new Errors());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (v == null ? "dev" : v)};
        }
    }

    /** Every failure is one line on stderr naming what and where, and exit code 1; no stack traces. */
    static final class Errors implements CommandLine.IExecutionExceptionHandler {
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
            String msg = ex.getMessage();
            if (msg == null || msg.isBlank()) msg = ex.getClass().getSimpleName();
            if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                msg = "I/O error: " + msg;
            }
            cmd.getErr().println("error: " + msg.replace('\n', ' '));
            if (System.getenv("SLUICE_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 1;
        }
    }
}
