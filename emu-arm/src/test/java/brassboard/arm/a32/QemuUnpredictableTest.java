package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.arm.core.Modes;
import brassboard.arm.core.UnpredictablePolicy.Case;
import brassboard.arm.core.UnpredictablePolicy.Choice;
import brassboard.arm.testing.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The UNPREDICTABLE cases aligned with QEMU's Cortex-A15 model (emu-arm/UNPREDICTABLE.md). Every word
 * and every expected value here was observed with {@code qemu-arm -cpu cortex-a15} (Debian QEMU 7.2) on
 * a static test program: "UNDEFINED" means the program died of SIGILL there.
 */
class QemuUnpredictableTest {
    private static final int BASE = 0x1020;

    private static int hex(String word) {
        return Integer.parseUnsignedInt(word, 16);
    }

    /** r5 = BASE, r0-r4 and r6-r12 = 0xA0 + n, the words at BASE - 32 .. BASE + 28 = 0x11110000 + n * 0x101. */
    private static Harness harness(int... code) {
        Harness h = new Harness().code(code);
        for (int n = 0; n <= 12; n++) {
            h.reg(n, 0xA0 + n);
        }
        h.reg(5, BASE);
        for (int i = 0; i < 16; i++) {
            h.at(BASE - 32 + 4 * i, 0x11110000 + i * 0x101);
        }
        return h;
    }

    private static int dataWord(int offsetFromBase) {
        int i = (offsetFromBase + 32) / 4;
        return 0x11110000 + i * 0x101;
    }

    private static void assertUndefined(Harness h, String asm) {
        assertThat(h.run(1)).as(asm).isZero();
        assertThat(h.cpu.mode()).as(asm).isEqualTo(Modes.UND);
        assertThat(h.cpu.pc()).as(asm).isEqualTo(0x04);
    }

    // ---------------------------------------------------------------- LDM / STM

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E8B50021, 'ldm r5!, {r0, r5}'",
        "E9B50021, 'ldmib r5!, {r0, r5}'",
        "E8350021, 'ldmda r5!, {r0, r5}'",
        "E9350021, 'ldmdb r5!, {r0, r5}'",
        "E9350030, 'ldmdb r5!, {r4, r5}'",
    })
    void loadMultipleWithWritebackAndTheBaseInTheListIsUndefined(String word, String asm) {
        assertUndefined(harness(hex(word)), asm);
    }

    @Test
    void loadMultipleExceptionReturnWithWritebackAndTheBaseInTheListIsUndefined() {
        // ldm r5!, {r0, r5, pc}^ in SVC mode: QEMU's check precedes its exception-return handling (read)
        assertUndefined(harness(0xE8F58021), "ldm r5!, {r0, r5, pc}^");
    }

    @Test
    void loadMultipleWithTheBaseInTheListExecutesWithoutWritebackOrWhenChosen() {
        Harness h = harness(0xE8950021); // ldm r5, {r0, r5}: not UNPREDICTABLE
        h.run(1);
        assertThat(h.r(0)).isEqualTo(dataWord(0));
        assertThat(h.r(5)).isEqualTo(dataWord(4));

        h = harness(0xE8B50021); // ldm r5!, {r0, r5}
        h.cpu.unpredictablePolicy().setChoice(Case.LOAD_MULTIPLE_WRITEBACK_BASE_IN_LIST, Choice.EXECUTE);
        h.run(1);
        assertThat(h.r(5)).as("EXECUTE: the loaded value wins").isEqualTo(dataWord(4));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // word, asm, offset of the first stored word, value stored there (-1: the original base), second, writeback
        "E8A50021, 'stmia r5!, {r0, r5}', 0, 160, -1, 8",
        "E8A50020, 'stmia r5!, {r5}',     0,  -1,  0, 4",
        "E8A50060, 'stmia r5!, {r5, r6}', 0,  -1, 166, 8",
        "E8250021, 'stmda r5!, {r0, r5}', -4, 160, -1, -8",
        "E9250021, 'stmdb r5!, {r0, r5}', -8, 160, -1, -8",
        "E9A50021, 'stmib r5!, {r0, r5}', 4, 160, -1, 8",
        "E9250030, 'stmdb r5!, {r4, r5}', -8, 164, -1, -8",
    })
    void storeMultipleWithWritebackStoresTheOriginalBaseFirstInTheListOrNot(String word, String asm, int first,
            int firstValue, int secondValue, int writeback) {
        Harness h = harness(hex(word));
        h.run(1);
        assertThat(h.ram.word(BASE + first)).as(asm).isEqualTo(firstValue == -1 ? BASE : firstValue);
        if (secondValue != 0) {
            assertThat(h.ram.word(BASE + first + 4)).as(asm).isEqualTo(secondValue == -1 ? BASE : secondValue);
        }
        assertThat(h.r(5)).as(asm).isEqualTo(BASE + writeback);
    }

    // ---------------------------------------------------------------- LDRD / STRD

    @Test
    void loadDualWithWritebackIntoRt2KeepsTheWritebackValue() {
        Harness h = harness(0xE1E540D8); // ldrd r4, r5, [r5, #8]!
        h.run(1);
        assertThat(h.r(4)).isEqualTo(dataWord(8));
        assertThat(h.r(5)).isEqualTo(BASE + 8);

        h = harness(0xE0C540D8); // ldrd r4, r5, [r5], #8
        h.run(1);
        assertThat(h.r(4)).isEqualTo(dataWord(0));
        assertThat(h.r(5)).isEqualTo(BASE + 8);

        h = harness(0xE08540D2).reg(2, 8); // ldrd r4, r5, [r5], r2
        h.run(1);
        assertThat(h.r(4)).isEqualTo(dataWord(0));
        assertThat(h.r(5)).isEqualTo(BASE + 8);
    }

    @Test
    void loadDualWithWritebackIntoRtKeepsTheWritebackValue() {
        Harness h = harness(0xE1E440D8).reg(4, BASE); // ldrd r4, r5, [r4, #8]!
        h.run(1);
        assertThat(h.r(4)).isEqualTo(BASE + 8);
        assertThat(h.r(5)).isEqualTo(dataWord(12));

        h = harness(0xE0C440D8).reg(4, BASE); // ldrd r4, r5, [r4], #8
        h.run(1);
        assertThat(h.r(4)).isEqualTo(BASE + 8);
        assertThat(h.r(5)).isEqualTo(dataWord(4));

        h = harness(0xE1A440D2).reg(4, BASE).reg(2, 8); // ldrd r4, r5, [r4, r2]!
        h.run(1);
        assertThat(h.r(4)).isEqualTo(BASE + 8);
        assertThat(h.r(5)).isEqualTo(dataWord(12));
    }

    @Test
    void loadDualWritebackOverlapCanBeMadeUndefined() {
        Harness h = harness(0xE1E540D8);
        h.cpu.unpredictablePolicy().setChoice(Case.LOAD_DUAL_WRITEBACK_OVERLAP, Choice.UNDEFINED);
        assertUndefined(h, "ldrd r4, r5, [r5, #8]!");
    }

    @Test
    void loadAndStoreDualWithOffsetRegisterClashesExecute() {
        Harness h = harness(0xE18540D4).reg(4, 8); // ldrd r4, r5, [r5, r4]: Rm == Rt
        h.run(1);
        assertThat(h.r(4)).isEqualTo(dataWord(8));
        assertThat(h.r(5)).isEqualTo(dataWord(12));

        h = harness(0xE18640D5).reg(6, BASE).reg(5, 8); // ldrd r4, r5, [r6, r5]: Rm == Rt2
        h.run(1);
        assertThat(h.r(4)).isEqualTo(dataWord(8));
        assertThat(h.r(5)).isEqualTo(dataWord(12));

        h = harness(0xE00500D5); // ldrd r0, r1, [r5], -r5: Rm == Rn with writeback
        h.run(1);
        assertThat(h.r(0)).isEqualTo(dataWord(0));
        assertThat(h.r(1)).isEqualTo(dataWord(4));
        assertThat(h.r(5)).isZero();

        h = harness(0xE18540F4).reg(4, 8); // strd r4, r5, [r5, r4]: Rm == Rt
        h.run(1);
        assertThat(h.ram.word(BASE + 8)).isEqualTo(8);
        assertThat(h.ram.word(BASE + 12)).isEqualTo(BASE);
    }

    @Test
    void storeDualWithWritebackStoresTheOriginalBase() {
        Harness h = harness(0xE1E540F8); // strd r4, r5, [r5, #8]!
        h.run(1);
        assertThat(h.ram.word(BASE + 8)).isEqualTo(0xA4);
        assertThat(h.ram.word(BASE + 12)).isEqualTo(BASE);
        assertThat(h.r(5)).isEqualTo(BASE + 8);

        h = harness(0xE1E440F8).reg(4, BASE); // strd r4, r5, [r4, #8]!
        h.run(1);
        assertThat(h.ram.word(BASE + 8)).isEqualTo(BASE);
        assertThat(h.ram.word(BASE + 12)).isEqualTo(BASE);
        assertThat(h.r(4)).isEqualTo(BASE + 8);
    }

    @Test
    void loadDualIntoR14AndPcBranchesWithoutInterworking() {
        Harness h = harness(0xE1C5E0D0); // ldrd r14, pc, [r5]
        h.at(BASE, 0x77, 0x9001);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(14)).isEqualTo(0x77);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
        assertThat(h.cpu.mode()).isEqualTo(Modes.SVC);
    }

    @Test
    void storeDualOfR14AndPcStoresTheAddressPlusEight() {
        Harness h = harness(0xE1C5E0F8).reg(14, 0xAE); // strd r14, pc, [r5, #8]
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.ram.word(BASE + 8)).isEqualTo(0xAE);
        assertThat(h.ram.word(BASE + 12)).isEqualTo(Harness.CODE + 8);
    }

    @Test
    void loadAndStoreDualWithR14CanBeMadeUndefined() {
        Harness h = harness(0xE1C5E0D0);
        h.cpu.unpredictablePolicy().setChoice(Case.LOAD_STORE_DUAL_PC, Choice.UNDEFINED);
        assertUndefined(h, "ldrd r14, pc, [r5]");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E0E540D8, 'ldrd r4, r5, [r5], #8 with W == 1'",
        "E0E640F8, 'strd r4, r5, [r6], #8 with W == 1'",
        "E0A540F2, 'strd r4, r5, [r5], r2 with W == 1'",
        "E1E550D8, 'ldrd r5, r6, [r5, #8]! (odd Rt)'",
        "E1C650F0, 'strd r5, r6, [r6] (odd Rt)'",
    })
    void loadAndStoreDualUndefinedForms(String word, String asm) {
        assertUndefined(harness(hex(word)).reg(6, BASE), asm);
    }

    // ---------------------------------------------------------------- exclusives

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E1850F90, 'strex r0, r0, [r5] (Rd == Rt)'",
        "E1855F90, 'strex r5, r0, [r5] (Rd == Rn)'",
        "E1C50F90, 'strexb r0, r0, [r5] (Rd == Rt)'",
        "E1E50F90, 'strexh r0, r0, [r5] (Rd == Rt)'",
        "E1A51F90, 'strexd r1, r0, r1, [r5] (Rd == Rt2)'",
        "E1A50F90, 'strexd r0, r0, r1, [r5] (Rd == Rt)'",
        "E1A55F90, 'strexd r5, r0, r1, [r5] (Rd == Rn)'",
    })
    void storeExclusiveWithAnOverlappingStatusRegisterIsUndefined(String word, String asm) {
        Harness h = harness(0xE195CF9F, hex(word)); // ldrex r12, [r5]; the STREX would succeed
        h.run(1);
        assertUndefined(h, asm);
    }

    @Test
    void storeExclusiveOverlapExecutedStoresTheOldValues() {
        Harness h = harness(0xE195CF9F, 0xE1850F90); // ldrex r12, [r5]; strex r0, r0, [r5]
        h.cpu.unpredictablePolicy().setChoice(Case.STORE_EXCLUSIVE_STATUS_OVERLAP, Choice.EXECUTE);
        h.run(2);
        assertThat(h.ram.word(BASE)).isEqualTo(0xA0);
        assertThat(h.r(0)).isZero();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E185FF90, 'strex pc, r0, [r5]'",
        "E1850F9F, 'strex r0, pc, [r5]'",
        "E18F0F91, 'strex r0, r1, [pc]'",
        "E1C50F9F, 'strexb r0, pc, [r5]'",
        "E1A5FF90, 'strexd pc, r0, r1, [r5]'",
        "E195FF9F, 'ldrex pc, [r5]'",
        "E19F0F9F, 'ldrex r0, [pc]'",
        "E1D5FF9F, 'ldrexb pc, [r5]'",
        "E1F5FF9F, 'ldrexh pc, [r5]'",
        "E1BF0F9F, 'ldrexd r0, r1, [pc]'",
    })
    void exclusivesWithAPcOperandAreUndefined(String word, String asm) {
        Harness h = harness(0xE195CF9F, hex(word));
        h.run(1);
        assertUndefined(h, asm);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E1A50F9E, 'strexd r0, r14, pc, [r5]'",
        "E1B5EF9F, 'ldrexd r14, pc, [r5]'",
        "E1B55F9F, 'ldrexd r5, r6, [r5] (odd Rt)'",
        "E1A50F91, 'strexd r0, r1, r2, [r5] (odd Rt)'",
    })
    void doublewordExclusivesWithABadPairAreUndefined(String word, String asm) {
        Harness h = harness(0xE195CF9F, hex(word));
        h.run(1);
        assertUndefined(h, asm);
    }

    @Test
    void loadExclusiveDoublewordIntoItsBaseExecutes() {
        Harness h = harness(0xE1B54F9F); // ldrexd r4, r5, [r5]: no writeback, so not UNPREDICTABLE
        h.run(1);
        assertThat(h.r(4)).isEqualTo(dataWord(0));
        assertThat(h.r(5)).isEqualTo(dataWord(4));
    }

    // ---------------------------------------------------------------- BFC / BFI

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E7C3139F, 'bfc r1, msb 3 < lsb 7'",
        "E7C31392, 'bfi r1, r2, msb 3 < lsb 7'",
        "E7C31F9F, 'bfc r1, msb 3 < lsb 31'",
        "E7C31F92, 'bfi r1, r2, msb 3 < lsb 31'",
    })
    void bitfieldInsertAndClearWithMsbBelowLsbAreUndefined(String word, String asm) {
        assertUndefined(harness(hex(word)), asm);
    }

    @Test
    void bitfieldWithMsbBelowLsbExecutedLeavesRdAlone() {
        Harness h = harness(0xE7C31392); // bfi r1, r2 with msb 3 < lsb 7
        h.cpu.unpredictablePolicy().setChoice(Case.BITFIELD_MSB_BELOW_LSB, Choice.EXECUTE);
        assertThat(h.run(1)).isEqualTo(1);
        assertThat(h.r(1)).isEqualTo(0xA1);
    }

    // ---------------------------------------------------------------- fixed should-be bits

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "E10E0000, 'mrs r0, APSR with bit 16 == 0'",
        "E1070000, 'mrs r0, APSR with bit 19 == 0'",
        "E10F0800, 'mrs r0, APSR with bit 11 == 1'",
        "E10F0400, 'mrs r0, APSR with bit 10 == 1'",
        "E10F0100, 'mrs r0, APSR with bit 8 == 1'",
        "E10F0001, 'mrs r0, APSR with bit 0 == 1'",
        "E10F0008, 'mrs r0, APSR with bit 3 == 1'",
        "E1280000, 'msr APSR_nzcvq, r0 with bits 15:12 == 0000'",
        "E1287000, 'msr APSR_nzcvq, r0 with bit 15 == 0'",
        "E128F100, 'msr APSR_nzcvq, r0 with bit 8 == 1'",
        "E128F400, 'msr APSR_nzcvq, r0 with bit 10 == 1'",
        "E128F800, 'msr APSR_nzcvq, r0 with bit 11 == 1'",
        "E12EFF1E, 'bx lr with bit 16 == 0'",
        "E120FF1E, 'bx lr with bits 19:16 == 0000'",
        "E12F0F1E, 'bx lr with bits 15:12 == 0000'",
        "E12FF01E, 'bx lr with bits 11:8 == 0000'",
        "E12FEF1E, 'bx lr with bit 12 == 0'",
        "E12FFE1E, 'bx lr with bit 8 == 0'",
        "E12EFF2E, 'bxj lr with bit 16 == 0'",
        "E12FF02E, 'bxj lr with bits 11:8 == 0000'",
        "E12EFF3E, 'blx lr with bit 16 == 0'",
        "E12FEF3E, 'blx lr with bit 12 == 0'",
        "E12FFE3E, 'blx lr with bit 8 == 0'",
        "E1600F11, 'clz r0, r1 with bits 19:16 == 0000'",
        "E16E0F11, 'clz r0, r1 with bit 16 == 0'",
        "E16F0011, 'clz r0, r1 with bits 11:8 == 0000'",
        "E16F0E11, 'clz r0, r1 with bit 8 == 0'",
        "E16F0711, 'clz r0, r1 with bit 11 == 0'",
    })
    void shouldBeBitsThatQemuDecodesAsFixedAreUndefined(String word, String asm) {
        assertThat(A32Decoder.decode(hex(word))).as(asm).isEqualTo(A32Decoder.UNDEFINED);
        assertUndefined(harness(hex(word)).reg(14, 0x9000), asm);
    }

    @Test
    void theCorrectlyEncodedFormsStillExecute() {
        Harness h = harness(0xE16F0F11, 0xE10F2000, 0xE128F000, 0xE12FFF1E) // clz r0, r1; mrs r2, APSR;
                .reg(14, 0x9000).reg(1, 0x100);                                // msr APSR_nzcvq, r0; bx lr
        assertThat(h.run(4)).isEqualTo(4);
        assertThat(h.r(0)).isEqualTo(23);
        assertThat(h.cpu.pc()).isEqualTo(0x9000);
    }
}
