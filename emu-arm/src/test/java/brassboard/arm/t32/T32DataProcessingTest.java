package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.a32.Alu;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** T32 data processing: words in, registers and flags out. */
class T32DataProcessingTest {
    private static final int CODE = Harness.CODE;

    @Test
    void sixteenBitAddsSetsFlagsOutsideAnItBlock() {
        Harness h = new Harness().thumb(0x1888).reg(1, 0x7FFF_FFFF).reg(2, 1); // adds r0, r1, r2
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(0)).isEqualTo(0x8000_0000);
        assertThat(h.nzcv()).isEqualTo(0b1001);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 2);
    }

    @Test
    void sixteenBitAddInsideAnItBlockLeavesTheFlags() {
        // it eq ; addeq r0, r1, r2 (the same encoding as adds, without flags inside the block)
        Harness h = new Harness().thumb(0xBF08, 0x1888).reg(1, 0x7FFF_FFFF).reg(2, 1).flags(0b0100);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x8000_0000);
        assertThat(h.nzcv()).isEqualTo(0b0100);
    }

    @Test
    void lslsMovsRsbsAndMulsOutsideItSetFlags() {
        Harness h = new Harness().thumb(0x0048, 0x4248, 0x2000, 0x4348) // lsls r0, r1, #1; negs r0, r1; movs r0, #0; muls r0, r1
                .reg(1, 0x8000_0001);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(2);
        assertThat(h.nzcv()).isEqualTo(0b0010); // carry out of bit 31
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x7FFF_FFFF);
        assertThat(h.nzcv()).isEqualTo(0b0000); // 0 - 0x80000001: a borrow (C clear), no overflow
        h.run(1);
        assertThat(h.nzcv()).isEqualTo(0b0100); // MOVS: N Z only
        h.reg(0, 3);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(3 * 0x8000_0001);
        assertThat(h.nzcv() & 0b1100).isEqualTo(0b1000);
    }

    @ParameterizedTest(name = "ThumbExpandImm(0x{0}) = 0x{1}, carry {2}")
    @CsvSource({
        "0AB, 000000AB, 1",   // carry unchanged (C was 1)
        "1AB, 00AB00AB, 1",
        "2AB, AB00AB00, 1",
        "3AB, ABABABAB, 1",
        "400, 80000000, 1",   // '1':0000000 ROR 8: carry = bit 31
        "47F, FF000000, 1",
        "C01, 00008100, 0",   // ROR 24 of 0x81: bit 31 clear
        "FFF, 000001FE, 0",   // ROR 31 of 0xFF
    })
    void thumbExpandImm(String imm12, String value, int carry) {
        long packed = DataProcessing.thumbExpandImmC(Integer.parseInt(imm12, 16), 1);
        assertThat(Alu.result(packed)).isEqualTo(Integer.parseUnsignedInt(value, 16));
        assertThat(Alu.carry(packed)).isEqualTo(carry);
    }

    @Test
    void modifiedImmediateForms() {
        Harness h = new Harness().thumb(0xF10110FF, 0xF1114000, 0xF4513080).reg(1, 0x0100_0001);
        h.run(1); // add.w r0, r1, #0x00ff00ff
        assertThat(h.r(0)).isEqualTo(0x0100_0001 + 0x00FF_00FF);
        h.reg(1, 0x8000_0000).run(1); // adds.w r0, r1, #0x80000000
        assertThat(h.r(0)).isZero();
        assertThat(h.nzcv()).isEqualTo(0b0111);
        h.reg(1, 0).flags(0b0010).run(1); // orrs.w r0, r1, #0x10000: the rotated constant's carry (bit 31 = 0)
        assertThat(h.r(0)).isEqualTo(0x10000);
        assertThat(h.nzcv()).isEqualTo(0b0000);
    }

    @Test
    void plainBinaryImmediatesAndAdr() {
        // addw r0, r1, #4095 ; subw r2, r1, #1 ; adr r3, .+8 (at CODE + 8) ; adr.w r4, .+13 (at CODE + 10)
        Harness h = new Harness().thumb(0xF60170FF, 0xF2A10201, 0xA301, 0xF20F040B).reg(1, 10);
        h.run(4);
        assertThat(h.r(0)).isEqualTo(10 + 4095);
        assertThat(h.r(2)).isEqualTo(9);
        assertThat(h.r(3)).isEqualTo(CODE + 8 + 4 + 4); // Align(PC, 4) + 4
        assertThat(h.r(4)).isEqualTo(((CODE + 10 + 4) & ~3) + 11);
    }

    @Test
    void ornAndTheShiftedRegisterForms() {
        // orn r0, r1, r2, lsl #4 ; lsl.w r3, r1, r2 ; movs.w r4, r1, asr #3
        Harness h = new Harness().thumb(0xEA611002, 0xFA01F302, 0xEA5F04E1).reg(1, 0x8000_0010).reg(2, 0x0F00_0004);
        h.run(3);
        assertThat(h.r(0)).isEqualTo(0x8000_0010 | ~(0x0F00_0004 << 4));
        assertThat(h.r(3)).isEqualTo(0x100); // shifted by R[m]<7:0> = 4
        assertThat(h.r(4)).isEqualTo(0xF000_0002);
        assertThat(h.nzcv()).isEqualTo(0b1000);
    }

    @Test
    void highRegisterMoveAndAddToThePcBranchInThumbState() {
        Harness h = new Harness().thumb(0x468F).reg(1, 0x9001); // mov pc, r1
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.cpu.cpsr() & Psr.T).isNotZero(); // no interworking: ALUWritePC in Thumb state is BranchWritePC
        h = new Harness().thumb(0x448F).reg(1, 0x100); // add pc, r1: PC reads as the address + 4
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 4 + 0x100);
    }

    @Test
    void cmpOfHighRegisters() {
        Harness h = new Harness().thumb(0x4580).reg(8, 5).reg(0, 5); // cmp r8, r0
        h.run(1);
        assertThat(h.nzcv()).isEqualTo(0b0110);
    }
}
