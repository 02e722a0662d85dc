package dev.sluice.fn.local;

import dev.sluice.fn.common.Node;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

/**
 * The local node application. It has no code of its own beyond this banner: the functions (ingest, api) come in
 * as dependencies, and their beans, Funqy functions and REST resources are discovered from those jars. The
 * embedded state store is stopped with the application ({@link Node} closes it), so Ctrl-C leaves no process behind.
 */
@ApplicationScoped
public class LocalNode {
    /** Printed once the port accepts connections (scripts and tests wait for this line); Quarkus fires the event async. */
    void listening(@ObservesAsync HttpServerStart start, Node node) {
        System.out.printf("sluice node on http://%s:%d  (datasets: %s, account: %s; Ctrl-C stops)%n",
                start.options().getHost(), start.options().getPort(), node.repository().store().describe(), node.config().account());
    }
}
