package brassboard.boards.campaign;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.boards.yaml.YamlTree;
import brassboard.firmware.api.SymbolTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a campaign: checks its plans against the machine, runs the golden run, then every run not
 * already in {@code DIR/results.jsonl}, on {@code jobs} threads — each run its own
 * {@link Machine} on its own thread — appending one JSON line per finished run.
 *
 * <p>Files in the output directory:
 * <ul>
 *   <li>{@code campaign.txt}: what the results depend on (image digest, board, limits, detectors,
 *       patterns); a directory holding another campaign's results is refused;</li>
 *   <li>{@code golden.txt}: the golden run's console output;</li>
 *   <li>{@code results.jsonl}: one {@link RunRecord} per line, appended as runs finish (so in
 *       completion order); a rerun skips the runs already there with an unchanged plan.</li>
 * </ul>
 *
 * <p>{@link #cancel()} (from a Ctrl-C hook, say) stops the runs under way — their results are
 * dropped — and starts no more; every line in the file is then a whole run, and a rerun resumes.
 */
public final class CampaignRunner {
    /** File names in the output directory. */
    public static final String RESULTS = "results.jsonl";
    public static final String GOLDEN = "golden.txt";
    public static final String SETTINGS = "campaign.txt";

    /** What the runner tells its user as it goes; called from worker threads, one call at a time. */
    public interface Progress {
        /** The golden run ended (before any faulted run). */
        default void golden(GoldenRun golden) {
        }

        /** The runs are about to start: {@code total} in the campaign, {@code done} already in the results. */
        default void starting(int total, int done) {
        }

        /** A run finished; {@code done} of {@code total} now have results. */
        default void finished(RunRecord record, int done, int total) {
        }
    }

    /** The golden run: its output and how it ended. */
    public record GoldenRun(RunResult end, byte[] output) {
    }

    /**
     * A finished (or cancelled) campaign.
     *
     * @param campaign    the campaign
     * @param golden      its golden run
     * @param records     the results of its runs, in campaign order (all of them unless cancelled)
     * @param resumed     how many were already in the results file
     * @param executed    how many ran now
     * @param cancelled   whether {@link #cancel()} cut it short
     * @param wallSeconds host time the faulted runs took
     */
    public record Result(Campaign campaign, GoldenRun golden, List<RunRecord> records, int resumed, int executed,
                         boolean cancelled, double wallSeconds) {
        /** Runs per second of host time, over the runs executed now. */
        public double runsPerSecond() {
            return wallSeconds <= 0 ? 0 : executed / wallSeconds;
        }
    }

    private final Campaign campaign;
    private final Path out;
    private final int jobs;
    private final Progress progress;
    private volatile boolean cancelled;
    private final Object fileLock = new Object();
    private IOException writeFailure;

    public CampaignRunner(Campaign campaign, Path outDir, int jobs, Progress progress) {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be 1 or more, not " + jobs);
        }
        this.campaign = campaign;
        this.out = outDir;
        this.jobs = jobs;
        this.progress = progress == null ? new Progress() { } : progress;
    }

    /** Stops the campaign: runs under way end at once and are not recorded; no more start. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Runs the campaign to its end (or until cancelled).
     *
     * @throws CampaignException a plan that does not fit the machine, a golden run that does not end
     *         normally or matches a detection pattern, an output directory of another campaign
     * @throws IOException the output directory cannot be written
     */
    public Result run() throws CampaignException, IOException {
        Files.createDirectories(out);
        checkSettings();
        SymbolTable symbols = brassboard.boards.trace.Observation.imageSymbols(campaign.image());
        RunExecutor executor = new RunExecutor(campaign, symbols);
        checkPlans(executor);
        GoldenRun golden = golden(executor);
        progress.golden(golden);
        Classifier classifier = new Classifier(campaign, golden.output(), golden.end().exitCode());

        Path results = out.resolve(RESULTS);
        Map<String, RunRecord> done = readResults(results);
        List<RunSpec> pending = new ArrayList<>();
        Map<String, String> digests = new HashMap<>();
        int resumed = 0;
        for (RunSpec s : campaign.runs()) {
            String digest = digest(s.plan());
            digests.put(s.id(), digest);
            RunRecord r = done.get(s.id());
            if (r != null && r.planDigest().equals(digest)) {
                resumed++;
            } else {
                pending.add(s);
            }
        }
        int total = campaign.runs().size();
        progress.starting(total, resumed);
        AtomicInteger count = new AtomicInteger(resumed);
        Map<String, RunRecord> fresh = new HashMap<>();
        long start = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(results, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
                Thread t = new Thread(r, "campaign-run");
                t.setDaemon(true);
                return t;
            });
            try {
                for (RunSpec s : pending) {
                    pool.execute(() -> {
                        if (cancelled) {
                            return;
                        }
                        RunRecord r = runOne(executor, classifier, golden, s, digests.get(s.id()));
                        if (cancelled) {
                            return; // cut short: not a result
                        }
                        synchronized (fileLock) {
                            try {
                                w.write(r.toJson());
                                w.write('\n');
                                w.flush();
                            } catch (IOException e) {
                                writeFailure = e;
                                cancelled = true;
                                return;
                            }
                            fresh.put(r.id(), r);
                            progress.finished(r, count.incrementAndGet(), total);
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
        if (writeFailure != null) {
            throw new IOException(results + ": cannot append a result: " + writeFailure.getMessage(), writeFailure);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<RunRecord> records = new ArrayList<>();
        for (RunSpec s : campaign.runs()) {
            RunRecord r = fresh.containsKey(s.id()) ? fresh.get(s.id()) : done.get(s.id());
            if (r != null && r.planDigest().equals(digests.get(s.id()))) {
                records.add(r);
            }
        }
        return new Result(campaign, golden, records, resumed, fresh.size(), cancelled, wall);
    }

    private RunRecord runOne(RunExecutor executor, Classifier classifier, GoldenRun golden, RunSpec s, String digest) {
        try {
            RunObservation o = executor.run(s.plan(), s.seed(), () -> cancelled);
            Classifier.Verdict v = classifier.classify(o);
            RunResult end = o.end();
            return new RunRecord(s.id(), s.planId(), s.seed(), s.group(), s.pointAction(), digest, v.outcome(), v.reason(),
                    end.outcome().name().toLowerCase(java.util.Locale.ROOT), end.exitCode(), end.virtualTimeNs(), end.instructions(),
                    o.faultsInjected(), o.firstFaults(), o.output().length, Divergence.between(campaign.setup().comparable(golden.output()), campaign.setup().comparable(o.output())));
        } catch (CampaignException | RuntimeException e) {
            return new RunRecord(s.id(), s.planId(), s.seed(), s.group(), s.pointAction(), digest, Outcome.ERROR,
                    "internal error: " + YamlTree.firstLine(String.valueOf(e)), "error", 1, 0, 0, 0, List.of(), 0, Optional.empty());
        }
    }

    /** Every plan must fit the machine: checked on one machine before anything runs. */
    private void checkPlans(RunExecutor executor) throws CampaignException {
        Machine machine = executor.machine(campaign.goldenSeed());
        Set<FaultPlan> checked = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (RunSpec s : campaign.runs()) {
            if (!checked.add(s.plan())) {
                continue;
            }
            try {
                FaultSession session = s.plan().applyTo(machine);
                session.detach();
            } catch (FaultPlanException e) {
                throw new CampaignException(campaign.source() + ": plan '" + s.planId() + "': " + e.getMessage());
            }
        }
    }

    private GoldenRun golden(RunExecutor executor) throws CampaignException, IOException {
        RunObservation o = executor.run(null, campaign.goldenSeed(), () -> cancelled);
        RunResult end = o.end();
        String where = campaign.source() + ": the golden run (no faults) ";
        if (cancelled) {
            throw new CampaignException(where + "was cancelled");
        }
        if (o.exceptionLoop().isPresent()) {
            throw new CampaignException(where + "crashed: " + o.exceptionLoop().get());
        }
        if (end.outcome() != RunResult.Outcome.POWER_OFF && end.outcome() != RunResult.Outcome.FIRMWARE_EXIT) {
            throw new CampaignException(where + "did not end normally (" + end.message() + ")"
                    + (o.lockups().isEmpty() ? "" : ": " + o.lockups().get(0))
                    + "; a campaign needs a golden run that powers off or exits: check cpus, limits and watchdog");
        }
        if (o.outputTruncated()) {
            throw new CampaignException(where + "printed more than limits.max-output (" + campaign.maxOutput() + " bytes); raise it");
        }
        String text = new String(o.output(), StandardCharsets.ISO_8859_1);
        Optional<String> m = Classifier.find(campaign.detectedOutput(), text);
        if (m.isPresent()) {
            throw new CampaignException(where + "matches detected.output (" + m.get() + "), so every run would count as detected; narrow the pattern");
        }
        m = Classifier.find(campaign.crashOutput(), text);
        if (m.isPresent()) {
            throw new CampaignException(where + "matches crash.output (" + m.get() + "), so every run would count as a crash; narrow the pattern");
        }
        if (campaign.detectedExit().contains(end.exitCode())) {
            throw new CampaignException(where + "exits with status " + end.exitCode()
                    + ", which detected.exit lists, so every run would count as detected");
        }
        Files.write(out.resolve(GOLDEN), o.output());
        return new GoldenRun(end, o.output());
    }

    /** Refuses a directory holding results of a campaign with another image or settings. */
    private void checkSettings() throws CampaignException, IOException {
        String settings;
        try {
            settings = "campaign " + campaign.name() + "\nimage-sha256=" + sha256(Files.readAllBytes(campaign.image())) + "\n"
                    + campaign.settingsText() + "\n";
        } catch (IOException e) {
            throw new CampaignException(campaign.image() + ": cannot read the image: " + e.getMessage());
        }
        Path file = out.resolve(SETTINGS);
        if (Files.exists(file)) {
            String old = Files.readString(file, StandardCharsets.UTF_8);
            if (!old.equals(settings)) {
                throw new CampaignException(out + ": holds results of another campaign, or of this one with another image or settings ("
                        + firstDifference(old, settings) + "); use another --out, or remove the directory to start again");
            }
        } else {
            Files.writeString(file, settings, StandardCharsets.UTF_8);
        }
    }

    private static String firstDifference(String a, String b) {
        String[] x = a.split("\n");
        String[] y = b.split("\n");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "";
            String q = i < y.length ? y[i] : "";
            if (!p.equals(q)) {
                return "was '" + p + "', now '" + q + "'";
            }
        }
        return "same";
    }

    /**
     * The records in a results file, by id (a later line wins). A last line cut short (the process
     * was killed while writing it) is removed from the file.
     */
    static Map<String, RunRecord> readResults(Path file) throws IOException {
        Map<String, RunRecord> records = new HashMap<>();
        if (!Files.exists(file)) {
            return records;
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(end);
            }
        }
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                RunRecord r = RunRecord.fromJson(line);
                records.put(r.id(), r);
            } catch (IllegalArgumentException e) {
                // not one of ours (a damaged line): the run is simply done again
            }
        }
        return records;
    }

    static String digest(FaultPlan plan) {
        return sha256(plan.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
