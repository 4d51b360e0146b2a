package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HintsBarriersTest {
    private static final int WFI = 0xE320F003;
    private static final int WFE = 0xE320F002;
    private static final int SEV = 0xE320F004;
    private static final int NOP = 0xE320F000;
    private static final int CPSIE_I = 0xF1080080;

    @Test
    void wfiStopsRunUntilAnInterruptLineGoesHighEvenIfMasked() {
        Harness h = new Harness().code(WFI, NOP, NOP);
        assertThat(h.run(100)).isEqualTo(1);
        assertThat(h.cpu.isWaitingForInterrupt()).isTrue();
        assertThat(h.run(100)).isZero();
        h.cpu.setIrqLine(true); // masked by CPSR.I: wakes the core but is not taken
        assertThat(h.cpu.isWaitingForInterrupt()).isFalse();
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 8);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void wfiWithInterruptsUnmaskedTakesTheIrq() {
        Harness h = new Harness().code(CPSIE_I, WFI, NOP);
        assertThat(h.run(100)).isEqualTo(2);
        h.cpu.setIrqLine(true);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.IRQ);
        assertThat(h.r(14)).as("returns to the instruction after WFI").isEqualTo(Harness.CODE + 8 + 4);
    }

    @Test
    void wfeWaitsForAnEventAndSevRegistersOne() {
        Harness h = new Harness().code(SEV, WFE, WFE, NOP);
        assertThat(h.run(100)).isEqualTo(3); // SEV; WFE consumes the event; WFE waits
        assertThat(h.cpu.isWaitingForInterrupt()).isTrue();
        h.cpu.setIrqLine(true); // masked: does not wake WFE
        assertThat(h.cpu.isWaitingForInterrupt()).isTrue();
        h.cpu.signalEvent();
        assertThat(h.cpu.isWaitingForInterrupt()).isFalse();
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 16);
    }

    @Test
    void sevIsForwardedToTheBoard() {
        AtomicInteger events = new AtomicInteger();
        Harness h = new Harness(new CpuCallbacks() {
            @Override
            public void onSendEvent(ArmCpu cpu) {
                events.incrementAndGet();
            }
        }).code(SEV);
        h.run(1);
        assertThat(events).hasValue(1);
    }

    @Test
    void barriersPreloadsAndOtherHintsRetire() {
        Harness h = new Harness().code(0xF57FF05F, 0xF57FF04F, 0xF57FF06F, 0xE320F001, NOP, 0xF4D0F000, 0xF7D0F001,
                0xE320F0F0); // dmb; dsb; isb; yield; nop; pli [r0]; pld [r0, r1]; dbg #0
        assertThat(h.run(8)).isEqualTo(8);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 32);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void pldwAndTheUnallocatedMemoryHintsRetireAsNops() {
        Harness h = new Harness().code(0xF591F004, 0xF791F002, 0xF4110004, 0xF611F002)
                .reg(1, Harness.NOWHERE); // pldw [r1, #4]; pldw [r1, r2]; .inst 0xf4110004; .inst 0xf611f002
        assertThat(h.run(4)).isEqualTo(4);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 16);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void preloadWithRtNot1111IsUndefinedAsInQemu() {
        Harness h = new Harness().code(0xF5D10004); // pld [r1, #4] with bits 15:12 == 0000 (qemu-arm: SIGILL)
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }
}
