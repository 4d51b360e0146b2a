package brassboard.bench;

import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSink;
import brassboard.devices.api.CharSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a campaign run pays before its first instruction: building a {@code virt} machine (image load,
 * board, CPUs, GIC, devices) with the irq-demo image on two cores, as {@code docs/examples/gicd-enable-bits.yaml}
 * builds one per run. The machine is built, not run.
 *
 * <p>Run from the repository's root: {@code java -jar bench/target/benchmarks.jar MachineBuild}
 * (another image: {@code -p image=firmware/images/hello.elf}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MachineBuildBenchmark {
    /** The image, relative to the working directory (the repository's root, or a module's directory in tests). */
    @Param({"firmware/images/irq-demo.elf"})
    public String image;

    /** Cores, as the campaign's {@code cpus:}. */
    @Param({"2"})
    public int cpus;

    private MachineConfig config;

    @Setup
    public void resolveImage() {
        Path p = Path.of(image);
        if (!Files.isRegularFile(p) && Files.isRegularFile(Path.of("..").resolve(image))) {
            p = Path.of("..").resolve(image);
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no image at " + p.toAbsolutePath() + " (run from the repository's root, or pass -p image=<path>)");
        }
        config = MachineConfig.of(p).withCpus(cpus);
    }

    /** One machine, built and loaded, as a campaign run builds it. */
    @Benchmark
    public Machine build() throws Exception {
        return Machine.create(config, new Console(CharBackend.of(CharSink.discard(), CharSource.none())));
    }
}
