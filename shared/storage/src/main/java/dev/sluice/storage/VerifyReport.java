package dev.sluice.storage;

import java.util.List;

/**
 * Result of verifying a dataset. {@code problems} are corruption (first one is the first bad object found walking
 * from head); {@code garbage} are objects no block references — left by interrupted commits, harmless.
 */
public record VerifyReport(String dataset, int blocks, int dataObjects, int checkpoints, List<String> problems, List<String> garbage) {
    public boolean ok() {
        return problems.isEmpty();
    }
}
