package brassboard.boards.campaign;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The local engine: {@code jobs} threads in this process, each run its own machine on its own thread. */
public final class LocalEngine implements CampaignEngine {
    private final int jobs;
    private volatile boolean cancelled;

    public LocalEngine(int jobs) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be 1 or more, not " + jobs);
        }
        this.jobs = jobs;
    }

    @Override
    public void execute(Campaign campaign, CampaignRunner.GoldenRun golden, List<RunSpec> pending, Consumer<RunRecord> sink) {
        CampaignWorker worker = new CampaignWorker(campaign, golden.output(), golden.end().exitCode());
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "campaign-run");
            t.setDaemon(true);
            return t;
        });
        Object lock = new Object();
        try {
            for (RunSpec s : pending) {
                pool.execute(() -> {
                    if (cancelled) {
                        return;
                    }
                    RunRecord r = worker.run(s, () -> cancelled);
                    synchronized (lock) {
                        if (!cancelled) { // else cut short: not a result
                            sink.accept(r);
                        }
                    }
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    // runs under way finish (or notice the cancellation) by themselves
                }
            } catch (InterruptedException e) {
                cancelled = true;
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public String describe() {
        return jobs + " job" + (jobs == 1 ? "" : "s");
    }
}
