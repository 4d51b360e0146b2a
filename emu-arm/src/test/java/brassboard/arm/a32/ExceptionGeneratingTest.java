package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExceptionGeneratingTest {
    private static final int SVC_SEMIHOSTING = 0xEF123456; // svc #0x123456
    private static final int SVC_0 = 0xEF000000; // svc #0
    private static final int HVC = 0xE1412374; // hvc #0x1234
    private static final int SMC = 0xE1600071; // smc #1
    private static final int BKPT = 0xE1200172; // bkpt #0x12
    private static final int UDF = 0xE7F004F2; // udf #0x42

    /** Handles semihosting SVCs and PSCI HVC / SMC calls the way a board does. */
    private static final class BoardCallbacks implements CpuCallbacks {
        final List<String> calls = new ArrayList<>();

        @Override
        public boolean onSupervisorCall(ArmCpu cpu, int imm24) {
            calls.add("svc " + Integer.toHexString(imm24));
            if (imm24 != 0x123456) {
                return false;
            }
            cpu.setReg(0, cpu.reg(0) + 1);
            return true;
        }

        @Override
        public boolean onHypervisorCall(ArmCpu cpu, int imm16) {
            calls.add("hvc " + Integer.toHexString(imm16));
            cpu.setReg(0, 0); // PSCI_SUCCESS
            return true;
        }

        @Override
        public boolean onSecureMonitorCall(ArmCpu cpu, int imm4) {
            calls.add("smc " + imm4);
            cpu.setReg(0, -1); // PSCI NOT_SUPPORTED
            return true;
        }
    }

    @Test
    void semihostingSvcIsHandledByTheBoard() {
        BoardCallbacks board = new BoardCallbacks();
        Harness h = new Harness(board).code(SVC_SEMIHOSTING).reg(0, 41);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(board.calls).containsExactly("svc 123456");
        assertThat(h.r(0)).isEqualTo(42);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 4);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void unhandledSvcTakesTheSupervisorCallException() {
        BoardCallbacks board = new BoardCallbacks();
        Harness h = new Harness(board).mode(Modes.USR).code(SVC_0);
        h.cpu.setCpsr(h.cpu.cpsr() & ~Psr.I);
        int cpsrBefore = h.cpu.cpsr();
        assertThat(h.run(1)).as("an SVC retires").isEqualTo(1);
        assertThat(board.calls).containsExactly("svc 0");
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(h.cpu.pc()).isEqualTo(0x08);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4);
        assertThat(h.cpu.spsr()).isEqualTo(cpsrBefore);
        assertThat(h.cpu.cpsr() & Psr.I).isNotZero();
    }

    @Test
    void hvcAndSmcGoToTheBoard() {
        BoardCallbacks board = new BoardCallbacks();
        Harness h = new Harness(board).code(HVC, SMC).reg(0, 0x84000000);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(0)).isZero();
        h.run(1);
        assertThat(h.r(0)).isEqualTo(-1);
        assertThat(board.calls).containsExactly("hvc 1234", "smc 1");
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 8);
    }

    @Test
    void unhandledHvcIsUndefined() {
        Harness h = new Harness().code(HVC);
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.cpu.pc()).isEqualTo(0x04);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4);
    }

    @Test
    void hvcFromUserModeIsUndefinedWithoutAskingTheBoard() {
        BoardCallbacks board = new BoardCallbacks();
        Harness h = new Harness(board).mode(Modes.USR).code(HVC);
        h.run(1);
        assertThat(board.calls).isEmpty();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }

    @Test
    void unhandledBreakpointIsAPrefetchAbortDebugEvent() {
        Harness h = new Harness().code(BKPT);
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.pc()).isEqualTo(0x0C);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4);
        assertThat(h.cpu.cp15().ifsr()).isEqualTo(0b00010);
    }

    @Test
    void handledBreakpointContinues() {
        List<Integer> seen = new ArrayList<>();
        Harness h = new Harness(new CpuCallbacks() {
            @Override
            public boolean onBreakpoint(ArmCpu cpu, int imm16) {
                seen.add(imm16);
                return true;
            }
        }).code(BKPT);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(seen).containsExactly(0x12);
        assertThat(h.cpu.pc()).isEqualTo(Harness.CODE + 4);
    }

    @Test
    void udfTakesTheUndefinedInstructionException() {
        List<String> events = new ArrayList<>();
        Harness h = new Harness().code(UDF);
        h.cpu.setObserver(new CpuObserver() {
            @Override
            public void onUndefined(int pc, int word) {
                events.add(String.format("undefined %08x %08x", pc, word));
            }

            @Override
            public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                events.add(String.format("%s %08x %08x %s", kind, fromPc, vectorPc, Modes.name(newMode)));
            }
        });
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.r(14)).isEqualTo(Harness.CODE + 4);
        assertThat(h.cpu.spsr() & Psr.M).isEqualTo(Modes.SVC);
        assertThat(events).containsExactly("undefined 00008000 e7f004f2", "undefined 00008000 00000004 und");
    }

    @Test
    void unallocatedEncodingIsUndefined() {
        Harness h = new Harness().code(0xE6000010); // parallel add/subtract space, op1 = 000: unallocated (A5.4.1)
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }
}
