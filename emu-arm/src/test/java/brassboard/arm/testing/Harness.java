package brassboard.arm.testing;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.core.Psr;

/**
 * A core on a 128 KiB test RAM at address 0 (so the low exception vectors are RAM), with code placed
 * at {@link #CODE} and the core reset there.
 */
public final class Harness {
    public static final int RAM_SIZE = 0x20000;
    public static final int CODE = 0x8000;
    /** An address just past the RAM: accesses there are bus errors. */
    public static final int NOWHERE = 0x4000_0000;

    public final TestRam ram = new TestRam(0, RAM_SIZE);
    public final ArmCpu cpu;

    public Harness() {
        this(CpuCallbacks.NONE);
    }

    public Harness(CpuCallbacks callbacks) {
        cpu = new ArmCpu(0, ram, callbacks);
        cpu.reset(CODE);
    }

    /** Places {@code words} at {@link #CODE}. */
    public Harness code(int... words) {
        ram.putWords(CODE, words);
        return this;
    }

    /**
     * Places T32 code at {@link #CODE} and resets the core there in Thumb state. Each argument is one
     * halfword (0x0000-0xFFFF) or, above 0xFFFF, a 32-bit instruction written hw1 first (0xF1000001
     * for hw1 = 0xF100, hw2 = 0x0001), as the ARM ARM writes them.
     */
    public Harness thumb(int... instructions) {
        thumbAt(CODE, instructions);
        cpu.reset(CODE | 1);
        return this;
    }

    /** Places T32 code (see {@link #thumb}) at {@code address}; returns the address after it. */
    public int thumbAt(int address, int... instructions) {
        int a = address;
        for (int insn : instructions) {
            if ((insn & 0xFFFF0000) != 0) {
                putHalf(a, insn >>> 16);
                putHalf(a + 2, insn & 0xFFFF);
                a += 4;
            } else {
                putHalf(a, insn);
                a += 2;
            }
        }
        return a;
    }

    private void putHalf(int address, int value) {
        ram.putByte(address & 0xFFFF_FFFFL, value & 0xFF);
        ram.putByte((address + 1) & 0xFFFF_FFFFL, (value >>> 8) & 0xFF);
    }

    public Harness at(int address, int... words) {
        ram.putWords(address & 0xFFFF_FFFFL, words);
        return this;
    }

    public Harness reg(int n, int value) {
        cpu.setReg(n, value);
        return this;
    }

    public int r(int n) {
        return cpu.reg(n);
    }

    /** Runs {@code n} steps; returns the instructions retired. */
    public int run(int n) {
        return cpu.run(n);
    }

    /** Sets the NZCV flags from a 4-bit value (N = bit 3). */
    public Harness flags(int nzcv) {
        cpu.setCpsr((cpu.cpsr() & ~Psr.NZCV) | (nzcv << 28));
        return this;
    }

    /** The NZCV flags as a 4-bit value (N = bit 3). */
    public int nzcv() {
        return cpu.cpsr() >>> 28;
    }

    /** Switches to {@code mode} (a CPSR.M value) keeping the other CPSR bits. */
    public Harness mode(int mode) {
        cpu.setCpsr((cpu.cpsr() & ~Psr.M) | mode);
        return this;
    }
}
