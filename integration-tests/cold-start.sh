#!/usr/bin/env bash
# Cold start of each function (process start → first answered request) against a bare Quarkus Funqy hello built the
# same way (integration-tests/funqy-hello), on JDK 17 and on JDK 25 without and with an AOT cache (JEP 483/514).
# Not part of the test suite; prints markdown tables (docs/benchmarks.md, "Functions and node").
# The fast-jar (what the functions ship as) loads the application's classes with Quarkus' own class loader, which the
# AOT cache does not cover; a last column repeats JDK 25 + AOT with Quarkus' aot-jar packaging (a flat class path the
# cache covers), built into target/aot-app next to the fast-jar (COLD_AOT_JAR=0 skips it).
#
# Usage: integration-tests/cold-start.sh [RUNS]   (default 5 runs of every configuration, interleaved, each paired
#                                                 with a hello run; the tables go to stdout, progress to stderr)
# Environment: JDK17_HOME, JDK25_HOME (JDK 25 is skipped when missing), COLD_APPS=ingest,query,...,
#              COLD_MODES=none,external,embedded (state store: none / already running / started by the function)
# The measuring harness is integration-tests/src/test/java/dev/sluice/bench/ColdStart.java (JDK only).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
runs="${1:-5}"
jdk17="${JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
jdk25="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

# The fast-jars, built as ./sluice up builds the node (release 17, so the same jars run on both JDKs).
modules=functions/ingest,functions/query,functions/api,functions/schedule-tick,functions/transform,integration-tests/funqy-hello
mvn -o -q -B -DskipTests package -am -pl "$modules" >&2
aot_jar="${COLD_AOT_JAR:-1}"
if [ "$aot_jar" = 1 ]; then
  # duckdb-native-libs (functions/pom.xml) follows the output folder: DuckDB's libraries go next to its jar there too
  mvn -o -q -B -DskipTests package -am -pl "$modules" -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=aot-app \
    -Dduckdb.native-libs.dir=target/aot-app/lib/main >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-cold-start.XXXXXX")"
# The harness stops every process it started (a shutdown hook covers Ctrl-C); the data folders and AOT caches
# (~1 GB) go with the work folder.
trap 'rm -rf "$work"' EXIT

jvms=(--jvm "JDK 17=$jdk17/bin/java")
if [ -x "$jdk25/bin/java" ]; then
  jvms+=(--jvm "JDK 25=$jdk25/bin/java" --jvm "JDK 25 + AOT=$jdk25/bin/java:aot")
  [ "$aot_jar" = 1 ] && jvms+=(--jvm "JDK 25 + AOT, aot-jar=$jdk25/bin/java:aot:app=aot-app")
else
  echo "warning: no JDK 25 at $jdk25 (set JDK25_HOME): measuring JDK 17 only" >&2
fi
opts=()
[ -n "${COLD_APPS:-}" ] && opts+=(--apps "$COLD_APPS")
[ -n "${COLD_MODES:-}" ] && opts+=(--modes "$COLD_MODES")

echo "$("$jdk17/bin/java" -version 2>&1 | head -1); $( [ -x "$jdk25/bin/java" ] && "$jdk25/bin/java" -version 2>&1 | head -1)" >&2
"$jdk17/bin/java" integration-tests/src/test/java/dev/sluice/bench/ColdStart.java \
  --root "$root" --work "$work" --runs "$runs" "${jvms[@]}" "${opts[@]}"
