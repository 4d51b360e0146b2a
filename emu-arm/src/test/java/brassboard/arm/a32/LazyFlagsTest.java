package brassboard.arm.a32;

import static brassboard.arm.a32.ThreePassProgram.movt;
import static brassboard.arm.a32.ThreePassProgram.movw;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.AddressSpace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The translator keeps NZCV lazy after a flag-setting instruction (the operands, not the flags word)
 * and turns a following condition into a compare of the operands. This checks every condition (A8.3)
 * after every kind of setter, as a conditional ORR and as a conditional branch right after it, and the
 * flags word itself (MRS), on edge-case operands, against NZCV computed here from the ARM ARM's
 * pseudocode (AddWithCarry, the shifter's carry out; MULS leaves C and V unchanged) — also after a branch
 * to the next instruction, a merge point where the flags' kind is known only at run time. Before each setter a
 * compare leaves known flags, so that the setters that keep C or V (TST, ANDS, MULS) show which they kept.
 * Each program runs three times at a translation threshold of 1 and once with translation out of reach,
 * and both must give the spec's answer.
 */
class LazyFlagsTest {
    private static final int CODE = 0x1000;
    private static final int RESULTS = 0x20000;
    private static final int[][] PAIRS = {
        {0, 0}, {1, 0}, {0, 1}, {5, 5}, {-1, 1}, {0x7FFF_FFFF, -1}, {0x8000_0000, 1},
        {0x8000_0000, 0x8000_0000}, {-5, 3}, {3, -5}, {0x7FFF_FFFF, 0x7FFF_FFFF}, {-1, -1}, {0x4000_0000, 0x4000_0000},
    };
    /** The compare before each setter: r7 - r8. (0x80000000, 1): C and V set; (0, 1): N set, C and V clear. */
    private static final int[][] PRE = {{0x8000_0000, 1}, {0, 1}};

    /** Setters on r0 (a) and r1 (b), by name: their encoding. */
    private static final String[] SETTERS = {
        "CMP", "CMN", "SUBS", "ADDS", "RSBS", "CMPimm", "TST", "ANDSlsl", "MOVSlsr", "TEQimm", "MULS",
    };

    private static int encode(String setter) {
        switch (setter) {
            case "CMP": return 0xE1500001;     // cmp r0, r1
            case "CMN": return 0xE1700001;     // cmn r0, r1
            case "SUBS": return 0xE0502001;    // subs r2, r0, r1
            case "ADDS": return 0xE0902001;    // adds r2, r0, r1
            case "RSBS": return 0xE0702001;    // rsbs r2, r0, r1
            case "CMPimm": return 0xE3500005;  // cmp r0, #5
            case "TST": return 0xE1100001;     // tst r0, r1
            case "ANDSlsl": return 0xE0102081; // ands r2, r0, r1, lsl #1
            case "MOVSlsr": return 0xE1B020A1; // movs r2, r1, lsr #1
            case "TEQimm": return 0xE3300102;  // teq r0, #0x80000000
            case "MULS": return 0xE0120091;    // muls r2, r1, r0
            default: throw new IllegalArgumentException(setter);
        }
    }

    /** NZCV (bits 31:28) after {@code setter} on a, b with the flags {@code old} before it, by the ARM ARM. */
    private static int expectedFlags(String setter, int a, int b, int old) {
        switch (setter) {
            case "CMP":
            case "SUBS":
                return addWithCarry(a, ~b, 1);
            case "CMPimm":
                return addWithCarry(a, ~5, 1);
            case "RSBS":
                return addWithCarry(b, ~a, 1);
            case "CMN":
            case "ADDS":
                return addWithCarry(a, b, 0);
            case "TST":
                return nz(a & b) | (old & 0x3000_0000);
            case "ANDSlsl":
                return nz(a & (b << 1)) | ((b >>> 31) << 29) | (old & 0x1000_0000);
            case "MOVSlsr":
                return nz(b >>> 1) | ((b & 1) << 29) | (old & 0x1000_0000);
            case "TEQimm":
                return nz(a ^ 0x8000_0000) | (1 << 29) | (old & 0x1000_0000);
            default: // MULS
                return nz(a * b) | (old & 0x3000_0000);
        }
    }

    private static int nz(int r) {
        return (r & 0x8000_0000) | (r == 0 ? 0x4000_0000 : 0);
    }

    /** NZCV of AddWithCarry(x, y, carry) (A2.2.1). */
    private static int addWithCarry(int x, int y, int carry) {
        long unsigned = Integer.toUnsignedLong(x) + Integer.toUnsignedLong(y) + carry;
        long signed = (long) x + (long) y + carry;
        int r = (int) unsigned;
        int c = Integer.toUnsignedLong(r) == unsigned ? 0 : 1;
        int v = r == signed ? 0 : 1;
        return nz(r) | (c << 29) | (v << 28);
    }

    /** ConditionPassed (A8.3) for cond 0..13 on NZCV: written here, not ArmCore's table, so the oracle is independent. */
    private static boolean passed(int cond, int flags) {
        boolean n = (flags & 0x8000_0000) != 0;
        boolean z = (flags & 0x4000_0000) != 0;
        boolean c = (flags & 0x2000_0000) != 0;
        boolean v = (flags & 0x1000_0000) != 0;
        boolean result;
        switch (cond >> 1) {
            case 0: result = z; break;
            case 1: result = c; break;
            case 2: result = n; break;
            case 3: result = v; break;
            case 4: result = c && !z; break;
            case 5: result = n == v; break;
            default: result = n == v && !z; break;
        }
        return (cond & 1) == 0 ? result : !result;
    }

    /** ORR rd, rd, #(1 << bit), A32 modified immediate. */
    private static int orrBit(int cond, int rd, int bit) {
        // 1 << bit = ROR(imm8, 2 * rot): an even rotation of 1 or 2
        int imm8 = (bit & 1) == 0 ? 1 : 2;
        int shift = (bit & 1) == 0 ? bit : bit - 1;
        int rot = ((32 - shift) % 32) / 2;
        return cond << 28 | 0x03800000 | rd << 16 | rd << 12 | rot << 8 | imm8;
    }

    private static List<Integer> program(String setter, int[] pre) {
        List<Integer> p = new ArrayList<>();
        p.add(movw(7, pre[0]));
        p.add(movt(7, pre[0]));
        p.add(movw(8, pre[1]));
        p.add(movt(8, pre[1]));
        int set = encode(setter);
        for (int[] pair : PAIRS) {
            p.add(movw(0, pair[0]));
            p.add(movt(0, pair[0]));
            p.add(movw(1, pair[1]));
            p.add(movt(1, pair[1]));
            p.add(0xE3A03000);                  // mov r3, #0
            p.add(0xE3A05000);                  // mov r5, #0
            p.add(0xE3A04000);                  // mov r4, #0
            for (int cond = 0; cond < 14; cond++) {
                p.add(0xE1570008);              // cmp r7, r8
                p.add(set);
                p.add(orrBit(cond, 3, cond));   // orr<cond> r3, r3, #bit
                p.add(0xE1570008);
                p.add(set);
                p.add(cond << 28 | 0x0A000000);  // b<cond> over the next instruction
                p.add(orrBit(14, 5, cond));     // orr r5, r5, #bit: when not taken
                p.add(0xE1570008);
                p.add(set);
                p.add(0xEAFFFFFF);              // b to the next instruction: a merge point in the translation
                p.add(orrBit(cond, 4, cond));   // orr<cond> r4, r4, #bit, after the merge
            }
            p.add(0xE1570008);
            p.add(set);
            p.add(0xE10F6000);                  // mrs r6, apsr
            p.add(0xE1570008);
            p.add(set);
            p.add(0xEAFFFFFF);                  // b to the next instruction
            p.add(0xE10FB000);                  // mrs r11, apsr, after the merge
            p.add(0xE48A3004);                  // str r3, [r10], #4
            p.add(0xE48A5004);                  // str r5, [r10], #4
            p.add(0xE48A6004);                  // str r6, [r10], #4
            p.add(0xE48A4004);                  // str r4, [r10], #4
            p.add(0xE48AB004);                  // str r11, [r10], #4
        }
        return ThreePassProgram.around(RESULTS, p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CMP", "CMN", "SUBS", "ADDS", "RSBS", "CMPimm", "TST", "ANDSlsl", "MOVSlsr", "TEQimm", "MULS"})
    void everyConditionAfterTheSetterIsTheSpecs(String setter) {
        for (int[] pre : PRE) {
            for (int threshold : new int[] {1, ArmCpu.MAX_COMPILE_THRESHOLD}) {
                AddressSpace bus = ThreePassProgram.run(program(setter, pre), CODE, threshold);
                int old = addWithCarry(pre[0], ~pre[1], 1);
                for (int k = 0; k < PAIRS.length; k++) {
                    int a = PAIRS[k][0];
                    int b = PAIRS[k][1];
                    int flags = expectedFlags(setter, a, b, old);
                    int orrs = 0;
                    int notTaken = 0;
                    for (int cond = 0; cond < 14; cond++) {
                        if (passed(cond, flags)) {
                            orrs |= 1 << cond;
                        } else {
                            notTaken |= 1 << cond;
                        }
                    }
                    String what = String.format("%s a=%08x b=%08x, flags before %08x, threshold %d", setter, a, b, old, threshold);
                    int base = RESULTS + 20 * k;
                    assertThat(ThreePassProgram.word(bus, base + 8) & 0xF000_0000).as("NZCV after " + what).isEqualTo(flags);
                    assertThat(ThreePassProgram.word(bus, base)).as("conditional ORRs after " + what).isEqualTo(orrs);
                    assertThat(ThreePassProgram.word(bus, base + 4)).as("conditional branches after " + what).isEqualTo(notTaken);
                    assertThat(ThreePassProgram.word(bus, base + 12)).as("conditional ORRs after a merge, after " + what).isEqualTo(orrs);
                    assertThat(ThreePassProgram.word(bus, base + 16) & 0xF000_0000).as("NZCV after a merge, after " + what).isEqualTo(flags);
                }
            }
        }
    }
}
