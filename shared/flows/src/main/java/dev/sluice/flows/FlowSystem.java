package dev.sluice.flows;

import dev.sluice.state.FlowRepository;
import dev.sluice.state.IdempotencyStore;
import dev.sluice.state.StateTables;
import dev.sluice.state.TaskRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The flow system wired over the state tables: {@link #scheduler()} (ticks, reactive trigger), {@link #runner()}
 * (runs one task), {@link #service()} (API/CLI operations). Closing it stops the local dispatcher, if it owns one.
 *
 * <pre>{@code
 * FlowSystem flows = FlowSystem.builder(state.tables()).executors(List.of(ingest, transform)).build();
 * flows.scheduler().tick(event.id(), event.time());
 * }</pre>
 */
public final class FlowSystem implements AutoCloseable {
    private final TaskRunner runner;
    private final Scheduler scheduler;
    private final FlowService service;
    private final TaskDispatcher dispatcher;
    private final ExecutorService tickWriters;

    private FlowSystem(Builder b) {
        FlowStore store = new FlowStore(new FlowRepository(b.tables), new TaskRepository(b.tables), b.clock, b.random,
                b.config.reactiveRecheck());
        this.runner = new TaskRunner(store, b.executors, b.clock, b.config.leaseDuration());
        Clock clock = b.clock;
        this.dispatcher = b.dispatcher != null ? b.dispatcher.apply(runner)
                : new LocalTaskDispatcher(runner, b.config.maxConcurrent(), () -> fillFreedSlot(clock));
        DatasetDependencies deps = b.dependencies != null ? b.dependencies : DatasetDependencies.fromIndex(b.tables);
        AtomicInteger n = new AtomicInteger();
        this.tickWriters = b.config.tickThreads() <= 1 ? null : Executors.newFixedThreadPool(b.config.tickThreads(), r -> {
            Thread t = new Thread(r, "sluice-tick-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = new Scheduler(store, new IdempotencyStore(b.tables, b.clock), deps, b.backlog, dispatcher, b.config, tickWriters);
        this.service = new FlowService(store, scheduler, b.clock);
    }

    /** The local pool finished a task: dispatch queued work into its slot (within the budget). */
    private void fillFreedSlot(Clock clock) {
        scheduler.dispatchQueued(clock.instant());
    }

    public static Builder builder(StateTables tables) {
        return new Builder(tables);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public TaskRunner runner() {
        return runner;
    }

    public FlowService service() {
        return service;
    }

    public TaskDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void close() {
        if (tickWriters != null) tickWriters.shutdown();
        if (dispatcher instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the task dispatcher failed", e);
            }
        }
    }

    public static final class Builder {
        private final StateTables tables;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new Random();
        private SchedulerConfig config = SchedulerConfig.defaults();
        private final List<FlowTaskExecutor> executors = new ArrayList<>();
        private Function<TaskRunner, TaskDispatcher> dispatcher;
        private DatasetDependencies dependencies;
        private InputBacklog backlog;

        private Builder(StateTables tables) {
            this.tables = Objects.requireNonNull(tables, "tables");
        }

        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        /** The source of retry jitter (seed it in tests). */
        public Builder random(RandomGenerator r) {
            random = Objects.requireNonNull(r);
            return this;
        }

        public Builder config(SchedulerConfig c) {
            config = Objects.requireNonNull(c);
            return this;
        }

        public Builder executors(List<? extends FlowTaskExecutor> list) {
            executors.addAll(list);
            return this;
        }

        public Builder executor(FlowTaskExecutor e) {
            executors.add(e);
            return this;
        }

        /**
         * How dispatched tasks reach a worker; default: a {@link LocalTaskDispatcher} with {@code maxConcurrent} threads
         * that dispatches queued work into the slot a finished task frees.
         */
        public Builder dispatcher(Function<TaskRunner, TaskDispatcher> d) {
            dispatcher = d;
            return this;
        }

        /** Where reactive flows find their downstream datasets; default: the dataset index's edges. */
        public Builder dependencies(DatasetDependencies d) {
            dependencies = d;
            return this;
        }

        /**
         * How a reactive flow's recheck reads its inputs' progress from the log (e.g. shared/pipelines'
         * {@code LogInputBacklog}); without one a recheck runs the transform task, which finds out itself.
         */
        public Builder inputBacklog(InputBacklog b) {
            backlog = b;
            return this;
        }

        public FlowSystem build() {
            return new FlowSystem(this);
        }
    }
}
