package dev.sluice.fn.local;

import dev.sluice.fn.common.Node;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The local node application. It has no code of its own beyond this banner: the functions (ingest, api) come in
 * as dependencies, and their beans, Funqy functions and REST resources are discovered from those jars. The
 * embedded state store is stopped with the application ({@link Node} closes it), so Ctrl-C leaves no process behind.
 */
@ApplicationScoped
public class LocalNode {
    void started(@Observes StartupEvent e, Node node,
            @ConfigProperty(name = "quarkus.http.host") String host, @ConfigProperty(name = "quarkus.http.port") int port) {
        System.out.printf("sluice node on http://%s:%d  (datasets: %s, account: %s; Ctrl-C stops)%n",
                host, port, node.repository().store().describe(), node.config().account());
    }
}
