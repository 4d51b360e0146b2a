package brassboard.bench;

import brassboard.arm.gic.Gic;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.PcieEndpoint;
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
 * Device-side paths of an interrupt and of PCIe DMA, without a CPU: one GICv2 interrupt's life (the
 * SPI rises, the CPU interface acknowledges it, the line falls, EOI) on a two-CPU GIC with QEMU virt's
 * 256 SPIs or the 96 the board had before; and an endpoint's DMA of a 4 KiB page, and of one word.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar InterruptPath}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterruptPathBenchmark {
    @Param({"96", "256"})
    public int spis;

    private MmioDevice cpuInterface;
    private IrqSink spi;
    private PcieEndpoint endpoint;
    private final byte[] page = new byte[4096];
    private long word;

    @Setup
    public void setUp() {
        Scheduler s = new Scheduler();
        Gic gic = new Gic("gic", 2, spis, s, Tracer.none());
        MmioDevice d = gic.distributor(0);
        cpuInterface = gic.cpuInterface(0);
        d.write(Gic.GICD_CTLR, 4, 3);
        cpuInterface.write(Gic.GICC_CTLR, 4, 3);
        cpuInterface.write(Gic.GICC_PMR, 4, 0xFF);
        d.write(Gic.GICD_ISENABLER + 4, 4, 0xFFFF_FFFFL);
        spi = gic.spi(5);

        FaultPoints faults = new FaultPoints();
        AddressSpace bus = new AddressSpace(Tracer.none(), faults);
        bus.map(0x4000_0000L, new Ram("ram", 1 << 20));
        ConfigSpace cs = new ConfigSpace(4096, 0x1234, 0x5678, 0, 0);
        endpoint = new PcieEndpoint("bench", cs, bus, Masters.DMA_BASE, Tracer.none(), faults);
        cs.configWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MASTER);
    }

    /** Raise SPI 5, GICC_IAR, lower, GICC_EOIR: returns the INTID acknowledged (37). */
    @Benchmark
    public long gicInterruptCycle() {
        spi.levelChanged(null, true);
        long intid = cpuInterface.read(Gic.GICC_IAR, 4);
        spi.levelChanged(null, false);
        cpuInterface.write(Gic.GICC_EOIR, 4, intid);
        return intid;
    }

    /** A 4 KiB DMA read then write through the system bus. */
    @Benchmark
    public byte[] dmaPage() {
        endpoint.dma().read(0x4000_0000L, page, 0, page.length);
        endpoint.dma().write(0x4001_0000L, page, 0, page.length);
        return page;
    }

    /** One 32-bit DMA read (a descriptor word). */
    @Benchmark
    public long dmaWord() {
        word += 4;
        return endpoint.dma().readWord(0x4000_0000L + (word & 0xFFFC), 4);
    }
}
