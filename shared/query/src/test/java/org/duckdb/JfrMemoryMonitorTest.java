package org.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The replacement of DuckDB's JFR memory monitor fits the driver, and the driver then starts no JFR machinery. */
class JfrMemoryMonitorTest {
    @Test
    void hasTheOriginalsStaticMethods() throws Exception {
        URL driverJar = DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation();
        URL ours = JfrMemoryMonitor.class.getProtectionDomain().getCodeSource().getLocation();
        assertNotEquals(driverJar, ours, "the replacement is found before the driver jar's class");
        try (URLClassLoader driverOnly = new URLClassLoader(new URL[] {driverJar}, ClassLoader.getPlatformClassLoader())) {
            Class<?> original = Class.forName("org.duckdb.JfrMemoryMonitor", false, driverOnly);
            assertEquals(staticMethods(original), staticMethods(JfrMemoryMonitor.class));
        }
    }

    @Test
    void theDriverStartsNoJfr() throws Exception {
        Class.forName("org.duckdb.DuckDBDriver"); // its class initialiser calls JfrMemoryMonitor.init()
        try (var conn = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = conn.createStatement();
                var rs = st.executeQuery("select 42")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
        assertFalse(jdk.jfr.FlightRecorder.isInitialized(), "JFR was started");
    }

    private static Set<String> staticMethods(Class<?> c) {
        Set<String> out = new TreeSet<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
                out.add(m.getReturnType().getName() + " " + m.getName()
                        + Arrays.stream(m.getParameterTypes()).map(Class::getName).toList());
            }
        }
        return out;
    }
}
