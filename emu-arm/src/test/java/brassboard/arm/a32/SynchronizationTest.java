package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

class SynchronizationTest {
    private static final int LDREX = 0xE1910F9F; // ldrex r0, [r1]
    private static final int STREX = 0xE1812F93; // strex r2, r3, [r1]
    private static final int CLREX = 0xF57FF01F; // clrex
    private static final int DATA = 0x1000;

    private static Harness withData(int... code) {
        Harness h = new Harness().code(code).reg(1, DATA).reg(3, 0xBEEF);
        h.at(DATA, 0x11223344, 0x55667788);
        return h;
    }

    @Test
    void loadExclusiveThenStoreExclusiveSucceeds() {
        Harness h = withData(LDREX, STREX);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x11223344);
        assertThat(h.r(2)).isZero();
        assertThat(h.ram.word(DATA)).isEqualTo(0xBEEF);
    }

    @Test
    void storeExclusiveWithoutReservationFails() {
        Harness h = withData(STREX).reg(2, 7);
        h.run(1);
        assertThat(h.r(2)).isEqualTo(1);
        assertThat(h.ram.word(DATA)).isEqualTo(0x11223344);
    }

    @Test
    void clrexAndASecondStoreBreakTheReservation() {
        Harness h = withData(LDREX, CLREX, STREX);
        h.run(3);
        assertThat(h.r(2)).isEqualTo(1);
        h = withData(LDREX, STREX, STREX);
        h.run(3);
        assertThat(h.r(2)).as("the first STREX cleared the monitor").isEqualTo(1);
    }

    @Test
    void storeExclusiveToAnotherAddressOrSizeFails() {
        Harness h = withData(LDREX, 0xE1C12F93); // ldrex; strexb r2, r3, [r1]
        h.run(2);
        assertThat(h.r(2)).isEqualTo(1);
    }

    @Test
    void byteHalfwordAndDoublewordExclusives() {
        Harness h = withData(0xE1D10F9F, 0xE1C12F93); // ldrexb r0, [r1]; strexb r2, r3, [r1]
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x44);
        assertThat(h.r(2)).isZero();
        assertThat(h.ram.word(DATA)).isEqualTo(0x112233EF);

        h = withData(0xE1F10F9F, 0xE1E12F93); // ldrexh r0, [r1]; strexh r2, r3, [r1]
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x3344);
        assertThat(h.ram.word(DATA)).isEqualTo(0x1122BEEF);

        h = withData(0xE1B14F9F, 0xE1A12F94).reg(2, 9); // ldrexd r4, r5, [r1]; strexd r2, r4, r5, [r1]
        h.run(1);
        assertThat(h.r(4)).isEqualTo(0x11223344);
        assertThat(h.r(5)).isEqualTo(0x55667788);
        h.reg(4, 1).reg(5, 2);
        h.run(1);
        assertThat(h.r(2)).isZero();
        assertThat(h.ram.word(DATA)).isEqualTo(1);
        assertThat(h.ram.word(DATA + 4)).isEqualTo(2);
    }

    @Test
    void exclusivesMustBeAlignedWhateverSctlrASays() {
        Harness h = withData(LDREX).reg(1, DATA + 2);
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.ABT);
        assertThat(h.cpu.cp15().dfsr()).isEqualTo(0b00001);
    }

    @Test
    void exceptionEntryClearsTheMonitor() {
        Harness h = withData(LDREX, 0xE7F000F0); // ldrex; udf
        h.at(0x04, STREX); // the Undefined vector tries the store
        h.run(3);
        assertThat(h.r(2)).isEqualTo(1);
    }

    @Test
    void swapAndSwapByte() {
        Harness h = withData(0xE1020091).reg(2, DATA).reg(1, 0xCAFE); // swp r0, r1, [r2]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x11223344);
        assertThat(h.ram.word(DATA)).isEqualTo(0xCAFE);
        h = withData(0xE1420091).reg(2, DATA).reg(1, 0xAB); // swpb r0, r1, [r2]
        h.run(1);
        assertThat(h.r(0)).isEqualTo(0x44);
        assertThat(h.ram.word(DATA)).isEqualTo(0x112233AB);
    }
}
