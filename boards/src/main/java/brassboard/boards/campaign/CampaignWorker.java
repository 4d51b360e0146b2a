package brassboard.boards.campaign;

import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.trace.Observation;
import brassboard.boards.yaml.YamlTree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Turns runs of one campaign into records: builds each run's machine, runs it, classifies it
 * against the golden run. What every engine calls for each run, wherever it runs — a local thread
 * or a cluster task — so that the records are the same whichever engine made them. Thread-safe
 * (each run builds its own machine).
 */
public final class CampaignWorker {
    private final Campaign campaign;
    private final RunExecutor executor;
    private final Classifier classifier;
    private final byte[] goldenComparable;

    /**
     * @param campaign     the campaign (on a cluster worker, as re-read there)
     * @param goldenOutput the golden run's console output
     * @param goldenExit   the golden run's exit status
     */
    public CampaignWorker(Campaign campaign, byte[] goldenOutput, int goldenExit) {
        this.campaign = campaign;
        this.executor = new RunExecutor(campaign, Observation.imageSymbols(campaign.image()));
        this.classifier = new Classifier(campaign, goldenOutput, goldenExit);
        this.goldenComparable = campaign.setup().comparable(goldenOutput);
    }

    /**
     * Runs {@code s} to its record. {@code cancelled} is polled as the run goes; once it is true
     * the run is cut short and its record means nothing (the engine drops it). A run that fails
     * inside the emulator is an {@link Outcome#ERROR} record, not an exception.
     */
    public RunRecord run(RunSpec s, BooleanSupplier cancelled) {
        String digest = digest(s.plan());
        try {
            RunObservation o = executor.run(s.plan(), s.seed(), cancelled);
            Classifier.Verdict v = classifier.classify(o);
            RunResult end = o.end();
            return new RunRecord(s.id(), s.planId(), s.seed(), s.group(), s.pointAction(), digest, v.outcome(), v.reason(),
                    end.outcome().name().toLowerCase(Locale.ROOT), end.exitCode(), end.virtualTimeNs(), end.instructions(),
                    o.faultsInjected(), o.firstFaults(), o.output().length,
                    Divergence.between(goldenComparable, campaign.setup().comparable(o.output())));
        } catch (CampaignException | RuntimeException e) {
            return new RunRecord(s.id(), s.planId(), s.seed(), s.group(), s.pointAction(), digest, Outcome.ERROR,
                    "internal error: " + YamlTree.firstLine(String.valueOf(e)), "error", 1, 0, 0, 0, List.of(), 0, Optional.empty());
        }
    }

    /** A digest of a plan's rules: a record in a results file counts for a run only while its plan has this digest. */
    public static String digest(FaultPlan plan) {
        return sha256(plan.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
