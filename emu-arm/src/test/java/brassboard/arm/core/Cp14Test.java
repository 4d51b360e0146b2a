package brassboard.arm.core;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;

/**
 * CP14 as Linux's hw_breakpoint and context switch use it: the encodings below are the ones
 * {@code get_debug_arch}, {@code reset_ctrl_regs}, {@code enable_monitor_mode} and the ThumbEE
 * save/restore execute (ARM_DBG_READ / ARM_DBG_WRITE = MRC / MCR p14, 0, Rt, c0|c1, CRm, opc2).
 */
class Cp14Test {
    private static final int UND_VECTOR = 0x04;

    /** MRC/MCR p14 with Rt = r0 (MRC) or r2 (MCR). */
    private static int mrc(int opc1, int crn, int crm, int opc2) {
        return 0xEE100E10 | (opc1 << 21) | (crn << 16) | (crm) | (opc2 << 5);
    }

    private static int mcr(int opc1, int crn, int crm, int opc2) {
        return 0xEE000E10 | (opc1 << 21) | (crn << 16) | (2 << 12) | (crm) | (opc2 << 5);
    }

    private static int read(Harness h, int word) {
        h.code(word);
        h.run(1);
        return h.r(0);
    }

    @Test
    void dbgdidrIsTheCortexA15s() {
        Harness h = new Harness();
        assertThat(read(h, mrc(0, 0, 0, 0))).isEqualTo(0x3515F021);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
        int didr = h.r(0);
        assertThat((didr >>> 16) & 0xF).as("debug architecture v7.1").isEqualTo(5);
        assertThat(((didr >>> 24) & 0xF) + 1).as("breakpoints").isEqualTo(6);
        assertThat(((didr >>> 28) & 0xF) + 1).as("watchpoints").isEqualTo(4);
    }

    @Test
    void monitorModeEnableSticksAndShowsInDscrInt() {
        Harness h = new Harness().reg(2, Cp14.DSCR_MDBGEN);
        h.code(mcr(0, 0, 2, 2), mrc(0, 0, 1, 0)); // DBGDSCRext <- MDBGen; r0 <- DBGDSCRint
        h.run(2);
        assertThat(h.r(0) & Cp14.DSCR_MDBGEN).isNotZero();
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void osLockIsSetOutOfResetAndClearedByAnyOtherValue() {
        Harness h = new Harness().reg(2, ~Cp14.CORESIGHT_KEY);
        h.code(mrc(0, 1, 1, 4), mcr(0, 1, 0, 4), mrc(0, 1, 1, 4)); // OSLSR; OSLAR <- ~key; OSLSR
        h.run(1);
        assertThat(h.r(0) & 2).as("OSLK after reset").isEqualTo(2);
        h.run(2);
        assertThat(h.r(0) & 2).as("OSLK after unlock").isZero();
        assertThat(h.r(0) & 0b1001).as("OSLM = 0b10").isEqualTo(0b1000);
        assertThat(read(new Harness(), mrc(0, 1, 3, 4))).as("OS double lock clear").isZero();
    }

    @Test
    void breakpointAndWatchpointRegistersHoldValues() {
        Harness h = new Harness().reg(2, 0x8001_0003);
        // DBGBVR5, DBGWVR3 (the last of each), DBGBCR0, DBGWCR0
        h.code(mcr(0, 0, 5, 4), mrc(0, 0, 5, 4), mcr(0, 0, 3, 6), mrc(0, 0, 3, 6));
        h.run(2);
        assertThat(h.r(0)).as("BVR low bits are RES0").isEqualTo(0x8001_0000);
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x8001_0000);
        Harness c = new Harness().reg(2, (1 << 5) | (1 << 7) | 1); // BAS[0], BAS[2], E
        c.code(mcr(0, 0, 0, 5), mrc(0, 0, 0, 5));
        c.run(2);
        assertThat(c.r(0)).as("BAS[1] copies BAS[0], BAS[3] copies BAS[2]").isEqualTo(0x1E1);
    }

    @Test
    void missingPairsAndUnknownRegistersAreUndefined() {
        Harness h = new Harness();
        h.code(mrc(0, 0, 6, 4)); // DBGBVR6: only six breakpoints (0-5)
        h.run(1);
        assertThat(h.cpu.mode()).isEqualTo(Modes.UND);
        assertThat(h.cpu.pc()).isEqualTo(UND_VECTOR);
        Harness w = new Harness();
        w.code(mrc(0, 0, 4, 7)); // DBGWCR4: only four watchpoints
        w.run(1);
        assertThat(w.cpu.mode()).isEqualTo(Modes.UND);
    }

    @Test
    void unprivilegedAccessFollowsTheTable() {
        Harness h = new Harness().mode(Modes.USR);
        h.code(mrc(0, 0, 0, 0)); // DBGDIDR is PL0-readable
        h.run(1);
        assertThat(h.r(0)).isEqualTo(Cp14.DBGDIDR);
        Harness e = new Harness().mode(Modes.USR);
        e.code(mrc(0, 0, 2, 2)); // DBGDSCRext is PL1 only
        e.run(1);
        assertThat(e.cpu.mode()).isEqualTo(Modes.UND);
    }

    @Test
    void teehbrIsUserAccessibleUntilTeecrXedIsSet() {
        Harness h = new Harness().reg(2, 0x1234_5678);
        h.code(mcr(6, 1, 0, 0), mrc(6, 1, 0, 0)); // TEEHBR <- r2; r0 <- TEEHBR
        h.run(2);
        assertThat(h.r(0)).isEqualTo(0x1234_5678);

        Harness x = new Harness().reg(2, 0xFFFF_FFFF);
        x.code(mcr(6, 0, 0, 0), mrc(6, 0, 0, 0)); // TEECR <- ~0: only XED sticks
        x.run(2);
        assertThat(x.r(0)).isEqualTo(1);

        Harness u = new Harness().mode(Modes.USR);
        u.code(mrc(6, 1, 0, 0));
        u.run(1);
        assertThat(u.cpu.mode()).as("TEEHBR at PL0 with XED clear").isEqualTo(Modes.USR);
    }

    @Test
    void idDfr0AdvertisesV71DebugWithoutPmu() {
        assertThat(read(new Harness(), 0xEE100F51)).isEqualTo(0x00000555); // mrc p15, 0, r0, c0, c1, 2
    }
}
