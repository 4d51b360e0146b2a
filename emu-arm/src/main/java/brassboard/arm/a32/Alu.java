package brassboard.arm.a32;

/**
 * The ARM ARM's shared pseudocode functions (A2.2, A5.2.4, A8.4.3), allocation-free: a function that
 * returns a (result, carry) or (result, carry, overflow) tuple packs it into a {@code long} with the
 * result in bits 31:0, the carry in bit 32 and the overflow in bit 33.
 */
public final class Alu {
    public static final int SRTYPE_LSL = 0;
    public static final int SRTYPE_LSR = 1;
    public static final int SRTYPE_ASR = 2;
    public static final int SRTYPE_ROR = 3;
    public static final int SRTYPE_RRX = 4;

    private Alu() {
    }

    public static int result(long packed) {
        return (int) packed;
    }

    public static int carry(long packed) {
        return (int) (packed >>> 32) & 1;
    }

    public static int overflow(long packed) {
        return (int) (packed >>> 33) & 1;
    }

    /** Packs (result, carry) as the functions returning a tuple do. */
    public static long pack(int result, int carry) {
        return (result & 0xFFFF_FFFFL) | ((long) carry << 32);
    }

    /** AddWithCarry(x, y, carry_in): (result, carry_out, overflow). */
    public static long addWithCarry(int x, int y, int carryIn) {
        long unsignedSum = (x & 0xFFFF_FFFFL) + (y & 0xFFFF_FFFFL) + carryIn;
        int result = (int) unsignedSum;
        int carryOut = (int) (unsignedSum >>> 32) & 1;
        int overflow = ((x ^ result) & (y ^ result)) >>> 31;
        return (result & 0xFFFF_FFFFL) | ((long) carryOut << 32) | ((long) overflow << 33);
    }

    /** Shift_C(value, type, amount, carry_in) with the SRType_* constants; amount 0 returns the input unchanged. */
    public static long shiftC(int value, int type, int amount, int carryIn) {
        if (amount == 0 && type != SRTYPE_RRX) {
            return pack(value, carryIn);
        }
        switch (type) {
            case SRTYPE_LSL:
                if (amount < 32) {
                    return pack(value << amount, (value >>> (32 - amount)) & 1);
                }
                return pack(0, amount == 32 ? value & 1 : 0);
            case SRTYPE_LSR:
                if (amount < 32) {
                    return pack(value >>> amount, (value >>> (amount - 1)) & 1);
                }
                return pack(0, amount == 32 ? value >>> 31 : 0);
            case SRTYPE_ASR:
                if (amount < 32) {
                    return pack(value >> amount, (value >> (amount - 1)) & 1);
                }
                return pack(value >> 31, value >>> 31);
            case SRTYPE_ROR: {
                int result = Integer.rotateRight(value, amount);
                return pack(result, result >>> 31);
            }
            default: // RRX
                return pack((carryIn << 31) | (value >>> 1), value & 1);
        }
    }

    /** Shift(value, type, amount, carry_in). */
    public static int shift(int value, int type, int amount, int carryIn) {
        return (int) shiftC(value, type, amount, carryIn);
    }

    /** DecodeImmShift(type, imm5) then Shift_C: the immediate-shift operand of data-processing and load/store. */
    public static long immShiftC(int value, int type, int imm5, int carryIn) {
        switch (type) {
            case 0:
                return shiftC(value, SRTYPE_LSL, imm5, carryIn);
            case 1:
                return shiftC(value, SRTYPE_LSR, imm5 == 0 ? 32 : imm5, carryIn);
            case 2:
                return shiftC(value, SRTYPE_ASR, imm5 == 0 ? 32 : imm5, carryIn);
            default:
                return imm5 == 0 ? shiftC(value, SRTYPE_RRX, 1, carryIn) : shiftC(value, SRTYPE_ROR, imm5, carryIn);
        }
    }

    /** The immediate-shifted register operand, bits [11:0] of the word, with no interest in the carry. */
    public static int immShift(int value, int word, int carryIn) {
        return (int) immShiftC(value, (word >>> 5) & 3, (word >>> 7) & 31, carryIn);
    }

    /** ARMExpandImm_C(imm12, carry_in). */
    public static long armExpandImmC(int imm12, int carryIn) {
        int unrotated = imm12 & 0xFF;
        int rotation = 2 * ((imm12 >>> 8) & 0xF);
        if (rotation == 0) {
            return pack(unrotated, carryIn);
        }
        int result = Integer.rotateRight(unrotated, rotation);
        return pack(result, result >>> 31);
    }

    /** ARMExpandImm(imm12). */
    public static int armExpandImm(int imm12) {
        return (int) armExpandImmC(imm12, 0);
    }

    /** SignedSatQ(i, N): (result, saturated) with saturated in bit 32. */
    public static long signedSatQ(long i, int n) {
        long max = (1L << (n - 1)) - 1;
        long min = -(1L << (n - 1));
        if (i > max) {
            return pack((int) max, 1);
        }
        if (i < min) {
            return pack((int) min, 1);
        }
        return pack((int) i, 0);
    }

    /** UnsignedSatQ(i, N). */
    public static long unsignedSatQ(long i, int n) {
        long max = (1L << n) - 1;
        if (i > max) {
            return pack((int) max, 1);
        }
        if (i < 0) {
            return pack(0, 1);
        }
        return pack((int) i, 0);
    }
}
