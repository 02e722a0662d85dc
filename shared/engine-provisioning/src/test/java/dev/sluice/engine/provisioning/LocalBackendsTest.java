package dev.sluice.engine.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.TransformRequest;
import dev.sluice.engine.TransformResponse;
import dev.sluice.engine.runner.testengine.LinesEngine;
import dev.sluice.engine.runner.testengine.LinesRequests;
import dev.sluice.odf.OffsetInterval;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process and process backends running the test engine end to end. */
class LocalBackendsTest {
    @TempDir Path dir;

    static List<String> testClasspath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    /** Two "versions" of the lines engine: the same class path, told apart by the build label they report. */
    static ProvisionerConfig twoVersions() {
        var versions = Map.of(
                "1.0", new ProvisionerConfig.ProcessVersion(testClasspath(), List.of("-D" + LinesEngine.BUILD_PROPERTY + "=v1", "-Xmx256m")),
                "2.0", new ProvisionerConfig.ProcessVersion(testClasspath(), List.of("-D" + LinesEngine.BUILD_PROPERTY + "=v2", "-Xmx256m")));
        return new ProvisionerConfig(ProvisionerConfig.Backend.PROCESS,
                Map.of("lines", new ProvisionerConfig.DialectSettings(null, "1.0", versions, null)), null, null, null, null, null);
    }

    @Test
    void inProcessFindsEnginesThroughServiceLoader() throws Exception {
        try (EngineProvisioner provisioner = EngineProvisioners.create(ProvisionerConfig.inProcess())) {
            assertInstanceOf(InProcessEngineProvisioner.class, provisioner);
            Engine engine = provisioner.engineFor("lines").orElseThrow();
            assertInstanceOf(LinesEngine.class, engine);
            TransformRequest request = LinesRequests.request(dir, "lines", "grep a", null);

            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME), engine.transform(request));
            assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(request.newDataPath()));
            assertTrue(provisioner.engineFor("spark").isEmpty());
        }
    }

    @Test
    void processBackendRunsTwoVersionsSideBySideAndRecordsEachBuild() throws Exception {
        List<Long> pids;
        try (ProcessEngineProvisioner provisioner = new ProcessEngineProvisioner(twoVersions())) {
            Engine v1 = provisioner.engineFor("lines").orElseThrow(); // the default version
            Engine v2 = provisioner.engineFor("lines", "2.0").orElseThrow();
            assertEquals("lines/v1", v1.build());
            assertEquals("lines/v2", v2.build());
            assertEquals("lines", v2.name());

            TransformRequest r1 = LinesRequests.request(dir.resolve("v1"), "lines", "grep a", null);
            TransformRequest r2 = LinesRequests.request(dir.resolve("v2"), "lines", "grep an", null);
            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 13), LinesRequests.EVENT_TIME), v1.transform(r1));
            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 10), LinesRequests.EVENT_TIME), v2.transform(r2));
            assertEquals(LinesRequests.GREP_A_DATA, Files.readAllLines(r1.newDataPath()));
            assertEquals(List.of("runs=1", "build=lines/v1"), Files.readAllLines(r1.newCheckpointPath()));
            assertEquals(List.of("runs=1", "build=lines/v2"), Files.readAllLines(r2.newCheckpointPath()));

            pids = provisioner.childPids();
            assertEquals(2, pids.size());
            assertNotEquals(pids.get(0), pids.get(1));
            pids.forEach(pid -> assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));

            // asking again reuses the running children
            provisioner.engineFor("lines", "2.0").orElseThrow();
            assertEquals(pids.stream().sorted().toList(), provisioner.childPids().stream().sorted().toList());
            assertTrue(provisioner.engineFor("lines", "3.0").isEmpty(), "unconfigured version");
            assertTrue(provisioner.engineFor("spark").isEmpty(), "unconfigured dialect");
        }
        pids.forEach(pid -> assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " stopped"));
    }

    @Test
    void childrenAreStoppedAfterFailuresAndRestartedAfterACrash() throws Exception {
        List<Long> pids;
        try (ProcessEngineProvisioner provisioner = new ProcessEngineProvisioner(twoVersions())) {
            Engine engine = provisioner.engineFor("lines").orElseThrow();
            var crashed = assertInstanceOf(TransformResponse.InternalError.class,
                    engine.transform(LinesRequests.request(dir.resolve("a"), "lines", "throw", null)));
            assertEquals("lines failed: java.lang.IllegalStateException: simulated engine crash", crashed.message());
            assertEquals(new TransformResponse.InvalidQuery("bad"),
                    engine.transform(LinesRequests.request(dir.resolve("b"), "lines", "invalid: bad", null)));

            long first = provisioner.childPids().get(0);
            ProcessHandle child = ProcessHandle.of(first).orElseThrow();
            child.destroyForcibly();
            child.onExit().get(30, TimeUnit.SECONDS);
            TransformRequest after = LinesRequests.request(dir.resolve("c"), "lines", "grep cherry", null);
            assertEquals(new TransformResponse.Success(new OffsetInterval(10, 10), LinesRequests.EVENT_TIME), engine.transform(after));
            pids = provisioner.childPids();
            assertEquals(1, pids.size());
            assertNotEquals(first, pids.get(0), "a new child replaced the dead one");
        }
        assertFalse(ProcessHandle.of(pids.get(0)).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aChildThatCannotStartIsReportedWithItsOutputAndLeavesNothingRunning() throws Exception {
        var broken = Map.of("1.0", new ProvisionerConfig.ProcessVersion(List.of(dir.resolve("missing.jar").toString()), List.of()));
        var config = new ProvisionerConfig(ProvisionerConfig.Backend.PROCESS,
                Map.of("lines", new ProvisionerConfig.DialectSettings(null, "1.0", broken, null)), null, null, null, null, null);
        long before = ProcessHandle.current().children().count();
        try (ProcessEngineProvisioner provisioner = new ProcessEngineProvisioner(config)) {
            var e = assertThrows(EngineProvisioningException.class, () -> provisioner.engineFor("lines"));
            assertTrue(e.getMessage().startsWith("engine lines@1.0 exited with status 1 before it was ready"), e.getMessage());
            assertTrue(e.getMessage().contains("dev.sluice.engine.runner.EngineRunnerMain"), "the child's own output: " + e.getMessage());
            assertEquals(List.of(), provisioner.childPids());
        }
        assertEquals(before, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count());
    }

    @Test
    void aVersionWithoutTheDialectsEngineIsNotOffered() throws Exception {
        var versions = Map.of("1.0", new ProvisionerConfig.ProcessVersion(testClasspath(), List.of()));
        var config = new ProvisionerConfig(ProvisionerConfig.Backend.PROCESS,
                Map.of("default", new ProvisionerConfig.DialectSettings(null, "1.0", versions, null)), null, null, null, null, null);
        try (ProcessEngineProvisioner provisioner = new ProcessEngineProvisioner(config)) {
            assertTrue(provisioner.engineFor("flink").isEmpty());
            assertEquals(List.of(), provisioner.childPids(), "the child without a flink engine was stopped");
        }
    }

    @Test
    void backendIsChosenByConfiguration() throws Exception {
        Properties props = new Properties();
        props.setProperty("sluice.engine.backend", "process");
        props.setProperty("sluice.engine.dialect.lines.versions.1.0.classpath", String.join(File.pathSeparator, testClasspath()));
        try (EngineProvisioner provisioner = EngineProvisioners.create(props)) {
            assertInstanceOf(ProcessEngineProvisioner.class, provisioner);
            assertEquals("lines/1", provisioner.engineFor("lines").orElseThrow().build());
        }
        try (EngineProvisioner provisioner = EngineProvisioners.create(new Properties())) {
            assertInstanceOf(InProcessEngineProvisioner.class, provisioner);
        }
    }
}
