package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

/**
 * Thumb state in the core: IT blocks and ITSTATE, exception entry from Thumb state (LR offsets of
 * ARM ARM B1.8.3, SPSR.T and ITSTATE), exception return into an IT block, WFI, CP15 and status
 * register access from T32.
 */
class ThumbStateTest {
    private static final int CODE = Harness.CODE;
    private static final int SUBS_PC_LR_4 = 0xE25EF004;
    private static final int MOVS_PC_LR = 0xE1B0F00E;

    private static int itState(int psr) {
        return ((psr >>> 25) & 3) | ((psr >>> 8) & 0xFC);
    }

    @Test
    void itThenElse() {
        Harness h = new Harness().thumb(0xBF0C, 0x2001, 0x2002); // ite eq ; moveq r0, #1 ; movne r0, #2
        h.flags(0b0100).run(3);
        assertThat(h.r(0)).isEqualTo(1);
        h = new Harness().thumb(0xBF0C, 0x2001, 0x2002);
        h.run(3);
        assertThat(h.r(0)).isEqualTo(2);
        assertThat(itState(h.cpu.cpsr())).isZero();
        assertThat(h.nzcv()).isZero(); // MOV inside the block does not set flags
    }

    @Test
    void itStateAdvancesThroughAFourInstructionBlock() {
        // itete ne ; addne r0, #1 ; addeq r0, #2 ; addne r0, #4 ; addeq r0, #8
        Harness h = new Harness().thumb(0xBF15, 0x3001, 0x3002, 0x3004, 0x3008);
        h.run(1);
        assertThat(itState(h.cpu.cpsr())).isEqualTo(0x15);
        h.run(1);
        assertThat(itState(h.cpu.cpsr())).isEqualTo(0x0A);
        h.run(3);
        assertThat(h.r(0)).isEqualTo(5);
        assertThat(itState(h.cpu.cpsr())).isZero();
        assertThat(h.cpu.instructionsRetired()).isEqualTo(5);
    }

    @Test
    void aBranchMayEndAnItBlock() {
        Harness h = new Harness().thumb(0xBF08, 0xF000B87E).flags(0b0100); // it eq ; beq.w .+0x100 (from CODE + 2)
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 2 + 0x100);
        assertThat(itState(h.cpu.cpsr())).isZero();
        h = new Harness().thumb(0xBF08, 0xF000B87E);
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 6);
    }

    @Test
    void svcFromThumbReturnsToTheNextInstructionWithItStateAdvanced() {
        // itt ne ; svcne #1 ; addne r0, #1 -- the SVC handler (ARM, at 0x8) is movs pc, lr
        Harness h = new Harness().thumb(0xBF1C, 0xDF01, 0x3001);
        h.at(0x8, MOVS_PC_LR);
        h.run(2);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        assertThat(h.cpu.pc()).isEqualTo(0x8);
        assertThat(h.r(14)).isEqualTo(CODE + 4);
        assertThat(h.cpu.spsr() & Psr.T).isNotZero();
        assertThat(itState(h.cpu.spsr())).isEqualTo(0x18); // NE, one instruction left
        assertThat(itState(h.cpu.cpsr())).isZero();
        h.run(2);
        assertThat(h.r(0)).isEqualTo(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 6);
        assertThat(itState(h.cpu.cpsr())).isZero();
    }

    @Test
    void anIrqInsideAnItBlockReturnsIntoIt() {
        // itete ne ; addne r0, #1 ; addeq r0, #2 ; addne r0, #4 ; addeq r0, #8 -- IRQ handler: subs pc, lr, #4
        Harness h = new Harness().thumb(0xBF15, 0x3001, 0x3002, 0x3004, 0x3008);
        h.at(0x18, SUBS_PC_LR_4);
        h.cpu.setCpsr(h.cpu.cpsr() & ~Psr.I);
        h.run(2);
        h.cpu.setIrqLine(true);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.IRQ);
        assertThat(h.r(14)).isEqualTo(CODE + 4 + 4);
        assertThat(itState(h.cpu.spsr())).isEqualTo(0x0A);
        assertThat(h.cpu.spsr() & Psr.T).isNotZero();
        h.cpu.setIrqLine(false);
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 4);
        assertThat(itState(h.cpu.cpsr())).isEqualTo(0x0A);
        h.run(3);
        assertThat(h.r(0)).isEqualTo(5);
        assertThat(itState(h.cpu.cpsr())).isZero();
    }

    @Test
    void undefinedInThumbLinksTheAddressPlusTwoWhateverTheSize() {
        Harness h = new Harness().thumb(0xDE00); // udf #0
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.r(14)).isEqualTo(CODE + 2);
        assertThat(h.cpu.spsr() & Psr.T).isNotZero();
        assertThat(h.cpu.cpsr() & Psr.T).isZero();
        h = new Harness().thumb(0xF7F0A000); // udf.w #0
        h.run(1);
        assertThat(h.r(14)).isEqualTo(CODE + 2);
        assertThat(h.cpu.instructionsRetired()).isZero();
    }

    @Test
    void dataAbortFromThumbLinksTheAddressPlusEight() {
        Harness h = new Harness().thumb(0x6808).reg(1, Harness.NOWHERE); // ldr r0, [r1]
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.r(14)).isEqualTo(CODE + 8);
        assertThat(h.cpu.pc()).isEqualTo(0x10);
    }

    @Test
    void anAbortOnTheSecondHalfwordIsAPrefetchAbortOfTheInstruction() {
        int at = Harness.RAM_SIZE - 2; // hw2 would be the first byte past the RAM
        Harness h = new Harness();
        h.thumbAt(at, 0xF240); // movw r0, #... (first halfword only)
        h.at(0xC, 0xEE165F50, 0xEE156F30); // prefetch abort handler: mrc IFAR -> r5 ; mrc IFSR -> r6
        h.cpu.reset(at | 1);
        h.run(3);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.r(14)).isEqualTo(at + 4);
        assertThat(h.r(5)).isEqualTo(at + 2);
        assertThat(h.r(6) & 0x40F).isEqualTo(0x8); // synchronous external abort
        assertThat(h.cpu.spsr() & Psr.T).isNotZero();
    }

    @Test
    void wfiInThumbWaitsForAnInterrupt() {
        Harness h = new Harness().thumb(0xBF30, 0x2001); // wfi ; movs r0, #1
        assertThat(h.run(5)).isEqualTo(1);
        assertThat(h.cpu.isWaitingForInterrupt()).isTrue();
        h.cpu.setIrqLine(true); // masked: still wakes WFI
        h.run(1);
        assertThat(h.r(0)).isEqualTo(1);
    }

    @Test
    void cp15AndStatusRegistersFromThumb() {
        // mrc p15, 0, r0, c0, c0, 0 (MIDR) ; mcr p15, 0, r0, c13, c0, 2 (TPIDRURW) ; mrc p15, 0, r1, c13, c0, 2
        Harness h = new Harness().thumb(0xEE100F10, 0xEE0D0F50, 0xEE1D1F50);
        h.run(3);
        assertThat(h.r(0)).isEqualTo(brassboard.arm.core.Cp15.MIDR);
        assertThat(h.r(1)).isEqualTo(brassboard.arm.core.Cp15.MIDR);
        // msr APSR_nzcvq, r1 ; mrs r0, APSR ; cpsid i ; cpsie if
        h = new Harness().thumb(0xF3818800, 0xF3EF8000, 0xB672, 0xB663).reg(1, 0xF800_0000);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0xF800_0000 | Modes.SVC | Psr.A | Psr.I | Psr.F); // MRS: T reads as 0
        h.run(2);
        assertThat(h.cpu.cpsr() & (Psr.I | Psr.F)).isZero();
    }

    @Test
    void exceptionReturnFromAThumbHandler() {
        // SCTLR.TE: the SVC handler at 0x8 is Thumb: adds r0, #1 ; subs pc, lr, #0
        Harness h = new Harness().code(0xEE012F10, 0xEF000000, 0xE3A01005) // mcr SCTLR ; svc #0 ; mov r1, #5
                .reg(2, brassboard.arm.core.Cp15.SCTLR_RESET | brassboard.arm.core.Cp15.SCTLR_TE);
        h.thumbAt(0x8, 0x3001, 0xF3DE8F00);
        h.run(5);
        assertThat(h.r(0)).isEqualTo(1);
        assertThat(h.r(1)).isEqualTo(5);
        assertThat(h.cpu.cpsr() & Psr.T).isZero();
    }

    @Test
    void anItInsideAnItBlockStartsANewBlock() {
        // it eq ; it eq ; movs r0, #1 (inside the second block: no flags)  -- QEMU does the same
        Harness h = new Harness().thumb(0xBF08, 0xBF08, 0x2001).flags(0b0100);
        h.run(3);
        assertThat(h.r(0)).isEqualTo(1);
        assertThat(h.nzcv()).isEqualTo(0b0100);
    }

    @Test
    void unpredictableT32FormsAreUndefinedAsInQemuUnlessThePolicySaysOtherwise() {
        int data = 0x9000;
        int[][] undefined = {
            {0xE8451100},         // strex r1, r1, [r5]: status register is the value
            {0xE8451500},         // strex r5, r1, [r5]: status register is the base
            {0xE8C51271},         // strexd r1, r1, r2, [r5]
            {0xE8D5117F},         // ldrexd r1, r1, [r5]: Rt == Rt2
            {0xE85F1F00},         // ldrex r1, [pc]
            {0xE8950002},         // ldmia.w r5, {r1}: one register
            {0xE8A50022},         // stmia.w r5!, {r1, r5}: writeback, base in the list
            {0xBF08, 0xD000},     // it eq ; beq: a conditional branch inside an IT block
            {0x4719},             // bx r3 with bits 2:0 not zero
        };
        for (int[] code : undefined) {
            Harness h = new Harness().thumb(code).reg(5, data).flags(0b0100);
            h.run(code.length);
            assertThat(h.cpu.mode()).as("%x", code[code.length - 1]).isEqualTo(Modes.UND);
        }
        Harness h = new Harness().thumb(0xE8950002).reg(5, data);
        h.at(data, 77);
        h.cpu.unpredictablePolicy().setChoice(brassboard.arm.core.UnpredictablePolicy.Case.T32_REGISTER_LIST,
                brassboard.arm.core.UnpredictablePolicy.Choice.EXECUTE);
        h.run(1);
        assertThat(h.r(1)).isEqualTo(77);
    }
}
