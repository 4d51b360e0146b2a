package brassboard.spark;

import brassboard.boards.campaign.RunSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

/**
 * One Spark task: runs a slice of the pending runs (by id) and returns their records as JSON
 * lines. Nothing is written on the worker: the driver writes the records of a partition once its
 * task succeeds, so a task that fails and is run again neither loses nor repeats a record.
 */
final class RunPartition extends AbstractFunction2<TaskContext, Iterator<String>, ArrayList<String>> implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Test hook (a Spark local property, set on the driver): the partition with this index fails
     * its first attempt after its first run, as an executor lost mid-task would.
     */
    static final String FAIL_FIRST_ATTEMPT = "brassboard.test.failFirstAttemptOfPartition";

    private final CampaignBundle bundle;
    private final Broadcast<java.util.HashMap<String, byte[]>> contents;
    private final byte[] goldenOutput;
    private final int goldenExit;

    RunPartition(CampaignBundle bundle, Broadcast<java.util.HashMap<String, byte[]>> contents, byte[] goldenOutput, int goldenExit) {
        this.bundle = bundle;
        this.contents = contents;
        this.goldenOutput = goldenOutput;
        this.goldenExit = goldenExit;
    }

    @Override
    public ArrayList<String> apply(TaskContext task, Iterator<String> ids) {
        Workers.Loaded loaded = Workers.get(bundle, contents == null ? null : () -> (Map<String, byte[]>) contents.value(), goldenOutput, goldenExit);
        String fail = task.getLocalProperty(FAIL_FIRST_ATTEMPT);
        boolean failHere = fail != null && task.attemptNumber() == 0 && fail.equals(Integer.toString(task.partitionId()));
        ArrayList<String> lines = new ArrayList<>();
        while (ids.hasNext()) {
            String id = ids.next();
            RunSpec s = loaded.runs().get(id);
            if (s == null) {
                throw new IllegalStateException(bundle.source() + ": run " + id + " is not in the campaign as this Spark worker reads it");
            }
            lines.add(loaded.worker().run(s, task::isInterrupted).toJson());
            if (failHere) {
                throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": attempt 0 of partition " + task.partitionId()
                        + " fails after its first run");
            }
        }
        return lines;
    }
}
