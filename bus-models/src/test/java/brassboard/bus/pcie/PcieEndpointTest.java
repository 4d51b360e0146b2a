package brassboard.bus.pcie;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.MmioRegion;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An endpoint doing DMA and raising INTx and MSI through the bridge, with Command's gates and the endpoint's fault points. */
class PcieEndpointTest {
    static final long RAM = 0x4000_0000L;
    static final long DOORBELL = 0x0802_0000L;
    static final long ECAM = 0x3F00_0000L;
    static final long MMIO = 0x1000_0000L;

    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<TraceEvent> events = new ArrayList<>();
    private final FaultPoints faults = new FaultPoints();
    private final AddressSpace bus = new AddressSpace(tracer, faults);
    private final EcamHostBridge bridge = new EcamHostBridge("pcie", 16, tracer);
    private final List<Long> doorbellWrites = new ArrayList<>();
    private final boolean[] hostLines = new boolean[4];
    private final TestEndpoint ep = new TestEndpoint("test", bus, Masters.DMA_BASE + 3, tracer, faults);

    PcieEndpointTest() {
        tracer.addSink(events::add);
        bus.map(RAM, new Ram("ram", 1 << 20));
        bus.map(DOORBELL, new MmioRegion("doorbell", 0x1000, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                doorbellWrites.add(offset << 32 | value);
                return true;
            }
        }));
        bus.map(ECAM, new MmioRegion("ecam", bridge.ecamSize(), bridge.ecam()));
        bus.map(MMIO, new MmioRegion("mmio", 0x1000_0000L, bridge.mmioWindow(MMIO)));
        for (int i = 0; i < 4; i++) {
            int n = i;
            bridge.intx(i).connect((IrqSink) (line, level) -> hostLines[n] = level);
        }
        bridge.attach(0, 2, 0, ep.function);
    }

    private long cfg(int reg) {
        return ECAM + (2L << 15) + reg;
    }

    private void cfgWrite(int reg, int size, long v) {
        bus.write(cfg(reg), size, v, Masters.cpu(0));
    }

    private long cfgRead(int reg, int size) {
        return bus.read(cfg(reg), size, Masters.cpu(0));
    }

    /** Programs BAR0 at 0x10000000 and Command as a driver does. */
    private void enable(int command) {
        cfgWrite(0x10, 4, MMIO);
        cfgWrite(ConfigSpace.COMMAND, 2, command);
    }

    @Test
    void dmaCopiesThroughTheSystemBusAsItsOwnMaster() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        for (int i = 0; i < 64; i++) {
            bus.write(RAM + 0x100 + i, 1, i * 3, Masters.DEBUG);
        }
        // the CPU programs the engine through BAR0; the copy starts and ends unaligned
        bus.write(MMIO + TestEndpoint.SRC, 4, RAM + 0x101, 0);
        bus.write(MMIO + TestEndpoint.DST, 4, RAM + 0x203, 0);
        bus.write(MMIO + TestEndpoint.LEN, 4, 61, 0);
        bus.write(MMIO + TestEndpoint.GO, 4, 1, 0);
        assertThat(ep.lastResult).isEqualTo(DmaPort.Result.OK);
        for (int i = 0; i < 61; i++) {
            assertThat(bus.read(RAM + 0x203 + i, 1, Masters.DEBUG)).isEqualTo((long) ((i + 1) * 3 & 0xFF));
        }
        assertThat(bus.read(RAM + 0x203 + 61, 1, Masters.DEBUG)).isZero();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo("test");
            assertThat(e.detail()).isEqualTo("dma3 write 61 bytes at 0x40000203: ok");
        });
        assertThat(ep.function.dma().master()).isEqualTo(Masters.DMA_BASE + 3);
        // words: readWord / writeWord
        assertThat(ep.function.dma().writeWord(RAM + 0x400, 4, 0xCAFEF00DL)).isEqualTo(DmaPort.Result.OK);
        assertThat(ep.function.dma().readWord(RAM + 0x400, 2)).isEqualTo(0xF00DL);
    }

    @Test
    void busMasterEnableClearIssuesNothingAndSaysSo() {
        enable(ConfigSpace.COMMAND_MEMORY);
        bus.write(RAM, 4, 0x1111_1111L, Masters.DEBUG);
        assertThat(ep.function.dma().writeWord(RAM, 4, 0x2222_2222L)).isEqualTo(DmaPort.Result.MASTER_DISABLED);
        assertThat(bus.read(RAM, 4, Masters.DEBUG)).isEqualTo(0x1111_1111L);
        assertThat(ep.function.dma().readWord(RAM, 4)).isEqualTo(MemoryBus.BUS_ERROR);
        assertThat(ep.function.dma().lastResult()).isEqualTo(DmaPort.Result.MASTER_DISABLED);
    }

    @Test
    void aReadOfNothingIsAnUnsupportedRequestTheFunctionRecords() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        byte[] b = new byte[8];
        assertThat(ep.function.dma().read(0x2000_0000L, b, 0, 8)).isEqualTo(DmaPort.Result.UNSUPPORTED_REQUEST);
        assertThat(cfgRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_RECEIVED_MASTER_ABORT).isNotZero();
        assertThat(ep.function.dma().writeWord(0x2000_0000L, 4, 0)).isEqualTo(DmaPort.Result.UNSUPPORTED_REQUEST);
    }

    @Test
    void busFaultRulesSeeTheEndpointAsItsMaster() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        List<Integer> masters = new ArrayList<>();
        faults.arm(faults.find("bus.write").orElseThrow(), (p, s) -> {
            masters.add(s.master);
            s.dropped = s.master == Masters.DMA_BASE + 3;
        });
        ep.function.dma().writeWord(RAM, 4, 0x5555_5555L);
        bus.write(RAM + 4, 4, 0x6666_6666L, Masters.cpu(0));
        assertThat(masters).containsExactly(Masters.DMA_BASE + 3, Masters.cpu(0));
        assertThat(bus.read(RAM, 4, Masters.DEBUG)).isZero();
        assertThat(bus.read(RAM + 4, 4, Masters.DEBUG)).isEqualTo(0x6666_6666L);
    }

    @Test
    void intxGoesThroughTheSwizzleAndHonoursInterruptDisable() {
        enable(ConfigSpace.COMMAND_MEMORY);
        ep.function.intx(true);
        // device 2, INTA: host line (2 + 0) % 4
        assertThat(hostLines).containsExactly(false, false, true, false);
        assertThat(bridge.intx(2).level()).isTrue();
        assertThat(cfgRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_INTX).isNotZero();
        cfgWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_INTX_DISABLE);
        assertThat(hostLines[2]).isFalse();
        assertThat(cfgRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_INTX).isNotZero(); // the condition is still there
        cfgWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY);
        assertThat(hostLines[2]).isTrue();
        ep.function.intx(false);
        assertThat(hostLines[2]).isFalse();
        assertThat(cfgRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_INTX).isZero();
    }

    @Test
    void twoFunctionsOnOneHostLineAreWiredOr() {
        TestEndpoint other = new TestEndpoint("other", bus, Masters.DMA_BASE + 4, tracer, faults);
        bridge.attach(0, 6, 0, other.function); // device 6, INTA: line 2 as well
        ep.function.intx(true);
        other.function.intx(true);
        ep.function.intx(false);
        assertThat(hostLines[2]).isTrue();
        other.function.intx(false);
        assertThat(hostLines[2]).isFalse();
    }

    private int msiCap() {
        return ep.function.config().findCapability(ConfigSpace.CAP_ID_MSI);
    }

    /** What Linux's pci_msi_setup_msi_irqs writes: address, data, then MSI Enable with MME. */
    private void programMsi(int mme) {
        int cap = msiCap();
        cfgWrite(cap + 4, 4, DOORBELL + 0x40);
        cfgWrite(cap + 8, 4, 0);
        cfgWrite(cap + 0x0C, 2, 80);
        cfgWrite(cap + 2, 2, ConfigSpace.MSI_CONTROL_ENABLE | mme << 4);
    }

    @Test
    void msiIsAMemoryWriteOfTheDataToTheAddress() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        assertThat(ep.function.msi(0)).isFalse(); // not enabled yet
        programMsi(2); // four vectors
        assertThat(ep.function.msi(0)).isTrue();
        assertThat(ep.function.msi(3)).isTrue();
        assertThat(ep.function.msi(4)).isFalse();
        assertThat(doorbellWrites).containsExactly(0x40L << 32 | 80, 0x40L << 32 | 83);
        // with MSI enabled INTx is not used
        ep.function.intx(true);
        assertThat(hostLines[2]).isFalse();
        // MSI is a memory write: Bus Master Enable gates it
        cfgWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY);
        assertThat(ep.function.msi(1)).isFalse();
        assertThat(ep.function.dma().lastResult()).isEqualTo(DmaPort.Result.MASTER_DISABLED);
        assertThat(doorbellWrites).hasSize(2);
    }

    @Test
    void aMaskedVectorIsPendingUntilUnmasked() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        programMsi(2);
        int cap = msiCap();
        cfgWrite(cap + 0x10, 4, 0b0010);
        assertThat(ep.function.msi(1)).isFalse();
        assertThat(cfgRead(cap + 0x14, 4)).isEqualTo(0b0010L);
        assertThat(doorbellWrites).isEmpty();
        cfgWrite(cap + 0x10, 4, 0);
        assertThat(doorbellWrites).containsExactly(0x40L << 32 | 81);
        assertThat(cfgRead(cap + 0x14, 4)).isZero();
    }

    @Test
    void configFaultsAbortAndRecordWhereTheSpecSays() {
        faults.arm(faults.find("pcie.test.config").orElseThrow(), (p, s) -> {
            if (s.address == ConfigSpace.VENDOR_ID) {
                s.error = true;
                s.action = PcieEndpoint.COMPLETER_ABORT;
            } else if (s.address == ConfigSpace.CACHE_LINE_SIZE && s.write) {
                s.error = true;
                s.action = PcieEndpoint.UNSUPPORTED;
            }
        });
        assertThat(cfgRead(0x00, 4)).isEqualTo(0xFFFF_FFFFL);
        cfgWrite(ConfigSpace.CACHE_LINE_SIZE, 1, 0x10);
        faults.disarmAll();
        assertThat(cfgRead(ConfigSpace.CACHE_LINE_SIZE, 1)).isZero(); // dropped
        assertThat(cfgRead(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_SIGNALED_TARGET_ABORT).isNotZero();
        int exp = ep.function.config().findCapability(ConfigSpace.CAP_ID_EXP);
        assertThat(cfgRead(exp + ConfigSpace.EXP_DEVSTA, 2) & ConfigSpace.EXP_DEVSTA_URD).isNotZero();
        long host = bus.read(ECAM + ConfigSpace.STATUS, 2, 0);
        assertThat(host & ConfigSpace.STATUS_RECEIVED_TARGET_ABORT).isNotZero();
        assertThat(host & ConfigSpace.STATUS_RECEIVED_MASTER_ABORT).isNotZero();
    }

    @Test
    void dmaFaultsAbortOrPoison() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER | ConfigSpace.COMMAND_PARITY);
        bus.write(RAM, 4, 0x0000_00FFL, Masters.DEBUG);
        bus.write(RAM + 4, 4, 0x1234_5678L, Masters.DEBUG);
        String[] next = {PcieEndpoint.COMPLETER_ABORT};
        faults.arm(faults.find("pcie.test.dma").orElseThrow(), (p, s) -> {
            s.action = next[0];
            if (next[0].equals(PcieEndpoint.POISON)) {
                s.value ^= 0x0101_0101L;
            } else {
                s.error = true;
            }
        });
        byte[] b = new byte[8];
        assertThat(ep.function.dma().read(RAM, b, 0, 8)).isEqualTo(DmaPort.Result.COMPLETER_ABORT);
        assertThat(ep.function.config().value(ConfigSpace.STATUS, 2) & ConfigSpace.STATUS_RECEIVED_TARGET_ABORT).isNotZero();
        assertThat(ep.function.dma().writeWord(RAM, 4, 0)).isEqualTo(DmaPort.Result.COMPLETER_ABORT);
        assertThat(bus.read(RAM, 4, Masters.DEBUG)).isEqualTo(0xFFL); // not written
        next[0] = PcieEndpoint.POISON;
        assertThat(ep.function.dma().read(RAM, b, 0, 8)).isEqualTo(DmaPort.Result.POISONED);
        assertThat(b).containsExactly(0xFE, 0x01, 0x01, 0x01, 0x79, 0x57, 0x35, 0x13);
        long status = ep.function.config().value(ConfigSpace.STATUS, 2);
        assertThat(status & ConfigSpace.STATUS_DETECTED_PARITY).isNotZero();
        assertThat(status & ConfigSpace.STATUS_MASTER_DATA_PARITY).isNotZero();
        assertThat(bus.read(RAM, 4, Masters.DEBUG)).isEqualTo(0xFFL); // memory itself is intact
    }

    @Test
    void linkDownHidesTheFunctionUntilItComesBack() {
        enable(ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        ep.function.intx(true);
        assertThat(hostLines[2]).isTrue();
        bus.write(MMIO + TestEndpoint.SRC, 4, 0x1234, 0);
        link(PcieEndpoint.LINK_DOWN);
        assertThat(ep.function.linkUp()).isFalse();
        assertThat(cfgRead(0x00, 4)).isEqualTo(0xFFFF_FFFFL);
        cfgWrite(ConfigSpace.COMMAND, 2, 0);
        assertThat(bus.read(MMIO + TestEndpoint.SRC, 4, 0)).isEqualTo(0xFFFF_FFFFL);
        bus.write(MMIO + TestEndpoint.SRC, 4, 0x9999, 0);
        assertThat(ep.function.dma().writeWord(RAM, 4, 1)).isEqualTo(DmaPort.Result.LINK_DOWN);
        assertThat(hostLines[2]).isFalse();
        link(PcieEndpoint.LINK_UP);
        assertThat(cfgRead(0x00, 4)).isEqualTo(0xBEEF_1B36L);
        assertThat(cfgRead(ConfigSpace.COMMAND, 2)).isEqualTo((long) (ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER));
        assertThat(bus.read(MMIO + TestEndpoint.SRC, 4, 0)).isEqualTo(0x1234L);
        assertThat(hostLines[2]).isTrue();
        assertThat(events).extracting(TraceEvent::kind).contains("pcie.link.down", "pcie.link.up");
    }

    private void link(String primitive) {
        brassboard.bus.api.FaultSite s = new brassboard.bus.api.FaultSite();
        s.action = primitive;
        faults.find("pcie.test.link").orElseThrow().perform(s);
    }

    @Test
    void inD3hotTheFunctionAnswersConfigurationOnly() {
        TestEndpoint pm = new TestEndpoint("pm", bus, Masters.DMA_BASE + 5, tracer, faults);
        pm.function.config().powerManagement();
        bridge.attach(0, 3, 0, pm.function);
        long cfg3 = ECAM + (3L << 15);
        bus.write(cfg3 + 0x10, 4, MMIO + 0x1000, 0);
        bus.write(cfg3 + ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER, 0);
        bus.write(MMIO + 0x1000 + TestEndpoint.SRC, 4, 0x77, 0);
        int pmcsr = pm.function.config().findCapability(ConfigSpace.CAP_ID_PM) + ConfigSpace.PM_PMCSR;
        bus.write(cfg3 + pmcsr, 2, 3, 0); // D3hot
        assertThat(bus.read(MMIO + 0x1000 + TestEndpoint.SRC, 4, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(pm.function.dma().writeWord(RAM, 4, 1)).isEqualTo(DmaPort.Result.MASTER_DISABLED);
        assertThat(bus.read(cfg3, 4, 0)).isEqualTo(0xBEEF_1B36L);
        bus.write(cfg3 + pmcsr, 2, 0, 0); // back to D0, state kept (No_Soft_Reset)
        assertThat(bus.read(MMIO + 0x1000 + TestEndpoint.SRC, 4, 0)).isEqualTo(0x77L);
    }

    @Test
    void resetClearsConfigurationAndDeassertsIntx() {
        enable(ConfigSpace.COMMAND_MEMORY);
        ep.function.intx(true);
        bridge.reset();
        assertThat(hostLines[2]).isFalse();
        assertThat(cfgRead(ConfigSpace.COMMAND, 2)).isZero();
    }
}
