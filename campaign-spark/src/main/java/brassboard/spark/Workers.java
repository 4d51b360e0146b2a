package brassboard.spark;

import brassboard.boards.campaign.Campaign;
import brassboard.boards.campaign.CampaignException;
import brassboard.boards.campaign.CampaignWorker;
import brassboard.boards.campaign.RunSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The campaigns a worker JVM has built, one per bundle: the campaign file is re-read, its files
 * located (or written from the broadcast), and the image's symbols loaded once per JVM, not once
 * per task.
 */
final class Workers {
    /** A campaign as re-read on this worker, its runs by id, and the worker that runs them. */
    record Loaded(Campaign campaign, Map<String, RunSpec> runs, CampaignWorker worker) {
    }

    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

    private Workers() {
    }

    /**
     * The campaign of {@code bundle} on this JVM. {@code contents} gives the files' bytes when the
     * driver shipped them (null when it did not: a {@code local} master shares its disk).
     *
     * @throws IllegalStateException a file missing or different here, and not shipped: one line
     */
    static Loaded get(CampaignBundle bundle, Supplier<Map<String, byte[]>> contents, byte[] goldenOutput, int goldenExit) {
        return LOADED.computeIfAbsent(bundle.key(goldenOutput), k -> load(bundle, contents, goldenOutput, goldenExit));
    }

    private static Loaded load(CampaignBundle bundle, Supplier<Map<String, byte[]>> contents, byte[] goldenOutput, int goldenExit) {
        try {
            Map<Path, Path> located = new HashMap<>();
            Path copies = null;
            int n = 0;
            for (var e : bundle.files().entrySet()) {
                Path p = Path.of(e.getKey());
                if (Files.isRegularFile(p) && CampaignBundle.sha256(p).equals(e.getValue())) {
                    located.put(p, p);
                    continue;
                }
                byte[] bytes = contents == null ? null : contents.get().get(e.getKey());
                if (bytes == null) {
                    throw new IllegalStateException(p + ": not on this Spark worker as the driver has it (missing or another SHA-256)"
                            + "; put the campaign's files on storage every worker sees under the same paths");
                }
                if (copies == null) {
                    copies = Files.createTempDirectory("brassboard-campaign-");
                    copies.toFile().deleteOnExit();
                }
                Path copy = copies.resolve(n++ + "-" + p.getFileName());
                Path tmp = copies.resolve(copy.getFileName() + ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
                located.put(p, copy);
            }
            Campaign c = Campaign.parse(bundle.yaml(), bundle.source(), Path.of(bundle.baseDir()), p -> located.getOrDefault(p, p));
            Map<String, RunSpec> runs = new HashMap<>();
            c.runs().forEach(s -> runs.put(s.id(), s));
            return new Loaded(c, runs, new CampaignWorker(c, goldenOutput, goldenExit));
        } catch (CampaignException | IOException e) {
            throw new IllegalStateException(bundle.source() + ": cannot set the campaign up on this Spark worker: " + e.getMessage(), e);
        }
    }
}
