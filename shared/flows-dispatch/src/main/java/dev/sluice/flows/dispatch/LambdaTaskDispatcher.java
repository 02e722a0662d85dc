package dev.sluice.flows.dispatch;

import dev.sluice.flows.DispatchedTask;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskDispatcher;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Dispatches a task by invoking the Lambda function that runs its flow type asynchronously ({@code InvocationType
 * Event}: Lambda queues the event and answers 202; the function is not waited for). The payload is the task event's
 * data, which the function's {@code run-task} takes. Functions by flow type: the ingest function runs INGEST, the
 * transform function TRANSFORM, RESET and COMPACTION ({@link #functionsFor}).
 */
public final class LambdaTaskDispatcher implements TaskDispatcher, AutoCloseable {
    private final LambdaClient lambda;
    private final Map<FlowType, String> functions;
    private final boolean ownsClient;

    public LambdaTaskDispatcher(LambdaClient lambda, Map<FlowType, String> functions) {
        this(lambda, functions, false);
    }

    private LambdaTaskDispatcher(LambdaClient lambda, Map<FlowType, String> functions, boolean ownsClient) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        if (functions.isEmpty()) throw new IllegalArgumentException("no task functions configured for the Lambda dispatcher");
        this.functions = Map.copyOf(functions);
        this.ownsClient = ownsClient;
    }

    /** A dispatcher with its own client (url-connection HTTP client; credentials from the default chain). */
    public static LambdaTaskDispatcher create(String region, URI endpoint, Map<FlowType, String> functions) {
        var b = LambdaClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(Region.of(region));
        if (endpoint != null) b.endpointOverride(endpoint);
        return new LambdaTaskDispatcher(b.build(), functions, true);
    }

    /** The function of each flow type: ingest runs INGEST; transform runs TRANSFORM, RESET, COMPACTION. Null = none. */
    public static Map<FlowType, String> functionsFor(String ingestFunction, String transformFunction) {
        Map<FlowType, String> m = new EnumMap<>(FlowType.class);
        if (ingestFunction != null && !ingestFunction.isBlank()) m.put(FlowType.INGEST, ingestFunction);
        if (transformFunction != null && !transformFunction.isBlank()) {
            for (FlowType t : new FlowType[] {FlowType.TRANSFORM, FlowType.RESET, FlowType.COMPACTION}) m.put(t, transformFunction);
        }
        return m;
    }

    @Override
    public void dispatch(DispatchedTask task) {
        String function = functions.get(task.flowType());
        if (function == null) {
            throw new TaskDispatchException("no Lambda task function configured for " + task.flowType().label() + " tasks ("
                    + (task.flowType() == FlowType.INGEST ? "ingest" : "transform") + " function); task " + task.taskId() + " not dispatched");
        }
        InvokeResponse r;
        try {
            r = lambda.invoke(i -> i.functionName(function).invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String(TaskEvent.data(task))));
        } catch (SdkException e) {
            throw new TaskDispatchException("cannot invoke Lambda function " + function + " for task " + task.taskId() + ": " + e.getMessage(), e);
        }
        if (r.statusCode() != 202 || r.functionError() != null) {
            throw new TaskDispatchException("Lambda function " + function + " did not accept task " + task.taskId() + ": status "
                    + r.statusCode() + (r.functionError() != null ? " (" + r.functionError() + ")" : ""));
        }
    }

    @Override
    public void close() {
        if (ownsClient) lambda.close();
    }
}
