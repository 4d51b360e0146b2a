package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.core.Cp15;
import brassboard.arm.core.Modes;
import brassboard.arm.core.Psr;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import org.junit.jupiter.api.Test;

/**
 * Decoded T32 code in the code cache: self-modifying code and DMA see their new instructions, and a
 * 32-bit instruction across a page boundary runs with the MMU on (and aborts precisely when its
 * second page is not mapped).
 */
class ThumbCodeCacheTest {
    private static final int L1 = 0x4000;
    private static final int L2 = 0x3000;
    private static final int VA = 0x4000_0000;
    private static final int PAGE_A = 0x20000;
    private static final int PAGE_B = 0x31000;

    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final ArmCpu cpu;

    ThumbCodeCacheTest() {
        bus.map(0, new Ram("ram", 0x10_0000));
        cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
    }

    private void half(long address, int... halfwords) {
        for (int i = 0; i < halfwords.length; i++) {
            bus.write(address + 2L * i, 2, halfwords[i], Masters.DEBUG);
        }
    }

    @Test
    void selfModifyingThumbCodeRunsItsNewInstruction() {
        // loop: movs r0, #1 ; strh r2, [r1] (rewrites the movs into movs r0, #2) ; b loop
        half(0x8000, 0x2001, 0x800A, 0xE7FC);
        cpu.reset(0x8001);
        cpu.setReg(1, 0x8000);
        cpu.setReg(2, 0x2002);
        cpu.run(3);
        assertThat(cpu.reg(0)).isEqualTo(1);
        cpu.run(1);
        assertThat(cpu.reg(0)).isEqualTo(2);
        // writes by another master (DMA, a debugger): the cached strh (the next instruction) becomes a nop
        bus.write(0x8000, 2, 0x2003, Masters.DEBUG);
        bus.write(0x8002, 2, 0xBF00, Masters.DEBUG);
        cpu.run(3);
        assertThat(cpu.reg(0)).isEqualTo(3);
    }

    @Test
    void aTranslatedA32BlockStopsWhenAnAluWriteOfThePcEntersThumbAtTheNextAddress() {
        // add r0, pc, #1 ; mov pc, r0 (to 0x8008 in Thumb state) ; then T32: movs r0, #42 ; b .+0x344,
        // whose bytes are also a valid A32 instruction (mov r2, r10, lsr #32) a block could run on with
        bus.write(0x8000, 4, 0xE28F0001L, Masters.DEBUG);
        bus.write(0x8004, 4, 0xE1A0F000L, Masters.DEBUG);
        half(0x8008, 0x202A, 0xE1A0);
        bus.write(0x800C, 4, 0xEAFFFFFEL, Masters.DEBUG); // b . (A32): the block ends here
        for (boolean translate : new boolean[] {false, true}) {
            cpu.setCompileBlocks(translate);
            cpu.setCompileThreshold(1);
            cpu.reset(0x8000);
            cpu.run(2);
            cpu.reset(0x8000);
            cpu.run(4);
            assertThat(cpu.mode()).as("translate " + translate).isEqualTo(Modes.SVC);
            assertThat(cpu.cpsr() & Psr.T).isNotZero();
            assertThat(cpu.reg(0)).isEqualTo(42);
            assertThat(cpu.pc()).isEqualTo(0x800A + 4 + 0x340);
        }
        assertThat(cpu.blocksCompiled()).isPositive();
    }

    private void mmuOn() {
        bus.write(L1, 4, 0x0000_0C0E, Masters.DEBUG);                // VA 0-1 MiB: section, flat
        bus.write(L1 + (0x400 << 2), 4, L2 | 1, Masters.DEBUG);      // VA 0x40000000: page table
        bus.write(L2, 4, PAGE_A | 0b11 << 4 | 1 << 3 | 0b10, Masters.DEBUG); // VA page 0 -> PAGE_A
        Cp15 cp15 = cpu.cp15();
        cp15.mcr(0, 2, 0, 0, L1, true);
        cp15.mcr(0, 3, 0, 0, 0x5555_5555, true);
        cp15.mcr(0, 1, 0, 0, Cp15.SCTLR_RESET | Cp15.SCTLR_M, true);
    }

    @Test
    void aThirtyTwoBitInstructionAcrossAPageBoundaryRunsWithTheMmuOn() {
        mmuOn();
        bus.write(L2 + 4, 4, PAGE_B | 0b11 << 4 | 1 << 3 | 0b10, Masters.DEBUG); // VA page 1 -> PAGE_B (not adjacent)
        half(PAGE_A + 0xFFC, 0x2005, 0xF241);  // movs r0, #5 ; movw r1, #0x1234 (hw1)
        half(PAGE_B, 0x2134, 0x2207);          // (hw2) ; movs r2, #7
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | Modes.SVC | Psr.T);
        cpu.setReg(15, VA + 0xFFC);
        assertThat(cpu.run(3)).isEqualTo(3);
        assertThat(cpu.reg(0)).isEqualTo(5);
        assertThat(cpu.reg(1)).isEqualTo(0x1234);
        assertThat(cpu.reg(2)).isEqualTo(7);
        assertThat(cpu.pc()).isEqualTo(VA + 0x1004);
    }

    @Test
    void aFaultOnTheSecondPageIsAPrefetchAbortOfTheInstruction() {
        mmuOn();
        half(PAGE_A + 0xFFE, 0xF241);           // movw r1, ... whose second halfword is on an unmapped page
        half(0xC, 0x5F50, 0xEE16);              // prefetch abort vector (ARM): mrc p15, 0, r5, c6, c0, 2 (IFAR)
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | Modes.SVC | Psr.T);
        cpu.setReg(15, VA + 0xFFE);
        cpu.run(2);
        assertThat(cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(cpu.reg(14)).isEqualTo(VA + 0xFFE + 4);
        assertThat(cpu.reg(5)).isEqualTo(VA + 0x1000);
        assertThat(cpu.spsr() & Psr.T).isNotZero();
        assertThat(cpu.instructionsRetired()).isEqualTo(1); // the MRC; the aborted instruction did not retire
    }
}
