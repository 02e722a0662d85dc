package dev.sluice.cli;

import dev.sluice.odf.MetadataBlock;
import dev.sluice.odf.Multihash;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.codec.BlockCodec;
import dev.sluice.odf.yaml.ManifestYaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "odf",
        mixinStandardHelpOptions = true,
        description = "Low-level ODF tools.",
        subcommands = {OdfCommand.BlockHash.class, OdfCommand.Decode.class, OdfCommand.Encode.class})
final class OdfCommand {

    @Command(name = "block-hash", mixinStandardHelpOptions = true,
            description = "Print the hash (f1620…) of the kamu-compatible binary encoding of a MetadataBlock YAML manifest.")
    static final class BlockHash implements Callable<Integer> {
        @Parameters(paramLabel = "BLOCK.yaml")
        Path file;

        public Integer call() throws Exception {
            MetadataBlock b = readYaml(file);
            System.out.println(Multihash.sha3(BlockCodec.encode(b)).toMultibase());
            return 0;
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode a MetadataBlock YAML manifest to binary.")
    static final class Encode implements Callable<Integer> {
        @Parameters(paramLabel = "BLOCK.yaml")
        Path file;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE")
        Path output;

        public Integer call() throws Exception {
            byte[] bytes = BlockCodec.encode(readYaml(file));
            Files.write(output, bytes);
            System.out.println(Multihash.sha3(bytes).toMultibase());
            return 0;
        }
    }

    @Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode a binary block to YAML (its hash is printed as a comment).")
    static final class Decode implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        public Integer call() throws Exception {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("file not found: " + file);
            }
            MetadataBlock b;
            try {
                b = BlockCodec.decode(bytes);
            } catch (OdfFormatException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage());
            }
            System.out.println("# block hash: " + Multihash.sha3(bytes).toMultibase());
            System.out.print(ManifestYaml.writeBlock(b));
            return 0;
        }
    }

    static MetadataBlock readYaml(Path file) throws Exception {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file not found: " + file);
        }
        try {
            return ManifestYaml.readBlock(text);
        } catch (OdfFormatException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }
}
