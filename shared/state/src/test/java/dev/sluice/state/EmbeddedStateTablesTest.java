package dev.sluice.state;

/** The table contract on embedded dynalite (always runs). */
class EmbeddedStateTablesTest extends StateTablesContract {
    @Override
    StateConfig config() {
        return TestDynamo.embeddedConfig();
    }
}
