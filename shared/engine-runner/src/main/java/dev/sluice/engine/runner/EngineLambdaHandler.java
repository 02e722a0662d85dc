package dev.sluice.engine.runner;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The runner as an AWS Lambda function ({@code dev.sluice.engine.runner.EngineLambdaHandler::handleRequest}, run by
 * the Lambda Java runtime or the runtime interface client in the engine image): the event is a {@link WireRequest},
 * the result its {@link WireResponse}. Locations must be {@code store:} objects of {@code SLUICE_ENGINE_STORE}
 * ({@code file:} locations are refused unless {@code SLUICE_ENGINE_LOCAL_FILES=true}). A request that cannot be run
 * throws, which Lambda reports as a function error. The runner is built once per execution environment.
 */
public final class EngineLambdaHandler implements RequestStreamHandler {
    private static volatile EngineRunner defaultRunner;

    private final EngineRunner runner;

    /** Used by the Lambda runtime: configuration from the environment. */
    public EngineLambdaHandler() {
        this(null);
    }

    public EngineLambdaHandler(EngineRunner runner) {
        this.runner = runner;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        WireResponse response = runner().run(WireJson.readRequest(input));
        output.write(WireJson.write(response));
    }

    private EngineRunner runner() {
        if (runner != null) return runner;
        EngineRunner r = defaultRunner;
        if (r == null) {
            synchronized (EngineLambdaHandler.class) {
                r = defaultRunner;
                if (r == null) defaultRunner = r = EngineRunner.fromEnvironment(System.getenv(), false);
            }
        }
        return r;
    }
}
