package brassboard.boards.campaign;

import brassboard.boards.api.RunResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Classifies a run against the golden run. The rules, first match wins:
 *
 * <ol>
 *   <li><b>crash</b>: a core stopped — the exception-loop detector halted it, or it met something
 *       the emulator does not support (run outcome UNSUPPORTED) — or the output matches the
 *       campaign's {@code crash.output} (the firmware's panic pattern), however the run ended;</li>
 *   <li><b>hang</b>: a run limit ({@code max-time}, {@code max-insns}, or every core idle with
 *       nothing left to wake it) or a lockup detector ended the run;</li>
 *   <li>otherwise the run ended normally (PSCI power-off or a semihosting exit), and it is
 *       <b>detected</b> when its exit status is in {@code detected.exit} or its output matches
 *       {@code detected.output};</li>
 *   <li><b>masked</b> when its output is byte for byte the golden run's (both without the matches of
 *       {@code ignore-output}, when given), its exit status the
 *       golden run's, and it kept all its output (below {@code max-output});</li>
 *   <li><b>sdc</b> (silent data corruption) otherwise: a normal end, a different output or exit
 *       status, and nothing reported it.</li>
 * </ol>
 *
 * The patterns are Java regular expressions searched for ({@code find}) anywhere in the output,
 * read as ISO-8859-1 so every byte is one character. The campaign checks before its runs that the
 * golden run itself matches neither pattern and exits with a status not in {@code detected.exit}.
 */
public final class Classifier {
    private final Campaign campaign;
    private final byte[] goldenOutput;
    private final int goldenExit;

    /** A verdict and why, in a few words. */
    public record Verdict(Outcome outcome, String reason) {
    }

    Classifier(Campaign campaign, byte[] goldenOutput, int goldenExit) {
        this.campaign = campaign;
        this.goldenOutput = campaign.setup().comparable(goldenOutput.clone());
        this.goldenExit = goldenExit;
    }

    Verdict classify(RunObservation o) {
        RunResult end = o.end();
        String text = new String(o.output(), StandardCharsets.ISO_8859_1);
        if (o.exceptionLoop().isPresent()) {
            return new Verdict(Outcome.CRASH, o.exceptionLoop().get());
        }
        if (end.outcome() == RunResult.Outcome.UNSUPPORTED) {
            return new Verdict(Outcome.CRASH, "a core stopped: " + end.message());
        }
        Optional<String> panic = find(campaign.crashOutput(), text);
        if (panic.isPresent()) {
            return new Verdict(Outcome.CRASH, "panic pattern in the output: " + panic.get());
        }
        if (end.outcome() == RunResult.Outcome.LOCKUP) {
            return new Verdict(Outcome.HANG, o.lockups().isEmpty() ? end.message() : "lockup detector: " + o.lockups().get(0));
        }
        if (end.outcome() == RunResult.Outcome.LIMIT || end.outcome() == RunResult.Outcome.UNTIL_MATCHED) {
            return new Verdict(Outcome.HANG, end.message());
        }
        int exit = end.exitCode();
        if (campaign.detectedExit().contains(exit)) {
            return new Verdict(Outcome.DETECTED, "exit status " + exit);
        }
        Optional<String> reported = find(campaign.detectedOutput(), text);
        if (reported.isPresent()) {
            return new Verdict(Outcome.DETECTED, "reported in the output: " + reported.get());
        }
        boolean sameOutput = !o.outputTruncated() && Arrays.equals(campaign.setup().comparable(o.output()), goldenOutput);
        if (sameOutput && exit == goldenExit) {
            return new Verdict(Outcome.MASKED, "same output and exit status as the golden run");
        }
        if (!sameOutput) {
            return new Verdict(Outcome.SDC, "output differs from the golden run" + (o.outputTruncated() ? " (longer than max-output)" : ""));
        }
        return new Verdict(Outcome.SDC, "exit status " + exit + " instead of the golden run's " + goldenExit);
    }

    /** The matched text (at most 100 characters, one line) of the first match of {@code p} in {@code text}. */
    static Optional<String> find(Optional<Pattern> p, String text) {
        if (p.isEmpty()) {
            return Optional.empty();
        }
        var m = p.get().matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        String s = m.group().replace("\r", "").replace('\n', ' ').strip();
        return Optional.of("'" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "'");
    }
}
