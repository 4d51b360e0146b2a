package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.RunLimits;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.bus.api.Masters;
import brassboard.bus.api.TextTraceSink;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.DmaPort;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault plans at a PCIe endpoint's points (pcie.test.config, .dma, .link) and at bus points for its DMA master. */
class PcieFaultPlanTest {
    @TempDir
    Path dir;

    /** b . : the CPU idles while probes act at chosen times. */
    private static final int SPIN = 0xEAFF_FFFE;
    private static final long HOST_STATUS = VirtMap.PCIE_ECAM.base() + ConfigSpace.STATUS;

    private PcieRig rig() throws Exception {
        return new PcieRig(dir, SPIN);
    }

    @Test
    void configAbortsReadAllOnesDropWritesAndSetStatus() throws Exception {
        PcieRig rig = rig();
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: pcie.test.config
                    match: { address: 0x0, kind: read }
                    action: completer-abort
                  - point: pcie.test.config
                    match: { address: 0xc, kind: write }
                    action: unsupported-request
                """, "plan.yaml").applyTo(rig.machine);
        assertThat(rig.configRead(0x00, 4)).isEqualTo(0xFFFF_FFFFL);
        assertThat(rig.configRead(0x00, 4)).isEqualTo(0xBEEF_1B36L); // once
        rig.configWrite(0x0C, 1, 0x10);
        assertThat(rig.configRead(0x0C, 1)).isZero(); // the write was dropped
        assertThat(rig.configRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_SIGNALED_TARGET_ABORT).isNotZero();
        int exp = rig.endpoint.config().findCapability(ConfigSpace.CAP_ID_EXP);
        assertThat(rig.configRead(exp + ConfigSpace.EXP_DEVSTA, 2) & ConfigSpace.EXP_DEVSTA_URD).isNotZero();
        long host = rig.machine.bus().read(HOST_STATUS, 2, Masters.cpu(0));
        assertThat(host).isEqualTo((long) (ConfigSpace.STATUS_RECEIVED_TARGET_ABORT | ConfigSpace.STATUS_RECEIVED_MASTER_ABORT));
        assertThat(f.injected()).isEqualTo(2);
        assertThat(f.report()).contains("pcie.test.config address=0x00000000 kind=read: completer-abort, once: 1 injected")
                .contains("-> unsupported-request");
    }

    @Test
    void dmaPoisonCorruptsTheDataAndSetsParityBits() throws Exception {
        PcieRig rig = rig();
        rig.enable();
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: pcie.test.dma
                    match: { kind: read }
                    action: { type: poison, mask: 0x000000ff }
                  - point: pcie.test.dma
                    match: { kind: write, address: 0x40002000-0x40002fff }
                    action: completer-abort
                """, "plan.yaml").applyTo(rig.machine);
        long src = PcieRig.RAM + 0x1000;
        rig.machine.bus().write(src, 4, 0x1122_3344L, Masters.DEBUG);
        rig.machine.bus().write(src + 4, 4, 0x5566_7788L, Masters.DEBUG);
        rig.copy(src, PcieRig.RAM + 0x3000, 8);
        assertThat(rig.lastResult).isEqualTo(DmaPort.Result.POISONED);
        // poisoned data is not written on by this engine; the bytes it read were corrupted, memory is not
        byte[] b = new byte[8];
        assertThat(rig.endpoint.dma().read(src, b, 0, 8)).isEqualTo(DmaPort.Result.OK); // once
        long status = rig.configRead(ConfigSpace.STATUS, 2);
        assertThat(status & ConfigSpace.STATUS_DETECTED_PARITY).isNotZero();
        assertThat(status & ConfigSpace.STATUS_MASTER_DATA_PARITY).isNotZero();
        assertThat(rig.machine.bus().read(src, 4, Masters.DEBUG)).isEqualTo(0x1122_3344L);
        // the aborted write: nothing lands
        rig.copy(src, PcieRig.RAM + 0x2000, 8);
        assertThat(rig.lastResult).isEqualTo(DmaPort.Result.COMPLETER_ABORT);
        assertThat(rig.machine.bus().read(PcieRig.RAM + 0x2000, 4, Masters.DEBUG)).isZero();
        assertThat(f.injections()).extracting(i -> i.action().name()).containsExactly("poison", "completer-abort");
        assertThat(f.injections().get(0).newValue()).isEqualTo(0x1122_33BBL);
        assertThat(f.report()).contains("dma0 read 4 bytes at 0x40001000: 0x11223344 -> 0x112233bb (poisoned)");
    }

    /** A poisoned read whose data the engine writes on: memory receives the corrupted bytes. */
    @Test
    void poisonedDataCarriedOnIsSilentCorruption() throws Exception {
        PcieRig rig = rig();
        rig.enable();
        FaultPlan.parse("""
                rules:
                  - point: pcie.test.dma
                    match: { kind: read }
                    action: poison
                """, "plan.yaml").applyTo(rig.machine);
        long src = PcieRig.RAM + 0x1000;
        rig.machine.bus().write(src, 4, 0x1122_3344L, Masters.DEBUG);
        byte[] b = new byte[4];
        assertThat(rig.endpoint.dma().read(src, b, 0, 4)).isEqualTo(DmaPort.Result.POISONED);
        assertThat(b).containsExactly(0xBB, 0xCC, 0xDD, 0xEE); // the default mask inverts every bit
    }

    @Test
    void busRulesWithAMasterFilterSeeTheEndpointsDma() throws Exception {
        PcieRig rig = rig();
        rig.enable();
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: bus.write
                    match: { master: dma0 }
                    action: drop
                    times: sticky
                  - point: bus.read
                    match: { master: "dma*", address: 0x40001000 }
                    action: error
                """, "plan.yaml").applyTo(rig.machine);
        long src = PcieRig.RAM + 0x1000;
        rig.machine.bus().write(src + 0x10, 4, 0xAAAA_5555L, Masters.cpu(0)); // a CPU write is not dropped
        assertThat(rig.machine.bus().read(src + 0x10, 4, Masters.DEBUG)).isEqualTo(0xAAAA_5555L);
        rig.copy(src + 0x10, PcieRig.RAM + 0x4000, 4);
        assertThat(rig.lastResult).isEqualTo(DmaPort.Result.OK); // a dropped write still completes
        assertThat(rig.machine.bus().read(PcieRig.RAM + 0x4000, 4, Masters.DEBUG)).isZero();
        rig.copy(src, PcieRig.RAM + 0x4000, 4);
        assertThat(rig.lastResult).isEqualTo(DmaPort.Result.UNSUPPORTED_REQUEST);
        assertThat(rig.configRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_RECEIVED_MASTER_ABORT).isNotZero();
        assertThat(f.injections()).extracting(i -> Masters.name(i.master())).containsOnly("dma0");
    }

    @Test
    void linkDownForAWindowThenBack() throws Exception {
        PcieRig rig = rig();
        rig.enable();
        rig.endpoint.intx(true);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: pcie.test.link
                    when: { after: 1ms }
                    action: { type: link-down, duration: 2ms }
                """, "plan.yaml").applyTo(rig.machine);
        List<String> seen = new ArrayList<>();
        Runnable probe = () -> {
            long id = rig.configRead(0x00, 4);
            long bar = rig.machine.bus().read(PcieRig.BAR0 + PcieRig.SRC, 4, Masters.cpu(0));
            DmaPort.Result dma = rig.endpoint.dma().writeWord(PcieRig.RAM + 0x5000, 4, 7);
            boolean line = rig.machine.pcieHost().orElseThrow().intx(PcieRig.DEVICE).level();
            seen.add(String.format("%x %x %s %s", id, bar, dma, line));
        };
        rig.machine.bus().write(PcieRig.BAR0 + PcieRig.SRC, 4, 0x42, Masters.cpu(0));
        for (long t : new long[] {500_000, 1_500_000, 2_999_000, 3_001_000}) {
            rig.machine.scheduler().scheduleAt(t, "probe", probe);
        }
        rig.machine.scheduler().scheduleAt(1_600_000, "write-while-down", () ->
                rig.machine.bus().write(PcieRig.BAR0 + PcieRig.SRC, 4, 0x99, Masters.cpu(0)));
        StringWriter trace = new StringWriter();
        rig.machine.tracer().addSink(new TextTraceSink(trace));
        rig.machine.run(RunLimits.none().withMaxTimeNs(4_000_000));
        rig.machine.tracer().close();
        assertThat(seen).containsExactly(
                "beef1b36 42 OK true",
                "ffffffff ffffffff LINK_DOWN false",
                "ffffffff ffffffff LINK_DOWN false",
                "beef1b36 42 OK true");
        assertThat(f.injected()).isEqualTo(1);
        assertThat(f.report()).contains("pcie.test.link link: up -> down for 2.000000 ms");
        assertThat(trace.toString()).contains("pcie.link.down").contains("pcie.link.up").contains("fault.release");
    }

    @Test
    void theExamplePlanAppliesToAMachineWithAWifiEndpoint() throws Exception {
        PcieRig rig = rig();
        brassboard.bus.pcie.PcieEndpoint wifi = new brassboard.bus.pcie.PcieEndpoint("wifi",
                new ConfigSpace(4096, 0x168C, 0x003C, 0, 0x028000).pciExpressEndpoint(),
                rig.machine.bus(), Masters.DMA_BASE + 1, rig.machine.tracer(), rig.machine.faults());
        rig.machine.pcieHost().orElseThrow().attach(0, 2, 0, wifi);
        FaultSession f = FaultPlan.load(Path.of("..", "docs", "examples", "pcie-faults.yaml")).applyTo(rig.machine);
        assertThat(f.plan().rules()).hasSize(5);
        assertThat(rig.machine.bus().read(VirtMap.PCIE_ECAM.base() + (2L << 15), 4, Masters.cpu(0))).isEqualTo(0xFFFF_FFFFL);
        assertThat(Files.readString(Path.of("..", "docs", "faults.md"))).contains("pcie.<dev>.link");
    }

    @Test
    void plansThatMakeNoSenseAtPciePointsAreRefused() throws Exception {
        PcieRig rig = rig();
        assertThatThrownBy(() -> FaultPlan.parse("""
                rules:
                  - point: pcie.test.config
                    action: poison
                """, "plan.yaml").applyTo(rig.machine))
                .isInstanceOf(FaultPlanException.class)
                .hasMessageContaining("poison is not an action of pcie.test.config; its actions: completer-abort, unsupported-request");
        assertThatThrownBy(() -> FaultPlan.parse("""
                rules:
                  - point: pcie.test.dma
                    match: { kind: fetch }
                    action: completer-abort
                """, "plan.yaml").applyTo(rig.machine))
                .hasMessageContaining("match.kind: 'fetch' is not a kind of pcie.test.dma; its kinds: read, write");
        assertThatThrownBy(() -> FaultPlan.parse("""
                rules:
                  - point: bus.read
                    match: { kind: write }
                    action: error
                """, "plan.yaml").applyTo(rig.machine))
                .hasMessageContaining("'write' is not a kind of bus.read; its kinds: fetch, data");
        assertThatThrownBy(() -> FaultPlan.parse("""
                rules:
                  - point: pcie.test.link
                    when: { nth: 2 }
                    action: link-down
                """, "plan.yaml").applyTo(rig.machine))
                .hasMessageContaining("when.nth: link-down at pcie.test.link happens once");
    }
}
