package brassboard.boards.campaign;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a campaign's faulted runs execute: local threads ({@link LocalEngine}) or a cluster (the
 * {@code campaign-spark} module's Spark engine, found through {@link Provider}). The
 * {@link CampaignRunner} does everything else the same way for every engine — the settings check,
 * the plan check, the golden run, the resume list, the results file — so an engine only turns
 * runs into records with {@link CampaignWorker}.
 */
public interface CampaignEngine extends AutoCloseable {
    /**
     * Runs {@code pending} (runs of {@code campaign}) and hands each record to {@code sink} once,
     * on whatever thread, one call at a time; returns when all are handed over or the engine was
     * cancelled (the runs cut short are then not handed over).
     *
     * @throws CampaignException the engine cannot run them (a cluster lost, a task failing every attempt)
     */
    void execute(Campaign campaign, CampaignRunner.GoldenRun golden, List<RunSpec> pending, Consumer<RunRecord> sink)
            throws CampaignException;

    /** Stops {@link #execute}: runs under way end at once and are not handed over; no more start. Any thread. */
    void cancel();

    /** What the engine is, for the user: {@code 2 jobs}, {@code Spark local[2]}. */
    String describe();

    /** Releases what the engine holds (a cluster connection); the default holds nothing. */
    @Override
    default void close() {
    }

    /**
     * Opens an engine by name ({@code brassboard campaign --engine NAME}); found with
     * {@link java.util.ServiceLoader} on the class path, so an engine's dependencies stay out of
     * the CLI unless it is asked for.
     */
    interface Provider {
        /** The engine's name: {@code spark}. */
        String name();

        /**
         * Opens the engine: checks {@code master} and that the cluster answers, before anything
         * is written.
         *
         * @param master where to run ({@code local[2]}, {@code spark://host:7077}, ...), or null for the engine's default
         * @param jobs   runs at a time the user asked for (the default parallelism of a local master)
         * @throws CampaignException a bad master, a cluster that does not answer: one line
         */
        CampaignEngine open(String master, int jobs) throws CampaignException;
    }
}
