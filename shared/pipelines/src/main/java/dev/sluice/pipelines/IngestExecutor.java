package dev.sluice.pipelines;

import dev.sluice.data.read.BadInputException;
import dev.sluice.flows.FlowTaskContext;
import dev.sluice.flows.FlowTaskExecutor;
import dev.sluice.flows.FlowType;
import dev.sluice.flows.TaskOutcome;
import dev.sluice.ingest.IngestException;
import dev.sluice.ingest.poll.FetchException;
import dev.sluice.ingest.poll.PollOptions;
import dev.sluice.ingest.poll.PollResult;
import dev.sluice.ingest.poll.PollingIngest;
import dev.sluice.odf.OdfFormatException;
import dev.sluice.odf.chain.ChainValidationException;
import dev.sluice.query.QueryException;
import dev.sluice.storage.CommitConflictException;
import dev.sluice.storage.Dataset;
import dev.sluice.storage.DatasetRepository;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * INGEST flows: one run polls the root dataset's polling source through {@link PollingIngest} (fetch, prepare, read,
 * merge, commit — at most one AddData per poll).
 *
 * <p><b>Outcomes.</b> A poll that committed → {@code Success(rows added)}; up to date (304, same ETag/Last-Modified,
 * nothing new after the merge) or not fetched because the source gives no cache validators ({@code UNCACHEABLE}) →
 * success "up to date", no block. A {@link FetchException} is retried per the flow's retry policy when it says so
 * (connection errors, timeouts, 5xx, 408, 429) and fails for good otherwise (404, a bad URL, an unknown variable);
 * bad data, a failed prepare step, a bad preprocess query and source kinds this node does not run fail for good.
 * A lost commit race is retryable.
 *
 * <p><b>More pending</b> ({@code hasMore}: FilesGlob with files after the one just ingested): the task polls again
 * at once, renewing its lease between polls, up to {@value #DEFAULT_MAX_POLLS} polls (flow option
 * {@value #MAX_POLLS}). What is left after that waits for the flow's next run, which picks up where the source state
 * stands — nothing is skipped, because each poll commits the position it reached.
 *
 * <p>Options: {@value #FETCH_UNCACHEABLE} ({@code true}: fetch a source without ETag/Last-Modified again although the
 * dataset has data), {@value #MAX_POLLS}.
 */
public final class IngestExecutor implements FlowTaskExecutor {
    public static final String FETCH_UNCACHEABLE = "fetchUncacheable";
    public static final String MAX_POLLS = "maxPolls";
    public static final int DEFAULT_MAX_POLLS = 100;

    private final DatasetRepository repo;
    private final PollingIngest polling;
    private final Supplier<PollOptions> options;

    /**
     * @param options a fresh {@link PollOptions} per poll (variables, secrets, file roots, timeouts of this node):
     *                options are mutable, so each poll gets its own
     */
    public IngestExecutor(DatasetRepository repo, PollingIngest polling, Supplier<PollOptions> options) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.polling = Objects.requireNonNull(polling, "polling");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public FlowType type() {
        return FlowType.INGEST;
    }

    @Override
    public TaskOutcome execute(FlowTaskContext ctx) {
        Optional<Dataset> found = TaskSupport.dataset(repo, ctx);
        if (found.isEmpty()) return TaskOutcome.permanent(TaskSupport.missing(ctx));
        Dataset ds = found.get();
        int polls = 0;
        int commits = 0;
        long rows = 0;
        try {
            boolean fetchUncacheable = TaskSupport.bool(ctx, FETCH_UNCACHEABLE, false);
            long maxPolls = TaskSupport.positiveLong(ctx, MAX_POLLS, DEFAULT_MAX_POLLS);
            PollResult last;
            while (true) {
                last = polling.poll(ds, options.get().fetchUncacheable(fetchUncacheable));
                polls++;
                ctx.log(describe(last));
                if (last.status() == PollResult.Status.UPDATED) {
                    commits++;
                    rows += last.rowsAdded();
                }
                if (!last.hasMore()) break;
                if (polls >= maxPolls) {
                    ctx.log("more is pending after " + polls + " polls (" + MAX_POLLS + "); the next run continues from the source state");
                    break;
                }
                ctx.renewLease(); // between polls: a long backlog must not outlive the lease
            }
            if (commits == 0) return new TaskOutcome.Success(0, "up to date" + (last.detail() == null ? "" : ": " + last.detail()));
            return new TaskOutcome.Success(rows, rows + " new records in " + commits + " block" + (commits == 1 ? "" : "s")
                    + (polls > 1 ? " from " + polls + " polls" : ""));
        } catch (FetchException e) {
            String error = "fetching " + ds.alias() + " failed" + afterPolls(polls, commits) + ": " + TaskSupport.describe(e);
            return e.retryable() ? TaskOutcome.retryable(error) : TaskOutcome.permanent(error);
        } catch (CommitConflictException e) {
            return TaskOutcome.retryable(TaskSupport.describe(e));
        } catch (IngestException | BadInputException | IllegalArgumentException | OdfFormatException | ChainValidationException
                | QueryException | TaskSupport.InvalidOptionException e) {
            // UnsupportedSourceException and PrepareException are IngestExceptions; MergeException an IllegalArgumentException
            return TaskOutcome.permanent("polling " + ds.alias() + " failed" + afterPolls(polls, commits) + ": " + TaskSupport.describe(e));
        }
    }

    private static String afterPolls(int polls, int commits) {
        return polls == 0 ? "" : " after " + polls + " poll" + (polls == 1 ? "" : "s") + " (" + commits + " committed)";
    }

    /** One task-log line per poll: what was fetched and what came of it. */
    static String describe(PollResult r) {
        StringBuilder s = new StringBuilder();
        s.append(switch (r.status()) {
            case UPDATED -> "updated";
            case UP_TO_DATE -> "up to date";
            case UNCACHEABLE -> "not fetched (uncacheable)";
        });
        if (r.fetched() != null) s.append(": fetched ").append(r.fetched());
        if (r.status() == PollResult.Status.UPDATED) {
            s.append(", ").append(r.rowsRead()).append(" rows read, ").append(r.rowsAdded()).append(" added");
            if (r.newData() != null) s.append(" (offsets ").append(r.newData().start()).append("..").append(r.newData().end()).append(')');
            s.append(", block ").append(r.newHead().shortForm());
        }
        if (r.sourceState() != null) s.append(", source state ").append(r.sourceState().kind()).append('=').append(r.sourceState().value());
        if (r.detail() != null) s.append(" — ").append(r.detail());
        if (r.hasMore()) s.append("; more pending");
        return s.toString();
    }
}
