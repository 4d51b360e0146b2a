package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Psr;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

/** T32 loads and stores: addressing forms, literal loads from Align(PC, 4), loads to the PC, multiples, exclusives. */
class T32LoadStoreTest {
    private static final int CODE = Harness.CODE;
    private static final int DATA = 0x9000;

    @Test
    void literalLoadsUseTheWordAlignedPc() {
        // ldr r0, [pc, #4] at CODE (PC = CODE + 4) and at CODE + 2 (Align(CODE + 6, 4) = CODE + 4): both read CODE + 8
        Harness h = new Harness().thumb(0x4801, 0x4801);
        h.at(CODE + 8, 0x1234_5678);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x1234_5678);
        h = new Harness().thumb(0xBF00, 0xBF00, 0xF85F0004); // nop ; nop ; ldr.w r0, [pc, #-4] at CODE + 4: reads CODE + 4
        h.run(3);
        assertThat(h.r(0)).isEqualTo(0xF85F_0004 >>> 16 | (0x0004 << 16));
        h = new Harness().thumb(0xE9DF0102); // ldrd r0, r1, [pc, #8]
        h.at(CODE + 12, 11, 22);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(11);
        assertThat(h.r(1)).isEqualTo(22);
    }

    @Test
    void immediateIndexing() {
        Harness h = new Harness().thumb(0xF8510D04, 0xF8510B08).reg(1, DATA + 4); // ldr r0, [r1, #-4]! ; ldr r0, [r1], #8
        h.at(DATA, 0xAAAA, 0xBBBB);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xAAAA);
        assertThat(h.r(1)).isEqualTo(DATA);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0xAAAA);
        assertThat(h.r(1)).isEqualTo(DATA + 8);
    }

    @Test
    void registerOffsetSignedAndByteForms() {
        // ldr.w r0, [r1, r2, lsl #2] ; ldrsh.w r3, [r1, #2] ; strb.w r0, [r1, #-1] ; ldrsb r4, [r1, r2] ; ldrh r5, [r1, #6]
        Harness h = new Harness().thumb(0xF8510022, 0xF9B13002, 0xF8010C01, 0x568C, 0x88CD).reg(1, DATA + 4).reg(2, 1);
        h.at(DATA, 0, 0x8001_0000, 0x1234_5678);
        h.run(5);
        assertThat(h.r(0)).isEqualTo(0x1234_5678);
        assertThat(h.r(3)).isEqualTo(0xFFFF_8001);
        assertThat(h.ram.word(DATA)).isEqualTo(0x7800_0000);
        assertThat(h.r(4)).isEqualTo(0);
        assertThat(h.r(5)).isEqualTo(0x1234);
    }

    @Test
    void loadAndStoreDualWithWriteback() {
        // ldrd r2, r3, [r1, #8]! ; strd r2, r3, [r1], #-8
        Harness h = new Harness().thumb(0xE9F12302, 0xE8612302).reg(1, DATA);
        h.at(DATA + 8, 5, 6);
        h.run(1);
        assertThat(h.r(2)).isEqualTo(5);
        assertThat(h.r(3)).isEqualTo(6);
        assertThat(h.r(1)).isEqualTo(DATA + 8);
        h.reg(2, 7).run(1);
        assertThat(h.ram.word(DATA + 8)).isEqualTo(7);
        assertThat(h.r(1)).isEqualTo(DATA);
    }

    @Test
    void unprivilegedFormUsesTheOffsetWithoutWriteback() {
        Harness h = new Harness().thumb(0xF8510E04).reg(1, DATA); // ldrt r0, [r1, #4]
        h.at(DATA + 4, 99);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(99);
        assertThat(h.r(1)).isEqualTo(DATA);
    }

    @Test
    void loadsToThePcInterwork() {
        Harness h = new Harness().thumb(0xF8D1F000).reg(1, DATA); // ldr.w pc, [r1]
        h.at(DATA, 0xA000); // bit 0 clear: ARM
        h.run(1);
        assertThat(h.cpu.pc()).isEqualTo(0xA000);
        assertThat(h.cpu.cpsr() & Psr.T).isZero();
        h = new Harness().thumb(0xBD01).reg(13, DATA); // pop {r0, pc}
        h.at(DATA, 3, 0xA001);
        h.run(1);
        assertThat(h.r(0)).isEqualTo(3);
        assertThat(h.cpu.pc()).isEqualTo(0xA000);
        assertThat(h.cpu.cpsr() & Psr.T).isNotZero();
        assertThat(h.r(13)).isEqualTo(DATA + 8);
    }

    @Test
    void multiples() {
        // push {r0, r1, lr} ; ldmia.w r1!, {r2, r3, r4} ; stmdb r1, {r2, r3}
        Harness h = new Harness().thumb(0xB503, 0xE8B1001C, 0xE901000C).reg(13, DATA + 0x100).reg(0, 1).reg(1, DATA).reg(14, 2);
        h.at(DATA, 10, 20, 30);
        h.run(1);
        assertThat(h.r(13)).isEqualTo(DATA + 0x100 - 12);
        assertThat(h.ram.word(DATA + 0x100 - 12)).isEqualTo(1);
        assertThat(h.ram.word(DATA + 0x100 - 4)).isEqualTo(2);
        h.run(1);
        assertThat(new int[] {h.r(2), h.r(3), h.r(4), h.r(1)}).containsExactly(10, 20, 30, DATA + 12);
        h.run(1);
        assertThat(h.ram.word(DATA + 4)).isEqualTo(10);
        assertThat(h.ram.word(DATA + 8)).isEqualTo(20);
    }

    @Test
    void exclusivesWithAnOffsetAndAnyRegisterPair() {
        // ldrex r0, [r1, #4] ; strex r2, r0, [r1, #4] ; strex r2, r0, [r1, #4] (the monitor is clear now)
        Harness h = new Harness().thumb(0xE8510F01, 0xE8410201, 0xE8410201).reg(1, DATA);
        h.at(DATA + 4, 42);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(42);
        assertThat(h.r(2)).isZero();
        h.run(1);
        assertThat(h.r(2)).isEqualTo(1);
        // ldrexd r2, r4, [r1] ; strexd r0, r2, r4, [r1]
        h = new Harness().thumb(0xE8D1247F, 0xE8C12470).reg(1, DATA);
        h.at(DATA, 7, 8);
        h.run(2);
        assertThat(h.r(2)).isEqualTo(7);
        assertThat(h.r(4)).isEqualTo(8);
        assertThat(h.r(0)).isZero();
    }
}
