package dev.sluice.engine.provisioning;

import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineProvisioner;
import dev.sluice.engine.runner.InvalidWireRequestException;
import dev.sluice.engine.runner.WireJson;
import dev.sluice.engine.runner.WireRequest;
import dev.sluice.engine.runner.WireResponse;
import dev.sluice.storage.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Runs transforms by invoking the dialect's AWS Lambda function (the engine image deployed with its {@code lambda}
 * entry point, or the runner jar on the Java runtime) synchronously with the wire request; inputs and outputs go
 * through the object-store staging area, which the function reaches as its {@code SLUICE_ENGINE_STORE}. A function
 * error (the handler threw, timed out or ran out of memory) becomes an {@code InternalError} with Lambda's message.
 */
public final class LambdaEngineProvisioner implements EngineProvisioner {
    static final String BACKEND = "lambda";

    private final LambdaClient lambda;
    private final ProvisionerConfig config;
    private final ObjectStoreStaging staging;

    public LambdaEngineProvisioner(LambdaClient lambda, ProvisionerConfig config, ObjectStore stagingStore) {
        this.lambda = lambda;
        this.config = config;
        this.staging = new ObjectStoreStaging(stagingStore, config.staging().prefix());
    }

    @Override
    public Optional<Engine> engineFor(String dialect) {
        ProvisionerConfig.DialectSettings settings = config.settingsFor(dialect);
        if (settings == null || settings.lambdaFunction() == null) return Optional.empty();
        String function = settings.lambdaFunction();
        return Optional.of(new RemoteEngine(BACKEND, dialect, new WireResponse.EngineInfo(dialect, "lambda " + function), staging,
                (id, request) -> invoke(function, request)));
    }

    private WireResponse invoke(String function, WireRequest request) {
        InvokeResponse response;
        try {
            response = lambda.invoke(b -> b.functionName(function)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArray(WireJson.write(request))));
        } catch (SdkException e) {
            throw new EngineTransportException("cannot invoke Lambda function " + function + ": " + e.getMessage(), e);
        }
        byte[] payload = response.payload() == null ? new byte[0] : response.payload().asByteArray();
        if (response.functionError() != null) {
            throw new EngineTransportException("Lambda function " + function + " failed (" + response.functionError() + "): "
                    + HttpEngineTransport.errorMessage(payload));
        }
        try {
            return WireJson.readResponse(payload);
        } catch (InvalidWireRequestException e) {
            throw new EngineTransportException("Lambda function " + function + " returned an unreadable response: "
                    + new String(payload, StandardCharsets.UTF_8), e);
        }
    }
}
