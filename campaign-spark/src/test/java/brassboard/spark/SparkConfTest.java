package brassboard.spark;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.a32.RawPageAccess;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The context's configuration: a cluster's executors get the export that unchecked page accesses need. */
class SparkConfTest {
    @AfterEach
    void clear() {
        System.clearProperty(SparkEngineProvider.EXECUTOR_OPTIONS);
    }

    @Test
    void aClustersExecutorsExportJdkInternalMisc() {
        SparkConf conf = SparkEngineProvider.conf("spark://cluster.example:7077");
        assertThat(conf.get(SparkEngineProvider.EXECUTOR_OPTIONS)).isEqualTo(RawPageAccess.JVM_OPTION);
    }

    @Test
    void executorOptionsAlreadySetAreKept() {
        System.setProperty(SparkEngineProvider.EXECUTOR_OPTIONS, "-Xss4m -Dx=y");
        SparkConf conf = SparkEngineProvider.conf("spark://cluster.example:7077");
        assertThat(conf.get(SparkEngineProvider.EXECUTOR_OPTIONS)).isEqualTo("-Xss4m -Dx=y " + RawPageAccess.JVM_OPTION);

        System.setProperty(SparkEngineProvider.EXECUTOR_OPTIONS, RawPageAccess.JVM_OPTION + " -Xss4m");
        assertThat(SparkEngineProvider.conf("spark://cluster.example:7077").get(SparkEngineProvider.EXECUTOR_OPTIONS))
                .isEqualTo(RawPageAccess.JVM_OPTION + " -Xss4m");
    }

    @Test
    void aLocalMasterIsOneProcessAndSetsNoExecutorOptions() {
        SparkConf conf = SparkEngineProvider.conf("local[2]");
        assertThat(conf.contains(SparkEngineProvider.EXECUTOR_OPTIONS)).isFalse();
        assertThat(conf.get("spark.ui.enabled")).isEqualTo("false");
    }
}
