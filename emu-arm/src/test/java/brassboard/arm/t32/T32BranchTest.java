package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

/** T32 branches and interworking: targets from the Thumb PC (address + 4), LR with bit 0 set. */
class T32BranchTest {
    private static final int CODE = Harness.CODE;

    private static boolean thumb(Harness h) {
        return (h.cpu.cpsr() & Psr.T) != 0;
    }

    @Test
    void sixteenBitBranches() {
        Harness h = new Harness().thumb(0xE030); // b .+100
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 100);
        h = new Harness().thumb(0xD0F9).flags(0b0100); // beq .-10, taken
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE - 10);
        h = new Harness().thumb(0xD0F9); // not taken
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 2);
    }

    @Test
    void thirtyTwoBitBranches() {
        Harness h = new Harness().thumb(0xF012B9A0); // b.w .+0x12344
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 0x12344);
        h = new Harness().thumb(0xF47EAFFE); // bne.w .-0x1000, taken
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE - 0x1000);
        h = new Harness().thumb(0xF47EAFFE).flags(0b0100); // not taken
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 4);
    }

    @Test
    void blSetsLrToTheNextInstructionWithBit0() {
        Harness h = new Harness().thumb(0xBF00, 0xF7FFFBFE); // nop ; bl .-0x800
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 2 - 0x800);
        assertThat(h.r(14)).isEqualTo((CODE + 6) | 1);
        assertThat(thumb(h)).isTrue();
    }

    @Test
    void blxImmediateGoesToArmAtAlign4() {
        Harness h = new Harness().thumb(0xBF00, 0xF000E880); // nop ; blx .+0x102 (from CODE + 2: Align(PC, 4) + 0x100)
        h.at(CODE + 0x104, 0xE3A00007); // mov r0, #7
        h.run(2);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 0x104);
        assertThat(thumb(h)).isFalse();
        assertThat(h.r(14)).isEqualTo((CODE + 6) | 1);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(7);
    }

    @Test
    void blxAndBxRegisterInterwork() {
        Harness h = new Harness().thumb(0x4798).reg(3, 0x9000); // blx r3 -> ARM
        h.at(0x9000, 0xE12FFF1E); // bx lr -> back to Thumb
        h.run(1);
        assertThat(thumb(h)).isFalse();
        assertThat(h.r(14)).isEqualTo((CODE + 2) | 1);
        h.run(1);
        assertThat(thumb(h)).isTrue();
        assertThat(h.cpu.pc()).isEqualTo(CODE + 2);
        h = new Harness().thumb(0x4718).reg(3, 0x9001); // bx r3, staying in Thumb
        h.run(1);
        assertThat(thumb(h)).isTrue();
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
    }

    @Test
    void cbzAndCbnz() {
        Harness h = new Harness().thumb(0xB141).reg(1, 0); // cbz r1, .+20
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 20);
        h = new Harness().thumb(0xB141).reg(1, 5);
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 2);
        h = new Harness().thumb(0xB941).reg(1, 5); // cbnz r1, .+20
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 20);
    }

    @Test
    void tableBranches() {
        // tbb [r1, r2] with a byte table elsewhere; tbh [pc, r2, lsl #1] with the table right after it
        Harness h = new Harness().thumb(0xE8D1F002).reg(1, 0x9000).reg(2, 2);
        h.at(0x9000, 0x05040302);
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 4 + 2 * 4);
        h = new Harness().thumb(0xE8DFF012, 0x0010, 0x0020, 0x0030).reg(2, 1);
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 4 + 2 * 0x20);
    }
}
