#!/bin/sh
# Entry point of the Sluice engine image.
#   lambda [HANDLER]        AWS Lambda, through the runtime interface client (the default when AWS_LAMBDA_RUNTIME_API is set)
#   http [OPTIONS]          POST /transform, GET /health on $PORT (default 8080): Knative, the process backend
#   cli run REQUEST [--response LOCATION] | cli engines
#                           one request and exit: Kubernetes Jobs
# Configuration: SLUICE_ENGINE_STORE (staging object store), SLUICE_ENGINE_WORK_DIR, SLUICE_ENGINE_LOCAL_FILES,
# AWS credentials from the usual chain. JAVA and JAVA_OPTS may be overridden.
set -eu

SLUICE_HOME="${SLUICE_HOME:-/opt/sluice}"
JAVA="${JAVA:-java}"
CLASSPATH_ARG="$SLUICE_HOME/lib/*"
# Arrow (under DuckDB's result export) reads java.nio internals on Java 17+; jdk.incubator.vector: the 4-lane SHA3
# of slice logical hashes (optional: without it hashing stays scalar).
JAVA_OPTS="${JAVA_OPTS:-} --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules=jdk.incubator.vector"
RUNNER=dev.sluice.engine.runner.EngineRunnerMain

if [ $# -eq 0 ]; then
  if [ -n "${AWS_LAMBDA_RUNTIME_API:-}" ]; then mode=lambda; else mode=http; fi
else
  mode="$1"
  shift
fi

case "$mode" in
  lambda)
    handler="${1:-dev.sluice.engine.runner.EngineLambdaHandler::handleRequest}"
    # shellcheck disable=SC2086
    exec "$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ARG" com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$handler"
    ;;
  http)
    # shellcheck disable=SC2086
    exec "$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ARG" "$RUNNER" http "$@"
    ;;
  cli)
    # shellcheck disable=SC2086
    exec "$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ARG" "$RUNNER" "$@"
    ;;
  *)
    echo "usage: entrypoint.sh lambda [HANDLER] | http [OPTIONS] | cli run REQUEST [--response LOCATION] | cli engines" >&2
    exit 2
    ;;
esac
