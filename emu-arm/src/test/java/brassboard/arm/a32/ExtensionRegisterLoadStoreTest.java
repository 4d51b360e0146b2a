package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.testing.Harness;
import brassboard.arm.vfp.Vfp;
import org.junit.jupiter.api.Test;

/** VLDR / VSTR / VLDM / VSTM / VPUSH / VPOP (A7.6). */
class ExtensionRegisterLoadStoreTest {
    private static final int DATA = 0x1000;

    @Test
    void vldrAndVstrMoveDoublesLowWordFirstAndSingles() {
        // vldr d16, [r0, #8]; vstr s3, [r0, #-4]
        Harness h = ExtensionRegisterTransferTest.enabled(0xEDD00B02, 0xED401A01).reg(0, DATA);
        h.at(DATA + 8, 0x44332211, 0x88776655);
        h.cpu.vfp().setS(3, 0xCAFEBABE);
        assertThat(h.run(2)).isEqualTo(2);
        assertThat(h.cpu.vfp().d[16]).isEqualTo(0x88776655_44332211L);
        assertThat(h.ram.word(DATA - 4)).isEqualTo(0xCAFEBABE);
    }

    @Test
    void vldrFromThePcUsesTheWordAlignedPcPlus8() {
        Harness h = ExtensionRegisterTransferTest.enabled(0xED9F0B02); // vldr d0, [pc, #8]
        h.at(Harness.CODE + 16, 0x00000001, 0x00000002);
        h.run(1);
        assertThat(h.cpu.vfp().d[0]).isEqualTo(0x00000002_00000001L);
    }

    @Test
    void vpushAndVpopSaveAndRestoreTheCalleeSavedRegisters() {
        // vpush {d8-d15}; then clobber and vpop {d8-d15}
        Harness h = ExtensionRegisterTransferTest.enabled(0xED2D8B10, 0xECBD8B10).reg(13, DATA + 0x100);
        Vfp v = h.cpu.vfp();
        for (int i = 8; i < 16; i++) {
            v.d[i] = 0x0101_0101_0101_0101L * i;
        }
        h.run(1);
        assertThat(h.r(13)).isEqualTo(DATA + 0x100 - 64);
        assertThat(h.ram.word(DATA + 0x100 - 64)).isEqualTo(0x08080808);
        for (int i = 8; i < 16; i++) {
            v.d[i] = 0;
        }
        h.run(1);
        assertThat(h.r(13)).isEqualTo(DATA + 0x100);
        assertThat(v.d[15]).isEqualTo(0x0F0F_0F0F_0F0F_0F0FL);
        assertThat(v.d[8]).isEqualTo(0x0808_0808_0808_0808L);
    }

    @Test
    void vldmOfSinglesWithWriteback() {
        Harness h = ExtensionRegisterTransferTest.enabled(0xECB00A04).reg(0, DATA); // vldmia r0!, {s0-s3}
        h.at(DATA, 1, 2, 3, 4);
        h.run(1);
        Vfp v = h.cpu.vfp();
        assertThat(new int[] {v.s(0), v.s(1), v.s(2), v.s(3)}).containsExactly(1, 2, 3, 4);
        assertThat(h.r(0)).isEqualTo(DATA + 16);
    }

    @Test
    void aMisalignedAddressIsAnAlignmentFault() {
        Harness h = ExtensionRegisterTransferTest.enabled(0xEDD00B02).reg(0, DATA + 2); // vldr d16, [r0, #8]
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.pc()).isEqualTo(0x10); // Data Abort vector
        assertThat(h.cpu.cp15().dfsr() & 0xF).isEqualTo(1);
    }

    @Test
    void aListPastD31IsUndefined() {
        Harness h = ExtensionRegisterTransferTest.enabled(0xECF0FB04).reg(0, DATA); // vldmia r0!, {d31-d32}
        assertThat(h.run(1)).isZero();
        assertThat(h.cpu.pc()).isEqualTo(0x4);
    }
}
