package brassboard.spark;

import brassboard.boards.campaign.CampaignEngine;
import brassboard.boards.campaign.CampaignException;
import brassboard.boards.campaign.CampaignWorker;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code --engine spark}: a Spark context on {@code --master} (or, under {@code spark-submit},
 * the master it sets), after the URL is checked and the cluster answers. Spark settings come as
 * usual from {@code spark.*} system properties ({@code BRASSBOARD_JAVA_OPTS=-Dspark.executor.memory=2g}).
 */
public final class SparkEngineProvider implements CampaignEngine.Provider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public CampaignEngine open(String master, int jobs) throws CampaignException {
        String m = master != null ? master : System.getProperty("spark.master", "local[" + jobs + "]");
        var addresses = SparkMasters.addresses(m);
        if (!addresses.isEmpty()) {
            SparkMasters.reach(m, addresses, Integer.getInteger("brassboard.spark.connect-timeout-ms", SparkMasters.CONNECT_TIMEOUT_MS));
        }
        SparkConf conf = conf(m);
        if (!SparkMasters.isLocal(m)) {
            // The executors need the campaign code: the CLI jar (or the boards jar) and this module's jar.
            List<String> jars = new ArrayList<>();
            for (Class<?> c : new Class<?>[] {CampaignWorker.class, SparkEngineProvider.class}) {
                jarOf(c).ifPresent(j -> {
                    if (!jars.contains(j)) {
                        jars.add(j);
                    }
                });
            }
            if (!jars.isEmpty() && !conf.contains("spark.jars")) {
                conf.setJars(jars.toArray(new String[0]));
            }
        }
        try {
            return new SparkEngine(new JavaSparkContext(conf), true);
        } catch (Exception e) { // SparkException is checked, though Scala declares none
            throw new CampaignException("--master " + m + ": Spark did not start: " + SparkEngine.rootMessage(e));
        }
    }

    /**
     * The configuration of a context on {@code master}: {@code spark.*} system properties; for a local
     * master no web UI and the loopback; for a cluster, executors whose JVMs export
     * {@code jdk.internal.misc} to Brassboard, added to any executor options already set.
     */
    static SparkConf conf(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setIfMissing("spark.app.name", "brassboard campaign");
        if (SparkMasters.isLocal(master)) {
            // One process: no web UI to bind, and the driver on the loopback whatever the host name resolves to.
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        } else {
            // Translated loads and stores skip Java's bounds checks where java.base exports this package
            // (RawPageAccess); an executor started without it runs them checked: the same results, slower.
            String options = conf.get(EXECUTOR_OPTIONS, "").strip();
            if (!options.contains(brassboard.arm.a32.RawPageAccess.JVM_OPTION)) {
                conf.set(EXECUTOR_OPTIONS, (options + " " + brassboard.arm.a32.RawPageAccess.JVM_OPTION).strip());
            }
        }
        return conf;
    }

    /** Spark's setting for options of the executors' JVMs. */
    static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";

    private static java.util.Optional<String> jarOf(Class<?> c) {
        try {
            var src = c.getProtectionDomain().getCodeSource();
            if (src == null) {
                return java.util.Optional.empty();
            }
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? java.util.Optional.of(p.toString()) : java.util.Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
