#!/usr/bin/env bash
# Runs the JMH benchmarks (not part of the test suite). Usage: integration-tests/bench.sh [JMH args, e.g. CommitBenchmark]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl integration-tests -am package
cd integration-tests
exec java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "target/test-classes:target/lib/*" org.openjdk.jmh.Main "$@"
