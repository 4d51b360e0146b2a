package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.gic.Gic;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.Masters;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.DmaPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test endpoint on the virt board: its DMA rewriting code the CPU runs, its INTx and MSI reaching the CPU through the GIC. */
class VirtPcieTest {
    @TempDir
    Path dir;

    /**
     * The CPU calls a subroutine that sets r0 until r0 = 2; at 1 ms the endpoint DMAs a new
     * instruction over the subroutine ({@code mov r0, #1} becomes {@code mov r0, #2}). The loop is
     * hot by then (interpreted and translated), so it ends only if the DMA write dropped the
     * decoded copies as a CPU store would.
     */
    @Test
    void dmaOverwritingCodeIsSeenByTheCpu() throws Exception {
        int[] program = {
            0xE3A0_0000, // 0: mov r0, #0
            0xEB00_0002, // 1: loop: bl sub
            0xE350_0002, // 2: cmp r0, #2
            0x1AFF_FFFC, // 3: bne loop
            0xEA00_0001, // 4: b exit
            0xE3A0_0001, // 5: sub: mov r0, #1
            0xE12F_FF1E, // 6: bx lr
            0xE1A0_7000, // 7: exit: mov r7, r0
            PcieRig.SYSTEM_OFF[0], PcieRig.SYSTEM_OFF[1], PcieRig.SYSTEM_OFF[2],
        };
        PcieRig rig = new PcieRig(dir, program);
        rig.enable();
        rig.machine.bus().write(PcieRig.RAM + 0x10_0000, 4, 0xE3A0_0002L, Masters.DEBUG); // mov r0, #2
        List<TraceEvent> dma = new ArrayList<>();
        rig.machine.tracer().addSink(e -> {
            if (e.kind().equals("pcie.dma")) {
                dma.add(e);
            }
        });
        rig.machine.scheduler().scheduleAt(1_000_000, "dma", () -> rig.copy(PcieRig.RAM + 0x10_0000, PcieRig.RAM + 5 * 4, 4));
        RunResult r = rig.machine.run(RunLimits.none().withMaxTimeNs(50_000_000));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(rig.lastResult).isEqualTo(DmaPort.Result.OK);
        assertThat(rig.machine.cpu().reg(7)).isEqualTo(2);
        assertThat(r.virtualTimeNs()).isGreaterThanOrEqualTo(1_000_000);
        assertThat(r.instructions()).isGreaterThan(100_000);
        assertThat(dma).extracting(TraceEvent::source).containsOnly("test");
        assertThat(dma).extracting(TraceEvent::detail).containsExactly(
                "dma0 read 4 bytes at 0x40100000: ok", "dma0 write 4 bytes at 0x40000014: ok");
    }

    /**
     * Guest code: the GIC distributor and CPU interface enabled, INTID {@code intid} enabled (edge-
     * triggered when {@code edge}), then GICC_IAR polled until it is not spurious; r5 = what it read.
     */
    static int[] pollIar(int intid, boolean edge) {
        List<Integer> p = new ArrayList<>(List.of(
                PcieRig.movw(1, 0), PcieRig.movt(1, 0x0800), // r1 = GICD
                PcieRig.movw(2, 0), PcieRig.movt(2, 0x0801), // r2 = GICC
                PcieRig.movw(3, 1),
                PcieRig.str(3, 1, Gic.GICD_CTLR),
                PcieRig.str(3, 2, Gic.GICC_CTLR),
                PcieRig.movw(3, 0xFF),
                PcieRig.str(3, 2, Gic.GICC_PMR)));
        if (edge) {
            p.add(PcieRig.movw(3, 2 << (intid % 16 * 2)));
            p.add(PcieRig.str(3, 1, Gic.GICD_ICFGR + intid / 16 * 4));
        }
        p.add(PcieRig.movw(3, 0));
        p.add(PcieRig.movt(3, 0));
        int bit = intid % 32;
        p.add(bit < 16 ? PcieRig.movw(3, 1 << bit) : PcieRig.movt(3, 1 << (bit - 16)));
        p.add(PcieRig.str(3, 1, Gic.GICD_ISENABLER + intid / 32 * 4));
        p.add(PcieRig.movw(6, Gic.INTID_SPURIOUS));
        int loop = p.size();
        p.add(PcieRig.ldr(4, 2, Gic.GICC_IAR));
        p.add(PcieRig.cmp(4, 6));
        p.add(PcieRig.branch(PcieRig.EQ, p.size(), loop));
        p.add(0xE1A0_5004); // mov r5, r4
        for (int w : PcieRig.SYSTEM_OFF) {
            p.add(w);
        }
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    /** MSI programmed as Linux's gicv2m driver does (doorbell = frame + MSI_SETSPI_NS, data = INTID); the CPU acknowledges INTID 80. */
    @Test
    void msiThroughTheGicv2mFrameReachesTheCpu() throws Exception {
        int intid = Gic.SPI_BASE + VirtMap.GIC_V2M.spi();
        PcieRig rig = new PcieRig(dir, pollIar(intid, true));
        rig.enable();
        int msi = rig.endpoint.config().findCapability(ConfigSpace.CAP_ID_MSI);
        rig.configWrite(msi + ConfigSpace.MSI_ADDRESS_LO, 4, VirtMap.GIC_V2M.base() + 0x40);
        rig.configWrite(msi + 8, 2, intid);
        rig.configWrite(msi + ConfigSpace.MSI_CONTROL, 2, ConfigSpace.MSI_CONTROL_ENABLE);
        rig.machine.scheduler().scheduleAt(200_000, "go", () -> rig.copy(PcieRig.RAM, PcieRig.RAM + 0x1000, 16));
        RunResult r = rig.machine.run(RunLimits.none().withMaxTimeNs(10_000_000));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(rig.machine.cpu().reg(5)).isEqualTo(intid);
        assertThat(r.virtualTimeNs()).isGreaterThanOrEqualTo(200_000);
    }

    /** INTA of device 1 swizzles to host line 1: SPI 4, INTID 36, level-sensitive. */
    @Test
    void intxReachesTheCpuOnTheSwizzledSpi() throws Exception {
        int intid = Gic.SPI_BASE + VirtMap.PCIE_MMIO.spi() + (PcieRig.DEVICE + 0) % 4;
        assertThat(intid).isEqualTo(36);
        PcieRig rig = new PcieRig(dir, pollIar(intid, false));
        rig.enable();
        rig.machine.scheduler().scheduleAt(200_000, "go", () -> rig.copy(PcieRig.RAM, PcieRig.RAM + 0x1000, 16));
        RunResult r = rig.machine.run(RunLimits.none().withMaxTimeNs(10_000_000));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(rig.machine.cpu().reg(5)).isEqualTo(intid);
        assertThat(rig.configRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_INTX).isNotZero();
    }

    @Test
    void endpointEnumeratesInTheEcamWindow() throws Exception {
        PcieRig rig = new PcieRig(dir, PcieRig.SYSTEM_OFF);
        assertThat(rig.configRead(0x00, 4)).isEqualTo(0xBEEF_1B36L);
        assertThat(rig.configRead(ConfigSpace.STATUS, 2)).isEqualTo((long) ConfigSpace.STATUS_CAP_LIST);
        assertThat(rig.configRead(ConfigSpace.INTERRUPT_PIN, 1)).isEqualTo(1L);
        rig.configWrite(0x10, 4, 0xFFFF_FFFFL);
        assertThat(rig.configRead(0x10, 4)).isEqualTo(0xFFFF_F000L);
        // BAR0 decodes in the 32-bit window once assigned and enabled
        rig.enable();
        rig.machine.bus().write(PcieRig.BAR0 + PcieRig.SRC, 4, 0x1234, Masters.cpu(0));
        assertThat(rig.machine.bus().read(PcieRig.BAR0 + PcieRig.SRC, 4, Masters.cpu(0))).isEqualTo(0x1234L);
        assertThat(IntStream.range(0, 4).filter(i -> rig.machine.pcieHost().orElseThrow().intx(i).level()).count()).isZero();
    }
}
