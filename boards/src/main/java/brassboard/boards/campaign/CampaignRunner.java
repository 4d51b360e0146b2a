package brassboard.boards.campaign;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.firmware.api.SymbolTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a campaign: checks its plans against the machine, runs the golden run, then every run not
 * already in {@code DIR/results.jsonl} on a {@link CampaignEngine} — {@code jobs} local threads,
 * each run its own {@link Machine}, or a cluster — appending one JSON line per finished run as the
 * engine hands it over (this process writes every line, whichever engine ran the run).
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
    private final CampaignEngine engine;
    private final Progress progress;
    private volatile boolean cancelled;
    private IOException writeFailure;

    /** A runner on the local engine with {@code jobs} threads. */
    public CampaignRunner(Campaign campaign, Path outDir, int jobs, Progress progress) {
        this(campaign, outDir, new LocalEngine(jobs), progress);
    }

    /** A runner whose faulted runs execute on {@code engine} (the caller closes it). */
    public CampaignRunner(Campaign campaign, Path outDir, CampaignEngine engine, Progress progress) {
        this.campaign = campaign;
        this.out = outDir;
        this.engine = engine;
        this.progress = progress == null ? new Progress() { } : progress;
    }

    /** Stops the campaign: runs under way end at once and are not recorded; no more start. */
    public void cancel() {
        cancelled = true;
        engine.cancel();
    }

    /**
     * Runs the campaign to its end (or until cancelled).
     *
     * @throws CampaignException a plan that does not fit the machine, a golden run that does not end
     *         normally or matches a detection pattern, an output directory of another campaign, an
     *         engine that cannot run the runs
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

        Path results = out.resolve(RESULTS);
        Map<String, RunRecord> done = readResults(results);
        List<RunSpec> pending = new ArrayList<>();
        Map<String, String> digests = new HashMap<>();
        int resumed = 0;
        for (RunSpec s : campaign.runs()) {
            String digest = CampaignWorker.digest(s.plan());
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
        Map<String, RunRecord> fresh = new HashMap<>();
        long start = System.nanoTime();
        if (!pending.isEmpty() && !cancelled) {
            try (BufferedWriter w = Files.newBufferedWriter(results, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                int[] count = {resumed};
                engine.execute(campaign, golden, pending, r -> {
                    synchronized (fresh) {
                        if (writeFailure != null || fresh.containsKey(r.id()) || !r.planDigest().equals(digests.get(r.id()))) {
                            return; // a record handed over twice, or not of a pending run, is not written again
                        }
                        try {
                            w.write(r.toJson());
                            w.write('\n');
                            w.flush();
                        } catch (IOException e) {
                            writeFailure = e;
                            cancel();
                            return;
                        }
                        fresh.put(r.id(), r);
                        progress.finished(r, ++count[0], total);
                    }
                });
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
            settings = "campaign " + campaign.name() + "\nimage-sha256=" + CampaignWorker.sha256(Files.readAllBytes(campaign.image())) + "\n"
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
}
