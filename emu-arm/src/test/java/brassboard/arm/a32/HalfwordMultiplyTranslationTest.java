package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.AddressSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The translator runs the signed halfword multiplies itself (CoreMark's matrix loop is SMLABB): SMLA&lt;x&gt;&lt;y&gt;
 * (A8.8.176), SMUL&lt;x&gt;&lt;y&gt; (A8.8.188), SMLAW&lt;y&gt; (A8.8.180) and SMULW&lt;y&gt; (A8.8.190), every
 * halfword selection, on operands that reach the ends of the ranges and overflow the accumulation. Each
 * result and the Q flag (cleared before each instruction; the accumulating forms set it on a signed
 * overflow) are compared with values computed here from the ARM ARM's pseudocode, the program run with
 * translation at once (threshold 1) and with translation out of reach.
 */
class HalfwordMultiplyTranslationTest {
    private static final int CODE = 0x1000;
    private static final int RESULTS = 0x20000;
    private static final int Q = 1 << 27;
    /** Rn, Rm, Ra. */
    private static final int[][] OPERANDS = {
        {0, 0, 0}, {3, 5, 7}, {0x7FFF_7FFF, 0x7FFF_7FFF, 0x7FFF_FFFF}, {0x8000_8000, 0x8000_8000, 0x7FFF_FFFF},
        {0x8000_8000, 0x8000_8000, 0}, {0x8000_0000, 0x0000_8000, 0x4000_0000}, {0x7FFF_FFFF, 0x7FFF_7FFF, 0x8000_0000},
        {-1, -1, -1}, {0x1234_5678, 0x9ABC_DEF0, 0x1111_1111}, {0xFFFF_0001, 0x0001_FFFF, 0x8000_0000},
    };

    /** r0 = op(Rn r1, Rm r2, Ra r3): the instruction's word for {@code name} and halfword selection {@code x}, {@code y}. */
    private static int encode(String name, int x, int y) {
        switch (name) {
            case "SMLAxy": return 0xE1003281 | y << 6 | x << 5;
            case "SMULxy": return 0xE1600281 | y << 6 | x << 5;
            case "SMLAWy": return 0xE1203281 | y << 6;
            case "SMULWy": return 0xE12002A1 | y << 6;
            default: throw new IllegalArgumentException(name);
        }
    }

    private static long half(int value, int top) {
        return top != 0 ? value >> 16 : (short) value;
    }

    /** {result, Q} by the pseudocode. */
    private static int[] expected(String name, int x, int y, int n, int m, int a) {
        long result;
        switch (name) {
            case "SMLAxy": result = half(n, x) * half(m, y) + a; break;
            case "SMULxy": result = half(n, x) * half(m, y); break;
            case "SMLAWy": result = (((long) n * half(m, y)) >> 16) + a; break;
            default: result = ((long) n * half(m, y)) >> 16; break;
        }
        boolean accumulates = name.startsWith("SMLA");
        return new int[] {(int) result, accumulates && result != (int) result ? Q : 0};
    }

    private static List<Integer> program(String name) {
        List<Integer> p = new ArrayList<>();
        for (int x = 0; x < 2; x++) {
            for (int y = 0; y < 2; y++) {
                for (int[] o : OPERANDS) {
                    for (int r = 0; r < 3; r++) {
                        p.add(ThreePassProgram.movw(r + 1, o[r]));
                        p.add(ThreePassProgram.movt(r + 1, o[r]));
                    }
                    p.add(0xE328F000);          // msr APSR_nzcvq, #0
                    p.add(encode(name, x, y));
                    p.add(0xE10F4000);          // mrs r4, apsr
                    p.add(0xE48A0004);          // str r0, [r10], #4
                    p.add(0xE48A4004);          // str r4, [r10], #4
                }
            }
        }
        return ThreePassProgram.around(RESULTS, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SMLAxy", "SMULxy", "SMLAWy", "SMULWy"})
    void resultsAndQAreTheSpecsTranslatedOrNot(String name) {
        for (int threshold : new int[] {1, ArmCpu.MAX_COMPILE_THRESHOLD}) {
            AddressSpace bus = ThreePassProgram.run(program(name), CODE, threshold);
            int at = RESULTS;
            for (int x = 0; x < 2; x++) {
                for (int y = 0; y < 2; y++) {
                    for (int[] o : OPERANDS) {
                        int[] want = expected(name, x, y, o[0], o[1], o[2]);
                        String what = String.format("%s x=%d y=%d n=%08x m=%08x a=%08x, threshold %d", name, x, y, o[0], o[1], o[2], threshold);
                        assertThat(ThreePassProgram.word(bus, at)).as("Rd of " + what).isEqualTo(want[0]);
                        assertThat(ThreePassProgram.word(bus, at + 4) & Q).as("Q after " + what).isEqualTo(want[1]);
                        at += 8;
                    }
                }
            }
        }
    }
}
