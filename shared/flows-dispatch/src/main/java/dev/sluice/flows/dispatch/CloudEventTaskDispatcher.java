package dev.sluice.flows.dispatch;

import dev.sluice.flows.DispatchedTask;
import dev.sluice.flows.TaskDispatcher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Dispatches a task as a CloudEvent ({@value TaskEvent#TYPE}, CloudEvents 1.0 over HTTP) POSTed to a sink — on
 * Knative the Broker's ingress, whose Triggers route it by the {@value TaskEvent#FLOW_TYPE} attribute to the Service
 * that runs that flow type's {@code run-task} function. Binary mode puts the attributes in {@code ce-*} headers and the
 * task as the JSON body; structured mode sends one {@code application/cloudevents+json} document. Each dispatch is a
 * new event (fresh id): a duplicate delivery of it is harmless, the task function's claim is conditional.
 */
public final class CloudEventTaskDispatcher implements TaskDispatcher {
    public enum Mode { BINARY, STRUCTURED }

    private final URI sink;
    private final String source;
    private final Mode mode;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;

    /**
     * @param sink where events are POSTed (e.g. {@code http://broker-ingress.knative-eventing.svc.cluster.local/sluice/default})
     * @param source the events' {@code source} attribute (a URI reference naming this sender)
     */
    public CloudEventTaskDispatcher(URI sink, String source, Mode mode, Duration timeout, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (!"http".equals(sink.getScheme()) && !"https".equals(sink.getScheme())) {
            throw new IllegalArgumentException("task event sink must be an http(s) URL, not " + sink);
        }
        if (source == null || source.isBlank()) throw new IllegalArgumentException("task event source must not be empty");
        this.source = source;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public URI sink() {
        return sink;
    }

    @Override
    public void dispatch(DispatchedTask task) {
        String id = UUID.randomUUID().toString();
        String time = clock.instant().toString();
        String data = TaskEvent.data(task);
        HttpRequest.Builder req = HttpRequest.newBuilder(sink).timeout(timeout);
        if (mode == Mode.BINARY) {
            req.header("ce-specversion", "1.0").header("ce-id", id).header("ce-type", TaskEvent.TYPE).header("ce-source", source)
                    .header("ce-subject", task.taskId()).header("ce-time", time)
                    .header("ce-" + TaskEvent.FLOW_TYPE, TaskEvent.flowTypeAttribute(task.flowType()))
                    .header("Content-Type", "application/json");
            if (task.datasetId() != null) req.header("ce-" + TaskEvent.DATASET, task.datasetId());
            req.POST(HttpRequest.BodyPublishers.ofString(data));
        } else {
            StringBuilder b = new StringBuilder("{\"specversion\":\"1.0\",\"id\":");
            TaskEvent.quote(b, id).append(",\"type\":");
            TaskEvent.quote(b, TaskEvent.TYPE).append(",\"source\":");
            TaskEvent.quote(b, source).append(",\"subject\":");
            TaskEvent.quote(b, task.taskId()).append(",\"time\":");
            TaskEvent.quote(b, time).append(",\"" + TaskEvent.FLOW_TYPE + "\":");
            TaskEvent.quote(b, TaskEvent.flowTypeAttribute(task.flowType()));
            if (task.datasetId() != null) TaskEvent.quote(b.append(",\"" + TaskEvent.DATASET + "\":"), task.datasetId());
            b.append(",\"datacontenttype\":\"application/json\",\"data\":").append(data).append('}');
            req.header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofString(b.toString()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TaskDispatchException("task event for " + task.taskId() + " not delivered to " + sink + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskDispatchException("interrupted while sending the task event for " + task.taskId(), e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new TaskDispatchException("task event for " + task.taskId() + " refused by " + sink + ": HTTP " + response.statusCode()
                    + (body.isBlank() ? "" : " " + (body.length() > 200 ? body.substring(0, 200) + "…" : body)));
        }
    }
}
