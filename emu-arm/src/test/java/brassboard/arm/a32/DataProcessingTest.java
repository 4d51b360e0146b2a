package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.StopReason;
import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataProcessingTest {
    private static final int ADDS = 0xE0910002; // adds r0, r1, r2
    private static final int SUBS = 0xE0510002; // subs r0, r1, r2
    private static final int ADCS = 0xE0B10002; // adcs r0, r1, r2
    private static final int SBCS = 0xE0D10002; // sbcs r0, r1, r2
    private static final int LSLS_REG = 0xE1B00211; // lsls r0, r1, r2
    private static final int LSRS_REG = 0xE1B00231; // lsrs r0, r1, r2
    private static final int ASRS_REG = 0xE1B00251; // asrs r0, r1, r2
    private static final int RORS_REG = 0xE1B00271; // rors r0, r1, r2

    private static Harness exec(int word, int r1, int r2, int nzcvIn) {
        Harness h = new Harness().code(word).reg(1, r1).reg(2, r2).flags(nzcvIn);
        assertThat(h.run(1)).isEqualTo(1);
        return h;
    }

    @ParameterizedTest(name = "{0}: r1={1} r2={2} C/flags in={3} -> r0={4} NZCV={5}")
    @CsvSource({
        // instruction, r1, r2, nzcv in, r0, nzcv out
        "ADDS, 0x7FFFFFFF, 0x00000001, 0b0000, 0x80000000, 0b1001", // signed overflow
        "ADDS, 0xFFFFFFFF, 0x00000001, 0b0000, 0x00000000, 0b0110", // carry, zero
        "ADDS, 0x80000000, 0x80000000, 0b0000, 0x00000000, 0b0111", // carry and overflow
        "ADDS, 0x00000001, 0x00000002, 0b1111, 0x00000003, 0b0000", // flags all cleared
        "SUBS, 0x00000000, 0x00000001, 0b0000, 0xFFFFFFFF, 0b1000", // borrow: C = 0
        "SUBS, 0x00000005, 0x00000005, 0b0000, 0x00000000, 0b0110", // equal: Z, no borrow: C = 1
        "SUBS, 0x80000000, 0x00000001, 0b0000, 0x7FFFFFFF, 0b0011", // overflow
        "ADCS, 0xFFFFFFFF, 0x00000000, 0b0010, 0x00000000, 0b0110", // carry in makes the carry out
        "ADCS, 0x7FFFFFFF, 0x00000000, 0b0010, 0x80000000, 0b1001", // carry in makes the overflow
        "ADCS, 0x00000001, 0x00000001, 0b0000, 0x00000002, 0b0000",
        "SBCS, 0x00000005, 0x00000005, 0b0000, 0xFFFFFFFF, 0b1000", // C = 0 subtracts one more
        "SBCS, 0x00000005, 0x00000005, 0b0010, 0x00000000, 0b0110",
        "SBCS, 0x80000000, 0x00000000, 0b0000, 0x7FFFFFFF, 0b0011", // overflow from the borrow
    })
    void arithmeticFlags(String op, String r1, String r2, String in, String r0, String out) {
        int word = switch (op) {
            case "ADDS" -> ADDS;
            case "SUBS" -> SUBS;
            case "ADCS" -> ADCS;
            default -> SBCS;
        };
        Harness h = exec(word, Integer.parseUnsignedInt(r1.substring(2), 16),
                Integer.parseUnsignedInt(r2.substring(2), 16), Integer.parseInt(in.substring(2), 2));
        assertThat(h.r(0)).isEqualTo(Integer.parseUnsignedInt(r0.substring(2), 16));
        assertThat(h.nzcv()).isEqualTo(Integer.parseInt(out.substring(2), 2));
    }

    @Test
    void rsbsOfTheMostNegativeNumberOverflows() {
        Harness h = exec(0xE2710000, 0x80000000, 0, 0); // rsbs r0, r1, #0
        assertThat(h.r(0)).isEqualTo(0x80000000);
        assertThat(h.nzcv()).isEqualTo(0b1001);
    }

    @ParameterizedTest(name = "{0} 0x{1} by {2}, C in {3} -> 0x{4}, C out {5}")
    @CsvSource({
        "LSL, 40000000, 0,   1, 40000000, 1", // shift by 0: value and carry unchanged
        "LSL, 40000000, 0,   0, 40000000, 0",
        "LSL, 00000001, 32,  0, 00000000, 1", // by 32: carry is bit 0
        "LSL, 00000001, 33,  1, 00000000, 0", // by more than 32: everything shifted out
        "LSL, 00000003, 257, 0, 00000006, 0", // only Rs<7:0> counts: 257 -> 1
        "LSL, 80000001, 1,   0, 00000002, 1",
        "LSR, 80000000, 32,  0, 00000000, 1",
        "LSR, 80000000, 33,  1, 00000000, 0",
        "LSR, 80000000, 31,  0, 00000001, 0",
        "ASR, 80000000, 32,  0, FFFFFFFF, 1",
        "ASR, 80000000, 200, 0, FFFFFFFF, 1",
        "ASR, 7FFFFFFF, 40,  1, 00000000, 0",
        "ASR, 80000000, 0,   0, 80000000, 0",
        "ROR, 80000001, 32,  0, 80000001, 1", // by 32: value unchanged, carry is bit 31
        "ROR, 80000001, 36,  1, 18000000, 0", // by 36 = by 4
        "ROR, 80000001, 0,   1, 80000001, 1",
    })
    void registerShiftedRegisterShifts(String type, String value, int amount, int carryIn, String result, int carryOut) {
        int word = switch (type) {
            case "LSL" -> LSLS_REG;
            case "LSR" -> LSRS_REG;
            case "ASR" -> ASRS_REG;
            default -> RORS_REG;
        };
        Harness h = exec(word, Integer.parseUnsignedInt(value, 16), amount, carryIn << 1 | 1);
        assertThat(h.r(0)).isEqualTo(Integer.parseUnsignedInt(result, 16));
        assertThat((h.nzcv() >> 1) & 1).as("carry").isEqualTo(carryOut);
        assertThat(h.nzcv() & 1).as("V unchanged").isEqualTo(1);
    }

    @Test
    void rrxShiftsTheCarryIn() {
        Harness h = exec(0xE1B00061, 0x00000003, 0, 0b0010); // rrxs r0, r1
        assertThat(h.r(0)).isEqualTo(0x80000001);
        assertThat(h.nzcv()).isEqualTo(0b1010);
    }

    @Test
    void immediateShiftsOfZeroAndThirtyTwo() {
        Harness h = exec(0xE1B00001, 0x80000000, 0, 0b0010); // movs r0, r1 (LSL #0): carry unchanged
        assertThat(h.nzcv()).isEqualTo(0b1010);
        h = exec(0xE1B00021, 0x80000000, 0, 0); // lsrs r0, r1, #32
        assertThat(h.r(0)).isZero();
        assertThat(h.nzcv()).isEqualTo(0b0110);
        h = exec(0xE0810042, 10, 0x80000000, 0); // add r0, r1, r2, asr #32
        assertThat(h.r(0)).isEqualTo(9);
        h = exec(0xE0210022, 0x1234, 0xFFFFFFFF, 0); // eor r0, r1, r2, lsr #32
        assertThat(h.r(0)).isEqualTo(0x1234);
    }

    @Test
    void rotatedImmediateSetsCarryFromBit31() {
        Harness h = exec(0xE3B00102, 0, 0, 0); // movs r0, #0x80000000
        assertThat(h.r(0)).isEqualTo(0x80000000);
        assertThat(h.nzcv()).isEqualTo(0b1010);
        h = exec(0xE211020F, 0x0FFFFFFF, 0, 0b0001); // ands r0, r1, #0xf0000000: zero, C from the immediate
        assertThat(h.nzcv()).isEqualTo(0b0111);
    }

    @Test
    void logicalAndCompareOperations() {
        assertThat(exec(0xE3C100FF, 0x12345678, 0, 0).r(0)).isEqualTo(0x12345600); // bic r0, r1, #0xff
        assertThat(exec(0xE3E00000, 0, 0, 0).r(0)).isEqualTo(-1); // mvn r0, #0
        assertThat(exec(0xE1810202, 0x1, 0x10, 0).r(0)).isEqualTo(0x101); // orr r0, r1, r2, lsl #4
        assertThat(exec(0xE1510002, 3, 5, 0).nzcv()).isEqualTo(0b1000); // cmp r1, r2
        assertThat(exec(0xE1710002, -5, 5, 0).nzcv()).isEqualTo(0b0110); // cmn r1, r2
        assertThat(exec(0xE3110001, 2, 0, 0b0011).nzcv()).isEqualTo(0b0111); // tst r1, #1: C, V kept
        assertThat(exec(0xE1310002, 7, 7, 0).nzcv()).isEqualTo(0b0100); // teq r1, r2
        assertThat(exec(0xE0E10002, 5, 10, 0).r(0)).isEqualTo(4); // rsc r0, r1, r2: 10 - 5 - !C
    }

    @Test
    void registerShiftedRegisterAddition() {
        Harness h = new Harness().code(0xE0810312).reg(1, 7).reg(2, 1).reg(3, 32); // add r0, r1, r2, lsl r3
        h.run(1);
        assertThat(h.r(0)).isEqualTo(7);
    }

    @Test
    void pcReadsAsTheInstructionAddressPlusEight() {
        Harness h = new Harness().code(0xE28F0004); // add r0, pc, #4
        h.run(1);
        assertThat(h.r(0)).isEqualTo(Harness.CODE + 12);
    }

    @Test
    void movwMovt() {
        Harness h = new Harness().code(0xE3010234, 0xE34A0BCD); // movw r0, #0x1234; movt r0, #0xabcd
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0xABCD1234);
    }

    @Test
    void conditionalExecution() {
        Harness h = new Harness().code(0x02800001, 0x12800001).reg(0, 0).flags(0b0100); // addeq; addne
        assertThat(h.run(2)).isEqualTo(2); // a failed condition still retires
        assertThat(h.r(0)).isEqualTo(1);
        h = new Harness().code(0xE3500000, 0xB3A00007).reg(0, -1); // cmp r0, #0; movlt r0, #7
        h.run(2);
        assertThat(h.r(0)).isEqualTo(7);
    }

    @Test
    void movPcBranchesAndInterworks() {
        Harness h = new Harness().code(0xE1A0F001).reg(1, 0x9000); // mov pc, r1
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        h = new Harness().code(0xE1A0F001).reg(1, 0x9001);
        h.thumbAt(0x9000, 0x2007); // movs r0, #7
        h.run(2);
        assertThat(h.cpu.cpsr() & brassboard.arm.core.Psr.T).isNotZero();
        assertThat(h.r(0)).isEqualTo(7);
    }

    @Test
    void subsPcLrReturnsFromAnException() {
        // In IRQ mode with SPSR = user mode, Z and C: msr spsr_fsxc, r2; subs pc, lr, #4
        Harness h = new Harness().code(0xE16FF002, 0xE25EF004).mode(Modes.IRQ);
        h.reg(2, 0x60000010).reg(14, 0x9004);
        assertThat(h.run(2)).isEqualTo(2);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.cpu.mode()).isEqualTo(Modes.USR);
        assertThat(h.nzcv()).isEqualTo(0b0110);
    }

    @Test
    void movsPcLrRestoresCpsrFromSpsr() {
        Harness h = new Harness().code(0xE16FF002, 0xE1B0F00E).mode(Modes.SVC);
        h.reg(2, 0x8000001F).reg(14, 0x9000); // SPSR = System mode, N
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SYS);
        assertThat(h.nzcv()).isEqualTo(0b1000);
    }

    @Test
    void exceptionReturnInUserModeIsUndefined() {
        Harness h = new Harness().code(0xE25EF004).mode(Modes.USR).reg(14, 0x9004);
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.cpu.pc()).isEqualTo(0x04);
    }
}
