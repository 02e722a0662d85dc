package dev.sluice.fn.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Polling configuration ({@code sluice.poll.*} / {@code SLUICE_POLL_*}): the variables {@code ${{ env.NAME }}}
 * templates in Url sources resolve to, and the node's limits on what a manifest may make it do.
 */
@ConfigMapping(prefix = "sluice.poll")
public interface PollConfig {
    /** Template variables that may appear in messages: {@code sluice.poll.vars.NAME=value}. */
    Map<String, String> vars();

    /** Template variables whose values never appear in messages or logs: {@code sluice.poll.secrets.NAME=value}. */
    Map<String, String> secrets();

    /**
     * Folders {@code file:} URLs and FilesGlob may read; unset = any readable file (local mode: the node's owner
     * writes the manifests). A node that runs other people's manifests sets this.
     */
    Optional<List<String>> fileRoots();

    /** Folder relative FilesGlob paths resolve against; default the working directory. */
    Optional<String> baseDir();

    /** Whether Pipe prepare steps (commands named by manifests) may run. */
    @WithDefault("true")
    boolean allowPipe();

    @WithDefault("30s")
    Duration connectTimeout();

    @WithDefault("2m")
    Duration responseTimeout();

    @WithDefault("30m")
    Duration fetchTimeout();

    @WithDefault("30m")
    Duration pipeTimeout();
}
