package brassboard.arm.core;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.arm.api.StopReason;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionModelTest {
    private static final int NOP = 0xE320F000;
    private static final int CPSIE_I = 0xF1080080; // cpsie i
    private static final int CPSIE_F = 0xF1080040; // cpsie f
    private static final int SUBS_PC_LR_4 = 0xE25EF004; // subs pc, lr, #4
    private static final int IRQ_VECTOR = 0x18;
    private static final int FIQ_VECTOR = 0x1C;

    /** Records exception entries and returns. */
    private static final class Recorder implements CpuObserver {
        final List<String> events = new ArrayList<>();

        @Override
        public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
            events.add(String.format("enter %s from %08x to %08x %s", kind, fromPc, vectorPc, Modes.name(newMode)));
        }

        @Override
        public void onExceptionReturn(int toPc, int newMode) {
            events.add(String.format("return to %08x %s", toPc, Modes.name(newMode)));
        }

        @Override
        public void onBusError(int pc, long address, boolean write) {
            events.add(String.format("bus error at %08x: %08x %s", pc, address, write ? "write" : "read"));
        }

        @Override
        public void onHalt(String reason) {
            events.add("halt: " + reason);
        }
    }

    @Test
    void resetState() {
        Harness h = new Harness();
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(h.cpu.cpsr()).isEqualTo(Modes.SVC | Psr.A | Psr.I | Psr.F);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE);
        assertThat(h.cpu.cp15().sctlr()).isEqualTo(0x00C50078);
        assertThat(h.cpu.isHalted()).isFalse();
        assertThat(h.cpu.instructionsRetired()).isZero();
    }

    @Test
    void irqIsTakenOnlyWhenUnmaskedAndAtAnInstructionBoundary() {
        Harness h = new Harness().code(NOP, CPSIE_I, NOP, NOP);
        h.at(IRQ_VECTOR, SUBS_PC_LR_4);
        Recorder recorder = new Recorder();
        h.cpu.setObserver(recorder);
        h.cpu.setIrqLine(true);
        assertThat(h.run(2)).isEqualTo(2); // masked: NOP and CPSIE run
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        h.run(1); // the boundary after CPSIE: IRQ entry
        assertThat(h.cpu.mode()).isEqualTo(Modes.IRQ);
        assertThat(h.cpu.pc()).isEqualTo(IRQ_VECTOR);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 8 + 4);
        assertThat(h.cpu.spsr()).isEqualTo(Modes.SVC | Psr.A | Psr.F);
        assertThat(h.cpu.cpsr() & (Psr.I | Psr.A)).isEqualTo(Psr.I | Psr.A);
        assertThat(h.cpu.cpsr() & Psr.F).isNotZero();
        h.cpu.setIrqLine(false);
        h.run(1); // subs pc, lr, #4
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 8);
        assertThat(recorder.events).containsExactly(
                "enter irq from 00008008 to 00000018 irq",
                "return to 00008008 svc");
    }

    @Test
    void anInterruptRaisedDuringAnInstructionWaitsForItsEnd() {
        Harness h = new Harness(new CpuCallbacks() {
            @Override
            public boolean onSupervisorCall(ArmCpu cpu, int imm24) {
                cpu.setIrqLine(true); // a device raising its line while the SVC executes
                return true;
            }
        }).code(CPSIE_I, 0xEF123456, NOP);
        h.run(3);
        assertThat(h.cpu.mode()).isEqualTo(Modes.IRQ);
        assertThat(h.r(14)).as("the SVC completed; the IRQ preempts the next instruction").isEqualTo(Harness.CODE + 8 + 4);
    }

    @Test
    void fiqHasPriorityAndMasksBoth() {
        Harness h = new Harness().code(CPSIE_I, CPSIE_F, NOP);
        h.cpu.setIrqLine(true);
        h.cpu.setFiqLine(true);
        h.run(1); // cpsie i
        h.run(1); // IRQ taken (FIQ still masked)
        assertThat(h.cpu.mode()).isEqualTo(Modes.IRQ);

        h = new Harness().code(0xF10800C0, NOP); // cpsie if
        h.cpu.setIrqLine(true);
        h.cpu.setFiqLine(true);
        h.run(2);
        assertThat(h.cpu.mode()).isEqualTo(Modes.FIQ);
        assertThat(h.cpu.pc()).isEqualTo(FIQ_VECTOR);
        assertThat(h.cpu.cpsr() & (Psr.I | Psr.F | Psr.A)).isEqualTo(Psr.I | Psr.F | Psr.A);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4 + 4);
    }

    @Test
    void prefetchAbortOnABusErrorWhileFetching() {
        Harness h = new Harness().code(0xE12FFF13).reg(3, Harness.NOWHERE); // bx r3
        Recorder recorder = new Recorder();
        h.cpu.setObserver(recorder);
        assertThat(h.run(2)).isEqualTo(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.pc()).isEqualTo(0x0C);
        assertThat(h.r(14)).isEqualTo(Harness.NOWHERE + 4);
        assertThat(h.cpu.cp15().ifsr()).isEqualTo(0b01000);
        assertThat(h.cpu.cp15().ifar()).isEqualTo(Harness.NOWHERE);
        assertThat(recorder.events).containsExactly(
                "bus error at 40000000: 40000000 read",
                "enter prefetch-abort from 40000000 to 0000000c abt");
    }

    @Test
    void dataAbortLinkRegisterAllowsReturningToTheFaultingInstruction() {
        Harness h = new Harness().code(0xE5910000).reg(1, Harness.NOWHERE); // ldr r0, [r1]
        h.at(0x10, 0xE25EF008); // subs pc, lr, #8
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void haltFromACallbackStopsRun() {
        Harness h = new Harness(new CpuCallbacks() {
            @Override
            public boolean onSupervisorCall(ArmCpu cpu, int imm24) {
                cpu.halt("semihosting exit 0");
                return true;
            }
        }).code(NOP, 0xEF123456, NOP, NOP);
        Recorder recorder = new Recorder();
        h.cpu.setObserver(recorder);
        assertThat(h.run(100)).isEqualTo(2);
        assertThat(h.cpu.isHalted()).isTrue();
        assertThat(h.cpu.stopReason()).isEqualTo(StopReason.REQUESTED);
        assertThat(h.cpu.haltReason()).isEqualTo("semihosting exit 0");
        assertThat(recorder.events).containsExactly("halt: semihosting exit 0");
        assertThat(h.run(100)).isZero();
    }

    @Test
    void resetToAnOddAddressStartsInThumb() {
        Harness h = new Harness();
        h.thumbAt(0x8000, 0x2007); // movs r0, #7
        h.cpu.reset(0x8001);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(0)).isEqualTo(7);
        assertThat(h.cpu.pc()).isEqualTo(0x8002);
    }

    @Test
    void exceptionEntryInThumbWhenSctlrTeIsSet() {
        Harness h = new Harness().code(0xEE012F10, 0xE7F000F0) // mcr SCTLR; udf
                .reg(2, Cp15.SCTLR_RESET | Cp15.SCTLR_TE);
        h.thumbAt(0x4, 0x2005); // the Undefined Instruction vector: movs r0, #5
        h.run(3);
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.cpu.cpsr() & Psr.T).isNotZero();
        assertThat(h.r(0)).isEqualTo(5);
        assertThat(h.cpu.pc()).isEqualTo(0x6);
    }

    @Test
    void retiredCountAndIrqStepsInRun() {
        Harness h = new Harness().code(NOP, NOP, NOP, NOP);
        assertThat(h.run(3)).isEqualTo(3);
        assertThat(h.cpu.instructionsRetired()).isEqualTo(3);
    }

    @Test
    void unpredictablePolicyCanBeChanged() {
        Harness h = new Harness().code(0xE1C010D0).reg(0, 0x1000); // ldrd r1, r2, [r0]
        h.cpu.unpredictablePolicy().setChoice(UnpredictablePolicy.Case.DOUBLEWORD_REGISTER_PAIR,
                UnpredictablePolicy.Choice.NOP);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }
}
