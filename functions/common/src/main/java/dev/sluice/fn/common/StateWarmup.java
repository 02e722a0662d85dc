package dev.sluice.fn.common;

import dev.sluice.state.DynamoClients;

/**
 * The state store's classes and first read, without a store ({@link DynamoClients#warmUp()}), unless
 * {@code sluice.state} is {@code none}: for functions whose first request most likely reads or writes the store
 * (a tick, a task, a flow request). The store itself opens on first use ({@link Node}), so a function that seldom
 * needs it (query) does not list this warm-up and pays for neither.
 */
public class StateWarmup implements Warmup {
    @Override
    public void run() {
        if (!"none".equals(FunctionMain.hint("sluice.state", "SLUICE_STATE"))) DynamoClients.warmUp();
    }

    /**
     * Only where index and flow updates are inline ({@code sluice.index-updates=inline}, AWS Lambda): there the first
     * commit opens the store on the request; written behind, it opens after the answer.
     */
    public static final class WhenUpdatesInline extends StateWarmup {
        @Override
        public void run() {
            if ("inline".equals(FunctionMain.hint("sluice.index-updates", "SLUICE_INDEX_UPDATES"))) super.run();
        }
    }
}
