package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.StopReason;
import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

class BranchTest {
    private static final int CODE = Harness.CODE;

    @Test
    void branchAndBranchWithLink() {
        Harness h = new Harness().code(0xEA00003E); // b .+0x100
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 0x100);

        h = new Harness().code(0xEB00003E); // bl .+0x100
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 0x100);
        assertThat(h.r(14)).isEqualTo(CODE + 4);

        h = new Harness().code(0xEAFFFFFE); // b . (backwards offset: -8)
        h.run(3);
        assertThat(h.cpu.pc()).isEqualTo(CODE);
    }

    @Test
    void conditionalBranch() {
        Harness h = new Harness().code(0x0A00003E).flags(0); // beq .+0x100, Z clear
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 4);
        h = new Harness().code(0x0A00003E).flags(0b0100);
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 0x100);
    }

    @Test
    void bxAndBlxRegister() {
        Harness h = new Harness().code(0xE12FFF13).reg(3, 0x9000); // bx r3
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);

        h = new Harness().code(0xE12FFF33).reg(3, 0x9000); // blx r3
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.r(14)).isEqualTo(CODE + 4);

        h = new Harness().code(0xE12FFF23).reg(3, 0x9000); // bxj r3: as BX
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
    }

    @Test
    void bxToAnOddAddressEntersThumb() {
        Harness h = new Harness().code(0xE12FFF13).reg(3, 0x9001); // bx r3
        h.thumbAt(0x9000, 0x202A); // movs r0, #42
        assertThat(h.run(2)).isEqualTo(2);
        assertThat(h.cpu.cpsr() & Psr.T).isNotZero();
        assertThat(h.r(0)).isEqualTo(42);
        assertThat(h.cpu.pc()).isEqualTo(0x9002);
    }

    @Test
    void blxImmediateAlwaysEntersThumb() {
        Harness h = new Harness().code(0xFA00003E); // blx .+0x100
        h.thumbAt(CODE + 0x100, 0x2001); // movs r0, #1
        h.run(1);
        assertThat(h.r(14)).isEqualTo(CODE + 4);
        assertThat(h.cpu.pc()).isEqualTo(CODE + 0x100);
        assertThat(h.cpu.cpsr() & Psr.T).isNotZero();
        h.run(1);
        assertThat(h.r(0)).isEqualTo(1);
    }
}
