#!/usr/bin/env bash
# Assembles the engine image's Docker build context (target/image) with Maven; with --docker [TAG] also builds the
# image (needs a Docker engine: not available on the build machines, where only the context is produced and checked).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

(cd "$root" && mvn -q -pl engine-images/duckdb -am package -DskipTests)
echo "image context: $here/target/image ($(ls "$here/target/image/lib" | wc -l) jars)"

if [ "${1:-}" = "--docker" ]; then
  tag="${2:-sluice/engine-duckdb:dev}"
  docker build -t "$tag" "$here/target/image"
  echo "built $tag"
fi
