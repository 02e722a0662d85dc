package dev.sluice.odf.yaml;

import static org.junit.jupiter.api.Assertions.*;

import dev.sluice.odf.OdfFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Randomly damaged fixtures either parse or fail with a proper OdfFormatException, never anything else. */
class ManifestYamlFuzzTest {
    static final String NOISE = " :-[]{}#&*!|>'\"%@`,?\n\t0123456789abcxyzKkind";

    @Test
    void mutatedFixturesOnlyFailWithOdfFormatException() {
        List<String> files = new ArrayList<>(Fixtures.list("manifests", ".yaml"));
        files.addAll(Fixtures.list("blocks-yaml", ".yaml"));
        files.addAll(Fixtures.list("golden/blocks", ".yaml"));
        Random rnd = new Random(42);
        int failures = 0;
        for (String f : files) {
            String text = Fixtures.read(f);
            Function<String, Object> reader = f.startsWith("manifests") ? ManifestYaml::readSnapshot : ManifestYaml::readBlock;
            for (int i = 0; i < 300; i++) {
                StringBuilder sb = new StringBuilder(text);
                for (int m = 1 + rnd.nextInt(3); m > 0 && sb.length() > 0; m--) {
                    int pos = rnd.nextInt(sb.length());
                    switch (rnd.nextInt(3)) {
                        case 0 -> sb.deleteCharAt(pos);
                        case 1 -> sb.insert(pos, NOISE.charAt(rnd.nextInt(NOISE.length())));
                        default -> sb.setCharAt(pos, NOISE.charAt(rnd.nextInt(NOISE.length())));
                    }
                }
                try {
                    reader.apply(sb.toString());
                } catch (OdfFormatException e) {
                    failures++;
                    assertFalse(e.getMessage().startsWith("unexpected error"), () -> e.getMessage() + "\n--- input:\n" + sb);
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                }
            }
        }
        assertTrue(failures > 100, "mutations should mostly break the input: " + failures);
    }
}
