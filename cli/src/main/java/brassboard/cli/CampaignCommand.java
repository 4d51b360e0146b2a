package brassboard.cli;

import brassboard.boards.campaign.Campaign;
import brassboard.boards.campaign.CampaignEngine;
import brassboard.boards.campaign.CampaignException;
import brassboard.boards.campaign.CampaignRunner;
import brassboard.boards.campaign.LocalEngine;
import brassboard.boards.campaign.RunRecord;
import brassboard.boards.campaign.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code brassboard campaign}: run a fault-injection campaign and classify every run against the golden run. */
@Command(name = "campaign",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a fault-injection campaign (YAML; see docs/campaigns.md): a golden run without faults, then every",
            "(plan, seed) run, in parallel, each classified as masked, detected, hang, crash or sdc.",
            "Results go to DIR/results.jsonl as runs finish; a rerun skips the runs already there (Ctrl-C is safe).",
            "At the end the summary table is printed and written to DIR/summary.txt, with DIR/report.html."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the campaign ran to its end (whatever the runs' outcomes)",
            "1:internal error",
            "2:usage or input error: a bad campaign or plan, a golden run that does not end normally, DIR of another campaign,"
                + " an unknown --engine, a bad --master, a cluster that does not answer, a Spark job that fails",
            "130:interrupted (Ctrl-C); rerun the same command to resume"})
final class CampaignCommand implements Callable<Integer> {
    /** Exit status after Ctrl-C. */
    static final int EXIT_INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CAMPAIGN", description = "The campaign file (YAML).")
    Path file;

    @Option(names = "--jobs", paramLabel = "J", description = "Runs at a time, each on its own thread (default: the number of processors, ${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--engine", paramLabel = "ENGINE", description = "Where the runs execute: local (threads in this process; the default) or spark (a Spark job, see --master and docs/campaigns.md).")
    String engine = "local";

    @Option(names = "--master", paramLabel = "URL", description = "With --engine spark: the Spark master, local[N], spark://HOST:PORT or k8s://https://HOST:PORT (default: spark-submit's, else local[J]).")
    String master;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: the campaign's name followed by -results, in the current directory).")
    Path out;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        if (jobs < 1 || jobs > 1024) {
            throw new Main.UsageError("--jobs " + jobs + ": expected 1 to 1024 runs at a time");
        }
        CampaignEngine.Provider provider = engine.equals("local") ? null : provider(engine);
        if (provider == null && master != null) {
            throw new Main.UsageError("--master " + master + ": only with --engine spark");
        }
        Campaign campaign;
        try {
            campaign = Campaign.load(file);
        } catch (CampaignException e) {
            throw new Main.UsageError(Main.oneLine(e.getMessage()));
        }
        Path dir = out != null ? out : Path.of(campaign.name() + "-results");
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ProgressView view = new ProgressView(err, !quiet, System.console() != null);
        // The engine is opened (the master checked, the cluster reached) before anything is written to DIR.
        CampaignEngine runs;
        try {
            runs = provider == null ? new LocalEngine(jobs) : provider.open(master, jobs);
        } catch (CampaignException e) {
            throw new Main.UsageError(Main.oneLine(e.getMessage()));
        }
        try (runs) {
            return run(campaign, dir, runs, view, err, stdout);
        }
    }

    /** The engine named {@code --engine}, found on the class path (the launcher adds Spark's only for {@code --engine spark}). */
    private static CampaignEngine.Provider provider(String name) {
        for (CampaignEngine.Provider p : ServiceLoader.load(CampaignEngine.Provider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        if (name.equals("spark")) {
            throw new Main.UsageError("--engine spark: the Spark engine is not on the class path; run through ./brassboard, which adds"
                    + " campaign-spark's jar and Spark for --engine spark, or see docs/campaigns.md for spark-submit");
        }
        throw new Main.UsageError("--engine " + name + ": unknown engine; expected local or spark");
    }

    private int run(Campaign campaign, Path dir, CampaignEngine runs, ProgressView view, PrintWriter err, PrintWriter stdout) {
        CampaignRunner runner = new CampaignRunner(campaign, dir, runs, view);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.cancel();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "campaign-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            CampaignRunner.Result result;
            try {
                result = runner.run();
            } catch (CampaignException e) {
                throw new Main.UsageError(Main.oneLine(e.getMessage()));
            } catch (IOException e) {
                throw new Main.UsageError(dir + ": " + Main.oneLine(e.getMessage()));
            }
            view.end();
            if (result.cancelled()) {
                err.printf("brassboard: campaign interrupted: %d of %d runs have results in %s; run the same command again to resume%n",
                        result.records().size(), campaign.runs().size(), dir.resolve(CampaignRunner.RESULTS));
                err.flush();
                return EXIT_INTERRUPTED;
            }
            Summary summary = Summary.of(result);
            try {
                summary.write(dir);
            } catch (IOException e) {
                throw new Main.UsageError(dir + ": cannot write the summary: " + Main.oneLine(e.getMessage()));
            }
            stdout.print(summary.text());
            stdout.flush();
            if (!quiet) {
                err.printf(Locale.ROOT, "brassboard: %d runs now (%d already done) in %.1f s, %.2f runs/s with %s; results in %s%n",
                        result.executed(), result.resumed(), result.wallSeconds(), result.runsPerSecond(), runs.describe(), dir);
                err.flush();
            }
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already (Ctrl-C): the hook is running
            }
        }
    }

    /** A progress bar on a terminal; plain lines now and then otherwise. */
    static final class ProgressView implements CampaignRunner.Progress {
        private final PrintWriter err;
        private final boolean enabled;
        private final boolean terminal;
        private long start;
        private int startDone;
        private long lastLine;
        private int lastReported = -1;
        private boolean barShown;

        ProgressView(PrintWriter err, boolean enabled, boolean terminal) {
            this.err = err;
            this.enabled = enabled;
            this.terminal = terminal;
        }

        @Override
        public void golden(CampaignRunner.GoldenRun golden) {
            if (enabled) {
                err.printf("brassboard: golden run: %s%n", golden.end().message());
                err.flush();
            }
        }

        @Override
        public void starting(int total, int done) {
            start = System.nanoTime();
            lastLine = start;
            startDone = done;
            if (enabled) {
                err.printf("brassboard: %d runs, %d already done%n", total, done);
                err.flush();
            }
        }

        @Override
        public void finished(RunRecord record, int done, int total) {
            if (!enabled) {
                return;
            }
            long now = System.nanoTime();
            double seconds = (now - start) / 1e9;
            double rate = seconds > 0 ? (done - startDone) / seconds : 0;
            String eta = rate > 0 ? duration((total - done) / rate) : "?";
            if (terminal) {
                int width = 30;
                int filled = total == 0 ? width : (int) ((long) width * done / total);
                err.printf(Locale.ROOT, "\r[%s%s] %d/%d  %.2f runs/s  ETA %s   ", "#".repeat(filled), ".".repeat(width - filled),
                        done, total, rate, eta);
                barShown = true;
                err.flush();
            } else {
                int step = Math.max(1, total / 20);
                if (done == total || done - lastReported >= step || now - lastLine >= 10_000_000_000L) {
                    err.printf(Locale.ROOT, "brassboard: %d/%d runs done, %.2f runs/s, ETA %s%n", done, total, rate, eta);
                    err.flush();
                    lastReported = done;
                    lastLine = now;
                }
            }
        }

        void end() {
            if (barShown) {
                err.println();
                err.flush();
            }
        }

        static String duration(double seconds) {
            long s = Math.round(seconds);
            return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
        }
    }
}
