#!/usr/bin/env bash
# Runs the JMH benchmarks (not part of the test suite). Usage: integration-tests/bench.sh [JMH args, e.g. CommitBenchmark]
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor build (-am), so the sibling modules resolve without `mvn install`; copies every module's deps to target/lib.
# functions/local-node: the packaged node the Node*Benchmark classes start as a process.
rm -rf integration-tests/target/lib
mvn -q -B -DskipTests -pl integration-tests,functions/local-node -am package dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=target/lib >/dev/null
cd integration-tests
exec java --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules=jdk.incubator.vector -cp "target/test-classes:target/lib/*" org.openjdk.jmh.Main "$@"
