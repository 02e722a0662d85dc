package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProvisionerConfigTest {
    private static ProvisionerConfig parse(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return ProvisionerConfig.fromProperties(p);
    }

    @Test
    void defaultsToInProcess() throws Exception {
        ProvisionerConfig config = parse("unrelated.key = 1\n");
        assertEquals(ProvisionerConfig.Backend.IN_PROCESS, config.backend());
        assertNull(config.settingsFor("duckdb"));
    }

    @Test
    void readsProcessVersionsSideBySide() throws Exception {
        String sep = File.pathSeparator;
        ProvisionerConfig config = parse("""
                sluice.engine.backend = process
                sluice.engine.process.start-timeout = 90s
                sluice.engine.dialect.duckdb.version = 1.5.4
                sluice.engine.dialect.duckdb.versions.1.5.4.classpath = /opt/e154/lib/*%s/opt/e154/extra.jar
                sluice.engine.dialect.duckdb.versions.1.5.4.jvm-args = -Xmx2g  -Dx=y
                sluice.engine.dialect.duckdb.versions.2.0.0.classpath = /opt/e200/lib/*
                """.formatted(sep));
        var duckdb = config.settingsFor("DuckDB");
        assertEquals("1.5.4", duckdb.defaultVersion());
        assertEquals(List.of("/opt/e154/lib/*", "/opt/e154/extra.jar"), duckdb.versions().get("1.5.4").classpath());
        assertEquals(List.of("-Xmx2g", "-Dx=y"), duckdb.versions().get("1.5.4").jvmArgs());
        assertEquals(List.of(), duckdb.versions().get("2.0.0").jvmArgs());
        assertEquals(Duration.ofSeconds(90), config.process().startTimeout());
    }

    @Test
    void readsRemoteBackends() throws Exception {
        ProvisionerConfig config = parse("""
                sluice.engine.backend = kubernetes-job
                sluice.engine.staging.store = s3://sluice-staging/engines?region=eu-west-1
                sluice.engine.dialect.default.image = ghcr.io/sluice/engine-duckdb:0.1.0
                sluice.engine.dialect.flink.image = ghcr.io/sluice/engine-flink:9
                sluice.engine.kubernetes.namespace = sluice
                sluice.engine.kubernetes.timeout = PT45M
                sluice.engine.kubernetes.env-from-secret = engine-s3
                sluice.engine.knative.delete-on-close = true
                sluice.engine.lambda.endpoint = http://localhost:4566
                """);
        assertEquals(ProvisionerConfig.Backend.KUBERNETES_JOB, config.backend());
        assertEquals("engine-staging/", config.staging().prefix());
        assertEquals("ghcr.io/sluice/engine-duckdb:0.1.0", config.settingsFor("datafusion").image(), "default applies");
        assertEquals("ghcr.io/sluice/engine-flink:9", config.settingsFor("flink").image());
        assertEquals(Duration.ofMinutes(45), config.kubernetes().timeout());
        assertEquals("engine-s3", config.kubernetes().envFromSecret());
        assertEquals("2Gi", config.kubernetes().memory());
        assertTrue(config.knative().deleteOnClose());
        assertEquals(URI.create("http://localhost:4566"), config.lambda().endpoint());
    }

    @Test
    void badSettingsAreNamed() {
        assertMessage("unknown engine backend 'docker'", "sluice.engine.backend = docker");
        assertMessage("unknown engine setting(s): sluice.engine.kubernetes.namepsace", "sluice.engine.kubernetes.namepsace = x");
        assertMessage("unknown engine setting sluice.engine.dialect.duckdb.imgae", "sluice.engine.dialect.duckdb.imgae = x");
        assertMessage("engine backend lambda needs sluice.engine.staging.store", "sluice.engine.backend = lambda");
        assertMessage("sluice.engine.kubernetes.timeout must be a duration like 90s, 5m or PT5M, got 'soon'",
                "sluice.engine.kubernetes.timeout = soon");
        assertMessage("sluice.engine.dialect.duckdb.version is 9 but no sluice.engine.dialect.duckdb.versions.9.classpath is set",
                "sluice.engine.backend = process\nsluice.engine.dialect.duckdb.version = 9\nsluice.engine.dialect.duckdb.versions.1.classpath = /x");
    }

    private static void assertMessage(String expected, String properties) {
        var e = assertThrows(IllegalArgumentException.class, () -> parse(properties));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
