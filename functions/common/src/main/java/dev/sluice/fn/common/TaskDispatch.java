package dev.sluice.fn.common;

import dev.sluice.flows.TaskDispatcher;
import dev.sluice.flows.TaskRunner;
import dev.sluice.flows.dispatch.CloudEventTaskDispatcher;
import dev.sluice.flows.dispatch.LambdaTaskDispatcher;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Function;

/** The task dispatcher {@code sluice.flows.dispatch} selects; a wrong setting fails start-up naming the key. */
final class TaskDispatch {
    private TaskDispatch() {}

    /** Null for {@code local}: the flow system's own pool. */
    static Function<TaskRunner, TaskDispatcher> fromConfig(FlowsConfig c, Clock clock) {
        switch (c.dispatch().trim().toLowerCase(Locale.ROOT)) {
            case "local":
                return null;
            case "cloudevents": {
                var url = c.dispatchUrl().orElseThrow(() -> new IllegalArgumentException(
                        "sluice.flows.dispatch=cloudevents needs sluice.flows.dispatch-url (the event broker's URL)"));
                var mode = switch (c.dispatchFormat().trim().toLowerCase(Locale.ROOT)) {
                    case "binary" -> CloudEventTaskDispatcher.Mode.BINARY;
                    case "structured" -> CloudEventTaskDispatcher.Mode.STRUCTURED;
                    default -> throw new IllegalArgumentException("sluice.flows.dispatch-format must be binary or structured, not " + c.dispatchFormat());
                };
                var d = new CloudEventTaskDispatcher(url, c.dispatchSource(), mode, c.dispatchTimeout(), clock);
                return runner -> d;
            }
            case "lambda": {
                var functions = LambdaTaskDispatcher.functionsFor(c.lambdaIngestFunction().orElse(null), c.lambdaTransformFunction().orElse(null));
                if (functions.isEmpty()) {
                    throw new IllegalArgumentException("sluice.flows.dispatch=lambda needs sluice.flows.lambda-ingest-function and/or "
                            + "sluice.flows.lambda-transform-function");
                }
                String region = c.lambdaRegion().orElse(System.getenv("AWS_REGION"));
                if (region == null || region.isBlank()) {
                    throw new IllegalArgumentException("sluice.flows.dispatch=lambda needs sluice.flows.lambda-region (or AWS_REGION)");
                }
                return runner -> LambdaTaskDispatcher.create(region, c.lambdaEndpoint().orElse(null), functions);
            }
            default:
                throw new IllegalArgumentException("sluice.flows.dispatch must be local, cloudevents or lambda, not " + c.dispatch());
        }
    }
}
