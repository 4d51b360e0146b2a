package brassboard.boards.conformance;

import static brassboard.boards.conformance.A32Generator.setField;

import brassboard.arm.a32.Encoding;
import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;
import java.util.SplittableRandom;

/**
 * The NEON suite's generators (see {@link A32Generator}): each Advanced SIMD encoding filled with
 * random fields, Q-register operands made even, and the word kept only when it is not UNDEFINED —
 * decided by running it once on a scratch core, so that the many per-operation size restrictions
 * (A7.4) need no second copy here. (A word Brassboard wrongly finds UNDEFINED is therefore not
 * generated; one QEMU finds UNDEFINED while Brassboard does not is reported as a mismatch.) Element
 * loads and stores use the case's base register, no writeback or writeback by the transfer size
 * (Rm = 13), and only the alignment the base keeps.
 */
final class SimdCases {
    private SimdCases() {
    }

    /** A core that runs one word and says whether it ran without an exception (UNDEFINED, alignment fault). */
    private static final class Probe {
        private static final int CODE = 0x8000;
        private final ArmCpu cpu;
        private final Ram ram = new Ram("probe", 0x10000);
        private boolean exception;

        Probe() {
            AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
            bus.map(0, ram);
            cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
            cpu.setCompileBlocks(false);
            cpu.setObserver(new CpuObserver() {
                @Override
                public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                    exception = true;
                }
            });
        }

        /** Whether {@code word} runs with every core register holding an address aligned to exactly {@code alignment} (at most 8). */
        synchronized boolean runs(int word, int alignment) {
            ram.write(CODE, 4, word & 0xFFFF_FFFFL);
            cpu.reset(CODE);
            cpu.setCpsr(BrassboardRunner.USR);
            cpu.vfp().enableForUserMode();
            for (int r = 0; r < 13; r++) {
                cpu.setReg(r, 0x4000 + alignment);
            }
            cpu.setReg(14, 0x4000 + alignment);
            exception = false;
            cpu.run(1);
            return !exception;
        }
    }

    private static final Probe PROBE = new Probe();

    static void register() {
        String[] names = A32Generator.namesOfGroups("simd3", "simdimm", "simdshift", "simdmisc", "simdlong");
        A32Generator.register(SimdCases::dataProcessing, names);
        A32Generator.register(SimdCases::loadStore, A32Generator.namesOfGroups("simdldst"));
    }

    private static boolean dataProcessing(A32Generator.CaseBuilder b, Encoding e) {
        int w = b.fill(e);
        if ((w & (1 << 6)) != 0 || e.group().equals("simdmisc") || e.group().equals("simdshift")) {
            // make every register field even: Q operands must be (and most narrowing / lengthening ones)
            if (b.rnd.nextInt(4) != 0) {
                w &= ~((1 << 12) | (1 << 16) | 1);
            }
        }
        if (!PROBE.runs(w, 8)) {
            return false;
        }
        return b.add(w, e);
    }

    private static boolean loadStore(A32Generator.CaseBuilder b, Encoding e) {
        if (b.base < 0) {
            return false;
        }
        int w = b.fill(e);
        w = setField(w, 16, 4, b.base);
        boolean writeback = b.rnd.nextBoolean();
        w = setField(w, 0, 4, writeback ? 13 : 15);
        // at most 4 registers from d0-d27
        w = setField(w, 12, 4, b.rnd.nextInt(12));
        w = setField(w, 22, 1, b.rnd.nextInt(4) == 0 ? 1 : 0);
        // the probe's base is aligned exactly as much as this case's base is known to be
        if (!PROBE.runs(w, Math.min(8, b.baseAlign))) {
            return false;
        }
        int bytes = transferBytes(w);
        if (bytes < 0 || !b.fits(0, bytes, 1)) {
            return false;
        }
        if (!b.add(w, e)) {
            return false;
        }
        if (writeback) {
            b.writeback(bytes);
        }
        if (e.name().startsWith("VST")) {
            b.stored();
        }
        return true;
    }

    /** Bytes the instruction transfers (what writeback by Rm = 13 adds), or -1 when it names more registers than exist. */
    static int transferBytes(int w) {
        int vd = ((w >>> 18) & 0x10) | ((w >>> 12) & 15);
        if ((w & (1 << 23)) == 0) {
            int type = (w >>> 8) & 15;
            int[] regs = {4, 4, 4, 4, 3, 3, 3, 1, 2, 2, 2};
            int[] span = {4, 7, 4, 4, 3, 5, 3, 1, 2, 3, 2};
            if (type > 10 || vd + span[type] > 32) {
                return -1;
            }
            return 8 * regs[type];
        }
        int size = (w >>> 10) & 3;
        int structures = ((w >>> 8) & 3) + 1;
        if (size == 3) {
            size = (w >>> 6) & 3;
            if (size == 3) {
                size = 2; // VLD4 all lanes with 32-bit elements and 16-byte alignment
            }
        }
        if (vd + 2 * structures > 32) {
            return -1;
        }
        return structures << size;
    }

    /** A D register for the NEON suite: integer lanes with edge values, or singles from the VFP suite's set. */
    static long interestingD(SplittableRandom rnd) {
        switch (rnd.nextInt(4)) {
            case 0:
                return VfpCases.interestingD(rnd);
            case 1: {
                long v = 0;
                long[] bytes = {0, 1, 0x7F, 0x80, 0xFF, 0xFE, 0x40, 0x81};
                for (int i = 0; i < 8; i++) {
                    v |= (rnd.nextBoolean() ? bytes[rnd.nextInt(bytes.length)] : rnd.nextInt(256)) << (8 * i);
                }
                return v;
            }
            case 2: {
                long v = 0;
                long[] halves = {0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x8001, 0x00FF, 0x0100};
                for (int i = 0; i < 4; i++) {
                    v |= (rnd.nextBoolean() ? halves[rnd.nextInt(halves.length)] : rnd.nextInt(65536)) << (16 * i);
                }
                return v;
            }
            default:
                return ((long) A32Generator.interesting(rnd) << 32) | (A32Generator.interesting(rnd) & 0xFFFF_FFFFL);
        }
    }
}
