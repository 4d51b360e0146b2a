package brassboard.spark;

import brassboard.boards.campaign.Campaign;
import brassboard.boards.campaign.CampaignEngine;
import brassboard.boards.campaign.CampaignException;
import brassboard.boards.campaign.CampaignRunner;
import brassboard.boards.campaign.RunRecord;
import brassboard.boards.campaign.RunSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs a campaign's pending runs as one Spark job: the run ids in partitions of a few runs each
 * ({@link #PARTITIONS_PER_CORE} per core, so a slow partition does not hold the end back), each
 * partition a {@link RunPartition} task. The driver hands a partition's records to the runner when
 * its task succeeds — Spark reports each partition of a job once, however many attempts it took —
 * so the results file gets every record exactly once.
 */
public final class SparkEngine implements CampaignEngine {
    /** Partitions per core of the cluster. */
    static final int PARTITIONS_PER_CORE = 4;

    private final JavaSparkContext sc;
    private final boolean owned;
    private final String master;
    private final String group = "brassboard-campaign-" + Integer.toHexString(System.identityHashCode(this));
    private volatile boolean cancelled;

    /** An engine on a context the caller owns (tests share one). */
    public SparkEngine(JavaSparkContext sc) {
        this(sc, false);
    }

    SparkEngine(JavaSparkContext sc, boolean owned) {
        this.sc = sc;
        this.owned = owned;
        this.master = sc.master();
    }

    @Override
    public void execute(Campaign campaign, CampaignRunner.GoldenRun golden, List<RunSpec> pending, Consumer<RunRecord> sink)
            throws CampaignException {
        if (pending.isEmpty() || cancelled) {
            return;
        }
        CampaignBundle bundle = CampaignBundle.of(campaign);
        // A local master shares the driver's disk: the files are found by path and digest, not shipped.
        Broadcast<HashMap<String, byte[]>> contents = sc.isLocal() ? null : sc.broadcast(bundle.contents());
        List<String> ids = new ArrayList<>(pending.size());
        pending.forEach(s -> ids.add(s.id()));
        int slices = Math.min(ids.size(), Math.max(1, sc.defaultParallelism() * PARTITIONS_PER_CORE));
        JavaRDD<String> rdd = sc.parallelize(ids, slices);
        RunPartition task = new RunPartition(bundle, contents, golden.output(), golden.end().exitCode());
        ClassTag<ArrayList<String>> tag = ClassTag$.MODULE$.apply(ArrayList.class);
        sc.setJobGroup(group, "brassboard campaign " + campaign.name(), true);
        String hook = System.getProperty(RunPartition.FAIL_FIRST_ATTEMPT);
        if (hook != null) {
            sc.setLocalProperty(RunPartition.FAIL_FIRST_ATTEMPT, hook);
        }
        try {
            sc.sc().runJob(rdd.rdd(), task, new Handover(sink), tag);
        } catch (Exception e) { // SparkException is checked, though Scala declares none
            if (!cancelled) {
                throw new CampaignException("Spark " + master + ": the campaign's job failed: " + rootMessage(e));
            }
        } finally {
            sc.clearJobGroup();
            if (contents != null) {
                contents.destroy();
            }
        }
    }

    /** The driver's side of a finished task: its records, to the runner. */
    private static final class Handover extends AbstractFunction2<Object, ArrayList<String>, BoxedUnit> {
        private final Consumer<RunRecord> sink;

        Handover(Consumer<RunRecord> sink) {
            this.sink = sink;
        }

        @Override
        public BoxedUnit apply(Object partition, ArrayList<String> lines) {
            lines.forEach(l -> sink.accept(RunRecord.fromJson(l)));
            return BoxedUnit.UNIT;
        }
    }

    /** The first line of the innermost cause's message: what went wrong on the worker, not Spark's wrapping. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage() == null ? t : t.getMessage());
        // A task's failure reaches the driver as text: "Job aborted due to stage failure: ... : java.lang.X: message\n\tat ..."
        int at = m.indexOf("\n");
        String first = at < 0 ? m : m.substring(0, at);
        int ex = first.lastIndexOf("Exception: ");
        return ex < 0 ? first.strip() : first.substring(ex + "Exception: ".length()).strip();
    }

    @Override
    public void cancel() {
        cancelled = true;
        sc.cancelJobGroup(group);
    }

    @Override
    public String describe() {
        return "Spark " + master + " (" + sc.defaultParallelism() + " cores)";
    }

    @Override
    public void close() {
        if (owned) {
            sc.stop();
        }
    }
}
