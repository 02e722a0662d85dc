#!/usr/bin/env bash
# Runs the whole test suite (unit, integration against real servers started by the tests, CLI end-to-end).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp verify "$@"
