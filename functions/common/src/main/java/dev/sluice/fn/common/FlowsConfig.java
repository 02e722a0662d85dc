package dev.sluice.fn.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The flow system's knobs ({@code sluice.flows.*} properties, or {@code SLUICE_FLOWS_*} environment variables). */
@ConfigMapping(prefix = "sluice.flows")
public interface FlowsConfig {
    /**
     * Concurrency budget: tasks dispatched or running at any time; a tick dispatches queued tasks by priority up to it,
     * the rest stay queued for a later tick (or, in the local pool, the slot a finished task frees).
     */
    @WithDefault("4")
    int maxConcurrent();

    /** Due flows claimed per tick at most. */
    @WithDefault("1000")
    int maxClaimsPerTick();

    /** Lease of a running task; an expired lease is re-queued. */
    @WithDefault("15M")
    Duration lease();

    /** How long a dispatched task may wait for a worker before it is re-queued. */
    @WithDefault("5M")
    Duration dispatchLease();

    /** How long a tick event stays claimed by the delivery processing it. */
    @WithDefault("5M")
    Duration tickLease();

    /** A running task whose lease expires this many times fails. */
    @WithDefault("3")
    int maxRequeues();

    /** Conditional writes a tick issues in parallel. */
    @WithDefault("8")
    int tickThreads();

    /**
     * A reactive flow with nothing pending is rechecked this long after it settled: a tick compares its inputs with
     * what its last run consumed (from the log) and runs it if a commit's trigger was lost; 0 = no rechecks.
     */
    @WithDefault("1H")
    Duration reactiveRecheck();

    /**
     * Default flows (dev.sluice.pipelines.DefaultFlows): a derivative without a TRANSFORM flow gets a reactive one that
     * runs once this many new input records arrived (1: on every input update); 0 = derivatives get no flow of their own.
     */
    @WithDefault("1")
    long defaultTransformMinRecords();

    /** ... or this long after the first of fewer records arrived (the reactive trigger's maxBatchingInterval). */
    @WithDefault("0S")
    Duration defaultTransformMaxBatching();

    /**
     * When set, a root with a polling source and no INGEST flow gets one on this interval; unset (the default), such a
     * root is polled only when triggered until someone gives its flow a schedule.
     */
    Optional<Duration> defaultPollingInterval();

    /**
     * How often the local node's timer runs a scheduler tick; 0 = no timer (an external scheduler invokes the
     * {@code schedule-tick} function instead). Only the local node reads it.
     */
    @WithDefault("2S")
    Duration tickInterval();

    /**
     * How dispatched tasks reach a worker: {@code local} (this process's pool of {@code max-concurrent} threads; the
     * local node), {@code cloudevents} (a {@code dev.sluice.task.queued} CloudEvent POSTed to {@link #dispatchUrl()},
     * the Knative Broker) or {@code lambda} (an asynchronous invoke of the flow type's task function).
     */
    @WithDefault("local")
    String dispatch();

    /** cloudevents: where task events are POSTed (the Broker ingress, e.g. http://broker-ingress.knative-eventing.svc.cluster.local/sluice/default). */
    Optional<URI> dispatchUrl();

    /** cloudevents: {@code binary} (ce-* headers, JSON body) or {@code structured} (application/cloudevents+json). */
    @WithDefault("binary")
    String dispatchFormat();

    /** cloudevents: the events' {@code source} attribute. */
    @WithDefault("/sluice/scheduler")
    String dispatchSource();

    /** cloudevents: connect and request timeout of one dispatch. */
    @WithDefault("10S")
    Duration dispatchTimeout();

    /** lambda: the function that runs INGEST tasks (the ingest module exporting {@code run-task}). */
    Optional<String> lambdaIngestFunction();

    /** lambda: the function that runs TRANSFORM, RESET and COMPACTION tasks (the transform module's {@code run-task}). */
    Optional<String> lambdaTransformFunction();

    /** lambda: region of the task functions; default the runtime's {@code AWS_REGION}. */
    Optional<String> lambdaRegion();

    /** lambda: endpoint override (a Lambda-compatible API); default AWS's. */
    Optional<URI> lambdaEndpoint();
}
