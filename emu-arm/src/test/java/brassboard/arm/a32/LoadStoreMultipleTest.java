package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadStoreMultipleTest {
    private static final int BASE = 0x1010;
    private static final int MSR_SPSR_R2 = 0xE16FF002; // msr spsr_fsxc, r2

    private static Harness withData() {
        Harness h = new Harness();
        h.at(BASE - 8, 0xA0, 0xA4, 0xA8, 0xAC, 0xB0); // BASE - 8 .. BASE + 8
        return h;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // word, name, r1 loaded from (offset from BASE), r0 after
        "E8300006, ldmda r0!, -4, -8",
        "E8900006, ldmia r0,   0,  0",
        "E9B00006, ldmib r0!,  4,  8",
        "E9300006, ldmdb r0!, -8, -8",
    })
    void loadMultipleAddressingModes(String hex, String name, int firstOffset, int writeback) {
        Harness h = withData().code(Integer.parseUnsignedInt(hex, 16)).reg(0, BASE);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(1)).isEqualTo(0xA8 + firstOffset);
        assertThat(h.r(2)).isEqualTo(0xA8 + firstOffset + 4);
        assertThat(h.r(0)).isEqualTo(BASE + writeback);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "E8200006, stmda r0!, -4, -8",
        "E8A00006, stmia r0!,  0,  8",
        "E9A00006, stmib r0!,  4,  8",
    })
    void storeMultipleAddressingModes(String hex, String name, int firstOffset, int writeback) {
        Harness h = withData().code(Integer.parseUnsignedInt(hex, 16)).reg(0, BASE).reg(1, 0x11).reg(2, 0x22);
        h.run(1);
        assertThat(h.ram.word(BASE + firstOffset)).isEqualTo(0x11);
        assertThat(h.ram.word(BASE + firstOffset + 4)).isEqualTo(0x22);
        assertThat(h.r(0)).isEqualTo(BASE + writeback);
    }

    @Test
    void pushAndPopWithPc() {
        Harness h = new Harness().code(0xE92D4030, 0xE8BD8030) // push {r4, r5, lr}; pop {r4, r5, pc}
                .reg(13, 0x2000).reg(4, 4).reg(5, 5).reg(14, 0x9000);
        h.run(1);
        assertThat(h.r(13)).isEqualTo(0x1FF4);
        assertThat(h.ram.word(0x1FF4)).isEqualTo(4);
        assertThat(h.ram.word(0x1FFC)).isEqualTo(0x9000);
        h.reg(4, 0).reg(5, 0);
        h.run(1);
        assertThat(h.r(4)).isEqualTo(4);
        assertThat(h.r(5)).isEqualTo(5);
        assertThat(h.r(13)).isEqualTo(0x2000);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
    }

    @Test
    void baseInTheListLoadedValueWinsStoredValueIsTheOriginal() {
        Harness h = withData().code(0xE8900003).reg(0, BASE); // ldm r0, {r0, r1} (no writeback)
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xA8);
        h = withData().code(0xE8B00003).reg(0, BASE); // ldm r0!, {r0, r1}: UNDEFINED, as in QEMU
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        h = withData().code(0xE8A00003).reg(0, BASE).reg(1, 7); // stmia r0!, {r0, r1}
        h.run(1);
        assertThat(h.ram.word(BASE)).isEqualTo(BASE);
        assertThat(h.r(0)).isEqualTo(BASE + 8);
    }

    @Test
    void abortedLoadMultipleChangesNoRegister() {
        Harness h = new Harness().code(0xE890000E).reg(0, Harness.RAM_SIZE - 8).reg(1, 1).reg(2, 2).reg(3, 3);
        assertThat(h.run(1)).isZero(); // ldm r0, {r1, r2, r3}: the third word is outside the RAM
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.cp15().dfar()).isEqualTo(Harness.RAM_SIZE);
        assertThat(new int[] {h.r(1), h.r(2), h.r(3)}).containsExactly(1, 2, 3);
    }

    @Test
    void misalignedBaseIsAnAlignmentFault() {
        Harness h = withData().code(0xE8900006).reg(0, BASE + 2); // ldm r0, {r1, r2}
        h.run(1);
        assertThat(h.cpu.cp15().dfsr()).isEqualTo(0b00001);
    }

    @Test
    void ldmWithPcAndCaretIsAnExceptionReturn() {
        Harness h = new Harness().code(MSR_SPSR_R2, 0xE8FD8001).mode(Modes.IRQ) // ldm sp!, {r0, pc}^
                .reg(2, 0x80000010).reg(13, 0x3000);
        h.at(0x3000, 0x1234, 0x9000);
        h.run(2);
        assertThat(h.cpu.mode()).isEqualTo(Modes.USR);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.r(0)).isEqualTo(0x1234);
        assertThat(h.nzcv()).isEqualTo(0b1000);
        h.mode(Modes.IRQ);
        assertThat(h.r(13)).as("the IRQ-mode SP was written back").isEqualTo(0x3008);
    }

    @Test
    void caretFormsTransferTheUserRegisters() {
        Harness h = new Harness().code(0xE8C06000, 0xE8D06000).mode(Modes.SYS).reg(13, 0x111).reg(14, 0x222);
        h.mode(Modes.SVC).reg(13, 0x333).reg(14, 0x444).reg(0, 0x1000);
        h.run(1); // stmia r0, {sp, lr}^
        assertThat(h.ram.word(0x1000)).isEqualTo(0x111);
        assertThat(h.ram.word(0x1004)).isEqualTo(0x222);
        h.at(0x1000, 0x555, 0x666);
        h.run(1); // ldm r0, {sp, lr}^
        assertThat(h.r(13)).isEqualTo(0x333);
        h.mode(Modes.USR);
        assertThat(h.r(13)).isEqualTo(0x555);
        assertThat(h.r(14)).isEqualTo(0x666);
    }

    @Test
    void caretFormInUserModeIsUndefined() {
        Harness h = new Harness().code(0xE8C06000).mode(Modes.USR).reg(0, 0x1000);
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
    }

    @Test
    void fiqModeBanksR8ToR12() {
        Harness h = new Harness().reg(8, 8).reg(12, 12);
        h.mode(Modes.FIQ).reg(8, 0x88).reg(12, 0xCC);
        h.mode(Modes.SVC);
        assertThat(h.r(8)).isEqualTo(8);
        assertThat(h.r(12)).isEqualTo(12);
        h.mode(Modes.FIQ);
        assertThat(h.r(8)).isEqualTo(0x88);
    }
}
