package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.arm.core.Modes;
import brassboard.arm.core.UnpredictablePolicy;

/**
 * Load/store multiple (ARM ARM A5.5): LDM / STM in the four addressing modes (DA, IA, DB, IB) with
 * writeback (PUSH and POP are STMDB / LDM on SP), and the ^ forms: User registers, and LDM with the PC
 * as exception return. Loads collect every word before any register changes, so an abort leaves the
 * registers as they were. A store of the base register with writeback stores its value from before the
 * instruction wherever it is in the list (QEMU the same); a load of it with writeback is
 * {@code Case.LOAD_MULTIPLE_WRITEBACK_BASE_IN_LIST}.
 */
public final class LoadStoreMultiple {
    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final int P = 1 << 24;
    private static final int U = 1 << 23;
    private static final int W = 1 << 21;

    private final ArmCore core;
    private final int[] r;
    private final int[] loaded = new int[16];

    public LoadStoreMultiple(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    /** The lowest address accessed, for the P (before) and U (increment) bits of the word. */
    private int startAddress(int w) {
        int base = r[(w >>> 16) & 15];
        int bytes = 4 * Integer.bitCount(w & 0xFFFF);
        boolean increment = (w & U) != 0;
        boolean before = (w & P) != 0;
        if (increment) {
            return before ? base + 4 : base;
        }
        return before ? base - bytes : base - bytes + 4;
    }

    private int writebackValue(int w) {
        int base = r[(w >>> 16) & 15];
        int bytes = 4 * Integer.bitCount(w & 0xFFFF);
        return (w & U) != 0 ? base + bytes : base - bytes;
    }

    private boolean badList(int w) {
        return ((w & 0xFFFF) == 0 || ((w >>> 16) & 15) == 15)
                && core.policy.unpredictable(UnpredictablePolicy.Case.BAD_REGISTER_LIST);
    }

    /** LDM with writeback and the base in the list: UNPREDICTABLE in ARMv7 (UNDEFINED in QEMU). */
    private boolean baseInListWithWriteback(int w) {
        return (w & W) != 0 && (w & (1 << ((w >>> 16) & 15))) != 0
                && core.policy.unpredictable(UnpredictablePolicy.Case.LOAD_MULTIPLE_WRITEBACK_BASE_IN_LIST);
    }

    /** Reads the listed words into {@link #loaded}; {@code false} when an access aborted. */
    private boolean readAll(int w) {
        int address = startAddress(w);
        int at = core.fastReadIndex(address, 4 * Integer.bitCount(w & 0xFFFF));
        if (at >= 0) {
            // all in the page the data fast path holds: no access can abort or reach a device
            byte[] bytes = core.fastReadArray();
            for (int i = 0; i < 16; i++) {
                if ((w & (1 << i)) != 0) {
                    loaded[i] = (int) INT_LE.get(bytes, at);
                    at += 4;
                }
            }
            return true;
        }
        for (int i = 0; i < 16; i++) {
            if ((w & (1 << i)) != 0) {
                long data = core.read(address, 4, true);
                if (data == ArmCore.ABORTED) {
                    return false;
                }
                loaded[i] = (int) data;
                address += 4;
            }
        }
        return true;
    }

    private void loadMultiple(int w) {
        if (badList(w) || baseInListWithWriteback(w) || !readAll(w)) {
            return;
        }
        if ((w & W) != 0) {
            r[(w >>> 16) & 15] = writebackValue(w);
        }
        for (int i = 0; i < 15; i++) {
            if ((w & (1 << i)) != 0) {
                r[i] = loaded[i];
            }
        }
        if ((w & (1 << 15)) != 0) {
            core.loadWritePc(loaded[15]);
        }
    }

    private void storeMultiple(int w) {
        if (badList(w)) {
            return;
        }
        int address = startAddress(w);
        int at = core.fastWriteIndex(address, 4 * Integer.bitCount(w & 0xFFFF));
        if (at >= 0) {
            byte[] bytes = core.fastWriteArray();
            for (int i = 0; i < 16; i++) {
                if ((w & (1 << i)) != 0) {
                    INT_LE.set(bytes, at, r[i]);
                    at += 4;
                }
            }
        } else {
            for (int i = 0; i < 16; i++) {
                if ((w & (1 << i)) != 0) {
                    if (!core.write(address, 4, r[i], true)) {
                        return;
                    }
                    address += 4;
                }
            }
        }
        if ((w & W) != 0) {
            r[(w >>> 16) & 15] = writebackValue(w);
        }
    }

    // STMDA<c> <Rn>{!}, <registers>
    public void stmda(int w) {
        storeMultiple(w);
    }

    // LDMDA<c> <Rn>{!}, <registers>
    public void ldmda(int w) {
        loadMultiple(w);
    }

    // STM<c> <Rn>{!}, <registers>   (STMIA, STMEA)
    public void stm(int w) {
        storeMultiple(w);
    }

    // LDM<c> <Rn>{!}, <registers>   (LDMIA, LDMFD, POP)
    public void ldm(int w) {
        loadMultiple(w);
    }

    // STMDB<c> <Rn>{!}, <registers>   (STMFD, PUSH)
    public void stmdb(int w) {
        storeMultiple(w);
    }

    // LDMDB<c> <Rn>{!}, <registers>   (LDMEA)
    public void ldmdb(int w) {
        loadMultiple(w);
    }

    // STMIB<c> <Rn>{!}, <registers>   (STMFA)
    public void stmib(int w) {
        storeMultiple(w);
    }

    // LDMIB<c> <Rn>{!}, <registers>   (LDMED)
    public void ldmib(int w) {
        loadMultiple(w);
    }

    // STM{<amode>}<c> <Rn>, <registers>^
    public void stmUserRegisters(int w) {
        if (badList(w) || (core.mode == Modes.USR
                && core.policy.unpredictable(UnpredictablePolicy.Case.USER_REGISTERS_IN_USER_MODE))) {
            return;
        }
        int address = startAddress(w);
        for (int i = 0; i < 16; i++) {
            if ((w & (1 << i)) != 0) {
                if (!core.write(address, 4, core.userRegister(i), true)) {
                    return;
                }
                address += 4;
            }
        }
    }

    // LDM{<amode>}<c> <Rn>, <registers_without_pc>^
    public void ldmUserRegisters(int w) {
        if (badList(w) || (core.mode == Modes.USR
                && core.policy.unpredictable(UnpredictablePolicy.Case.USER_REGISTERS_IN_USER_MODE))) {
            return;
        }
        if (!readAll(w)) {
            return;
        }
        for (int i = 0; i < 15; i++) {
            if ((w & (1 << i)) != 0) {
                core.setUserRegister(i, loaded[i]);
            }
        }
    }

    // LDM{<amode>}<c> <Rn>{!}, <registers_with_pc>^
    public void ldmExceptionReturn(int w) {
        if (badList(w) || (!core.hasSpsr()
                && core.policy.unpredictable(UnpredictablePolicy.Case.EXCEPTION_RETURN_WITHOUT_SPSR))
                || baseInListWithWriteback(w)) {
            return;
        }
        if (!readAll(w)) {
            return;
        }
        if ((w & W) != 0) {
            r[(w >>> 16) & 15] = writebackValue(w);
        }
        for (int i = 0; i < 15; i++) {
            if ((w & (1 << i)) != 0) {
                r[i] = loaded[i];
            }
        }
        core.exceptionReturn(loaded[15], core.spsr());
    }
}
