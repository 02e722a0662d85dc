package dev.sluice.fn.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Configuration shared by every function ({@code sluice.*} properties, or {@code SLUICE_*} environment variables).
 * The defaults describe the local node: everything under one data folder, single tenant, anonymous access.
 */
@ConfigMapping(prefix = "sluice")
public interface NodeConfig {
    /** Data folder of a local node: datasets in {@code <data>/datasets}, state in {@code <data>/state}, scratch in {@code <data>/tmp}. */
    @WithDefault(".sluice")
    String data();

    /** Dataset storage: a folder or {@code s3://bucket/prefix}; default {@code <data>/datasets}. */
    Optional<String> storage();

    /**
     * Operational state: {@code embedded} (dynalite in {@code <data>/state}), {@code none} (no index; the log alone),
     * {@code aws} (DynamoDB from the default chain) or an endpoint URI of a DynamoDB-compatible store.
     */
    @WithDefault("embedded")
    String state();

    /**
     * How commits reach the dataset index: {@code behind} (default: a background thread applies them in batches, off
     * the commit path; a process stop drains it) or {@code inline} (in the committing request, for runtimes that
     * freeze the process after answering, such as AWS Lambda). Either way the log is the truth and a lagging index is
     * caught up by the next commit or fresh read.
     */
    @WithDefault("behind")
    String indexUpdates();

    /**
     * Whether the function creates missing state tables when it opens the store (the embedded one at start, a remote one on first use): {@code create} (describe every table, create what is
     * missing, wait until active) or {@code existing} (the tables were created by infrastructure code such as
     * infra/terraform; nothing is checked, which keeps ~20 round trips off the first use). Default: {@code create}
     * for the embedded store (the local node owns it), {@code existing} for {@code aws} and endpoint URIs.
     */
    Optional<String> stateTables();

    /** Table name prefix of the state store. */
    @WithDefault("sluice-")
    String tablePrefix();

    /**
     * Single-tenant local mode: one account ({@link #account()}) owns every dataset and anonymous requests are
     * allowed. The only mode there is so far; multi-tenant mode (accounts, tokens) comes with authentication.
     */
    @WithDefault("true")
    boolean localMode();

    /** The account of local mode, kamu's default. */
    @WithDefault("kamu")
    String account();

    /** Largest accepted request body in bytes (ingest uploads, manifests); larger ones get 413. */
    @WithDefault("268435456")
    long maxBodyBytes();
}
