package brassboard.arm.t32;

import static brassboard.arm.t32.DataProcessing.low;

import brassboard.arm.core.ArmCore;

/**
 * T32 load / store single and dual (ARM ARM A6.2.4, A6.3.6-A6.3.10). The 16-bit forms are A32's
 * immediate- and register-offset forms and are rewritten to them. The 32-bit forms execute here: their
 * imm12 / imm8 (P U W) / register (LSL #0-3) / literal (Align(PC, 4)) addressing and the T forms'
 * offset addressing differ from A32's. As in A32, registers change only after every access succeeded.
 */
final class LoadStore {
    private static final int P = 1 << 10;
    private static final int U = 1 << 9;
    private static final int W = 1 << 8;

    private final ArmCore core;
    private final int[] r;

    LoadStore(ArmCore core) {
        this.core = core;
        this.r = core.r;
    }

    Binding bind(String name) {
        switch (name) {
            // 16-bit: <op> <Rt>, [<Rn>, <Rm>]
            case "STR_reg16": return Binding.asA32(h -> register16(0xE7800000, h));
            case "STRH_reg16": return Binding.asA32(h -> register16(0xE18000B0, h));
            case "STRB_reg16": return Binding.asA32(h -> register16(0xE7C00000, h));
            case "LDRSB_reg16": return Binding.asA32(h -> register16(0xE19000D0, h));
            case "LDR_reg16": return Binding.asA32(h -> register16(0xE7900000, h));
            case "LDRH_reg16": return Binding.asA32(h -> register16(0xE19000B0, h));
            case "LDRB_reg16": return Binding.asA32(h -> register16(0xE7D00000, h));
            case "LDRSH_reg16": return Binding.asA32(h -> register16(0xE19000F0, h));
            // 16-bit: <op> <Rt>, [<Rn>, #imm5 scaled]
            case "STR_imm16": return Binding.asA32(h -> immediate16(0xE5800000, h) | ((h >>> 6) & 31) << 2);
            case "LDR_imm16": return Binding.asA32(h -> immediate16(0xE5900000, h) | ((h >>> 6) & 31) << 2);
            case "STRB_imm16": return Binding.asA32(h -> immediate16(0xE5C00000, h) | ((h >>> 6) & 31));
            case "LDRB_imm16": return Binding.asA32(h -> immediate16(0xE5D00000, h) | ((h >>> 6) & 31));
            case "STRH_imm16": return Binding.asA32(h -> immediate16(0xE1C000B0, h) | split8(((h >>> 6) & 31) << 1));
            case "LDRH_imm16": return Binding.asA32(h -> immediate16(0xE1D000B0, h) | split8(((h >>> 6) & 31) << 1));
            case "STR_sp16": return Binding.asA32(h -> 0xE58D0000 | low(h, 8) << 12 | (h & 0xFF) << 2);
            case "LDR_sp16": return Binding.asA32(h -> 0xE59D0000 | low(h, 8) << 12 | (h & 0xFF) << 2);
            case "LDR_lit16": return Binding.execute(this::ldrLiteral16);
            // 32-bit stores
            case "STRB_imm12": return Binding.execute(w -> storeImmediate12(w, 1));
            case "STRB_imm8": return Binding.execute(w -> storeImmediate8(w, 1));
            case "STRBT32": return Binding.execute(w -> storeUnprivileged(w, 1));
            case "STRB_reg32": return Binding.execute(w -> storeRegister(w, 1));
            case "STRH_imm12": return Binding.execute(w -> storeImmediate12(w, 2));
            case "STRH_imm8": return Binding.execute(w -> storeImmediate8(w, 2));
            case "STRHT32": return Binding.execute(w -> storeUnprivileged(w, 2));
            case "STRH_reg32": return Binding.execute(w -> storeRegister(w, 2));
            case "STR_imm12": return Binding.execute(w -> storeImmediate12(w, 4));
            case "STR_imm8": return Binding.execute(w -> storeImmediate8(w, 4));
            case "STRT32": return Binding.execute(w -> storeUnprivileged(w, 4));
            case "STR_reg32": return Binding.execute(w -> storeRegister(w, 4));
            // 32-bit loads: size 1 / 2 / 4, negative = sign-extending
            case "LDRB_imm12": return Binding.execute(w -> loadImmediate12(w, 1));
            case "LDRB_imm8": return Binding.execute(w -> loadImmediate8(w, 1));
            case "LDRBT32": return Binding.execute(w -> loadUnprivileged(w, 1));
            case "LDRB_reg32": return Binding.execute(w -> loadRegister(w, 1));
            case "LDRB_lit": return Binding.execute(w -> loadLiteral(w, 1));
            case "LDRSB_imm12": return Binding.execute(w -> loadImmediate12(w, -1));
            case "LDRSB_imm8": return Binding.execute(w -> loadImmediate8(w, -1));
            case "LDRSBT32": return Binding.execute(w -> loadUnprivileged(w, -1));
            case "LDRSB_reg32": return Binding.execute(w -> loadRegister(w, -1));
            case "LDRSB_lit": return Binding.execute(w -> loadLiteral(w, -1));
            case "LDRH_imm12": return Binding.execute(w -> loadImmediate12(w, 2));
            case "LDRH_imm8": return Binding.execute(w -> loadImmediate8(w, 2));
            case "LDRHT32": return Binding.execute(w -> loadUnprivileged(w, 2));
            case "LDRH_reg32": return Binding.execute(w -> loadRegister(w, 2));
            case "LDRH_lit": return Binding.execute(w -> loadLiteral(w, 2));
            case "LDRSH_imm12": return Binding.execute(w -> loadImmediate12(w, -2));
            case "LDRSH_imm8": return Binding.execute(w -> loadImmediate8(w, -2));
            case "LDRSHT32": return Binding.execute(w -> loadUnprivileged(w, -2));
            case "LDRSH_reg32": return Binding.execute(w -> loadRegister(w, -2));
            case "LDRSH_lit": return Binding.execute(w -> loadLiteral(w, -2));
            case "LDR_imm12": return Binding.execute(w -> loadImmediate12(w, 4));
            case "LDR_imm8": return Binding.execute(w -> loadImmediate8(w, 4));
            case "LDRT32": return Binding.execute(w -> loadUnprivileged(w, 4));
            case "LDR_reg32": return Binding.execute(w -> loadRegister(w, 4));
            case "LDR_lit": return Binding.execute(w -> loadLiteral(w, 4));
            // dual
            case "STRD_pre":
            case "STRD_post": return Binding.execute(this::storeDual);
            case "LDRD_pre":
            case "LDRD_post": return Binding.execute(this::loadDual);
            case "LDRD_lit": return Binding.execute(this::loadDualLiteral);
            default: return null;
        }
    }

    // ---------------------------------------------------------------- 16-bit rewrites

    private static int register16(int a32, int h) {
        return a32 | low(h, 3) << 16 | low(h, 0) << 12 | low(h, 6);
    }

    private static int immediate16(int a32, int h) {
        return a32 | low(h, 3) << 16 | low(h, 0) << 12;
    }

    /** An 8-bit offset in A32's imm4H:imm4L fields (bits 11:8, 3:0). */
    private static int split8(int imm) {
        return (imm & 0xF0) << 4 | (imm & 0xF);
    }

    // LDR<c> <Rt>, <label>   (T1: Align(PC, 4) + imm8:'00')
    private void ldrLiteral16(int h) {
        long data = core.read((r[15] & ~3) + ((h & 0xFF) << 2), 4, false);
        if (data != ArmCore.ABORTED) {
            r[low(h, 8)] = (int) data;
        }
    }

    // ---------------------------------------------------------------- 32-bit single

    private int rn(int w) {
        return r[(w >>> 16) & 15];
    }

    // <op>.W <Rt>, [<Rn>{, #<imm12>}]
    private void loadImmediate12(int w, int size) {
        int address = rn(w) + (w & 0xFFF);
        load(w, address, address, false, size, false);
    }

    private void storeImmediate12(int w, int size) {
        int address = rn(w) + (w & 0xFFF);
        store(w, address, address, false, size, false);
    }

    /** Whether P == 0 and W == 0, which A6.3.7-A6.3.10 make UNDEFINED (then taken). */
    private boolean undefinedIndexing(int w) {
        if ((w & (P | W)) == 0) {
            core.policy.undefined();
            return true;
        }
        return false;
    }

    private int offsetAddress8(int w) {
        return (w & U) != 0 ? rn(w) + (w & 0xFF) : rn(w) - (w & 0xFF);
    }

    // <op> <Rt>, [<Rn>, #-<imm8>]  /  [<Rn>], #+/-<imm8>  /  [<Rn>, #+/-<imm8>]!
    private void loadImmediate8(int w, int size) {
        if (!undefinedIndexing(w)) {
            load(w, (w & P) != 0 ? offsetAddress8(w) : rn(w), offsetAddress8(w), (w & W) != 0, size, false);
        }
    }

    private void storeImmediate8(int w, int size) {
        if (!undefinedIndexing(w)) {
            store(w, (w & P) != 0 ? offsetAddress8(w) : rn(w), offsetAddress8(w), (w & W) != 0, size, false);
        }
    }

    // <op>.W <Rt>, [<Rn>, <Rm>{, LSL #<imm2>}]
    private void loadRegister(int w, int size) {
        int address = rn(w) + (r[w & 15] << ((w >>> 4) & 3));
        load(w, address, address, false, size, false);
    }

    private void storeRegister(int w, int size) {
        int address = rn(w) + (r[w & 15] << ((w >>> 4) & 3));
        store(w, address, address, false, size, false);
    }

    // <op> <Rt>, <label>   (Align(PC, 4) +/- imm12)
    private void loadLiteral(int w, int size) {
        int base = r[15] & ~3;
        int address = (w & (1 << 23)) != 0 ? base + (w & 0xFFF) : base - (w & 0xFFF);
        load(w, address, address, false, size, false);
    }

    // <op>T <Rt>, [<Rn>, #<imm8>]   (the access has PL0 permissions)
    private void loadUnprivileged(int w, int size) {
        int address = rn(w) + (w & 0xFF);
        load(w, address, address, false, size, true);
    }

    private void storeUnprivileged(int w, int size) {
        int address = rn(w) + (w & 0xFF);
        store(w, address, address, false, size, true);
    }

    /** {@code size} negative: sign-extending. Rt == 15 for a word: LoadWritePC (interworking). */
    private void load(int w, int address, int offsetAddress, boolean wback, int size, boolean unprivileged) {
        int bytes = Math.abs(size);
        long data = unprivileged ? core.readUnprivileged(address, bytes) : core.read(address, bytes, false);
        if (data == ArmCore.ABORTED) {
            return;
        }
        if (wback) {
            core.setRegister((w >>> 16) & 15, offsetAddress);
        }
        int value = (int) data;
        if (size == -1) {
            value = (byte) value;
        } else if (size == -2) {
            value = (short) value;
        }
        int t = (w >>> 12) & 15;
        if (t == 15 && size == 4) {
            core.loadWritePc(value);
        } else {
            core.setRegister(t, value);
        }
    }

    private void store(int w, int address, int offsetAddress, boolean wback, int size, boolean unprivileged) {
        int value = r[(w >>> 12) & 15];
        if (!(unprivileged ? core.writeUnprivileged(address, size, value) : core.write(address, size, value, false))) {
            return;
        }
        if (wback) {
            core.setRegister((w >>> 16) & 15, offsetAddress);
        }
    }

    // ---------------------------------------------------------------- dual (A8.8.72, A8.8.210)

    private static final int DUAL_P = 1 << 24;
    private static final int DUAL_U = 1 << 23;
    private static final int DUAL_W = 1 << 21;

    private int dualOffsetAddress(int w) {
        int offset = (w & 0xFF) << 2;
        return (w & DUAL_U) != 0 ? rn(w) + offset : rn(w) - offset;
    }

    // LDRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm>}]{!}  /  [<Rn>], #+/-<imm>
    private void loadDual(int w) {
        int offsetAddress = dualOffsetAddress(w);
        if (loadPair(w, (w & DUAL_P) != 0 ? offsetAddress : rn(w)) && (w & DUAL_W) != 0) {
            core.setRegister((w >>> 16) & 15, offsetAddress);
        }
    }

    /** Rt, Rt2 = the two words at {@code address} (MemA); false when an access aborted. */
    private boolean loadPair(int w, int address) {
        long first = core.read(address, 4, true);
        if (first == ArmCore.ABORTED) {
            return false;
        }
        long second = core.read(address + 4, 4, true);
        if (second == ArmCore.ABORTED) {
            return false;
        }
        core.setRegister((w >>> 12) & 15, (int) first);
        core.setRegister((w >>> 8) & 15, (int) second);
        return true;
    }

    // STRD<c> <Rt>, <Rt2>, [<Rn>{, #+/-<imm>}]{!}  /  [<Rn>], #+/-<imm>
    private void storeDual(int w) {
        int offsetAddress = dualOffsetAddress(w);
        int address = (w & DUAL_P) != 0 ? offsetAddress : rn(w);
        if (!core.write(address, 4, r[(w >>> 12) & 15], true) || !core.write(address + 4, 4, r[(w >>> 8) & 15], true)) {
            return;
        }
        if ((w & DUAL_W) != 0) {
            core.setRegister((w >>> 16) & 15, offsetAddress);
        }
    }

    // LDRD<c> <Rt>, <Rt2>, <label>   (Align(PC, 4) +/- imm8:'00')
    private void loadDualLiteral(int w) {
        int base = r[15] & ~3;
        int offset = (w & 0xFF) << 2;
        loadPair(w, (w & DUAL_U) != 0 ? base + offset : base - offset);
    }
}
