package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncodingTableTest {
    private final EncodingTable table = A32Decoder.table();

    @Test
    void noTwoEncodingsOverlapUnlessTheOverlapIsListedWithAReason() {
        List<String> unlisted = new ArrayList<>();
        List<Encoding> all = table.encodings();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Encoding a = all.get(i);
                Encoding b = all.get(j);
                if (a.overlaps(b) && table.overlapReason(a.name(), b.name()) == null) {
                    unlisted.add(a.name() + " " + a.pattern() + " / " + b.name() + " " + b.pattern());
                }
            }
        }
        assertThat(unlisted).as("overlapping encodings not listed in encodings.txt").isEmpty();
    }

    @Test
    void everyListedOverlapIsRealAndResolvedBySpecificity() {
        List<Encoding> all = table.encodings();
        for (Encoding a : all) {
            for (Encoding b : all) {
                if (a != b && table.overlapReason(a.name(), b.name()) != null) {
                    assertThat(a.overlaps(b)).as(a.name() + " / " + b.name()).isTrue();
                    // one must be a special case of the other, so that most-specific-first picks it
                    Encoding special = a.specificity() > b.specificity() ? a : b;
                    Encoding general = special == a ? b : a;
                    assertThat(special.specificity()).as(a.name() + " / " + b.name()).isGreaterThan(general.specificity());
                    assertThat(general.mask() & ~special.mask()).as(special.name() + " refines " + general.name()).isZero();
                }
            }
        }
    }

    @Test
    void randomInstancesOfEveryEncodingDecodeToItOrToAListedSpecialCase() {
        Random random = new Random(42);
        Encoding[] decoded = A32Decoder.encodings();
        for (Encoding e : table.encodings()) {
            for (int k = 0; k < 200; k++) {
                int word = (random.nextInt() & ~e.mask()) | e.value();
                if (e.conditional()) {
                    word = (word & 0x0FFFFFFF) | (random.nextInt(15) << 28);
                }
                int index = A32Decoder.decode(word);
                assertThat(index).as("%s 0x%08x", e.name(), word).isNotEqualTo(A32Decoder.UNDEFINED);
                Encoding got = decoded[index];
                if (!got.name().equals(e.name())) {
                    assertThat(table.overlapReason(got.name(), e.name()))
                            .as("0x%08x is %s but decoded as %s", word, e.name(), got.name()).isNotNull();
                }
            }
        }
    }

    @ParameterizedTest(name = "0x{0} decodes as {1}")
    @CsvSource({
        "E0910002, ADD_reg",    // adds r0, r1, r2
        "F57FF05F, DMB",        // dmb sy
        "E320F003, WFI",        // wfi
        "E320F000, NOP",        // nop
        "E320F001, YIELD",      // yield
        "E321F013, MSR_imm",    // msr CPSR_c, #19
        "E92D4010, STMDB",      // push {r4, lr}
        "E8BD8010, LDM",        // pop {r4, pc}
        "E8D08002, LDM_eret",   // ldm r0, {r1, pc}^
        "E8C00006, STM_usr",    // stmia r0, {r1, r2}^
        "E1910F9F, LDREX",      // ldrex r0, [r1]
        "F57FF01F, CLREX",      // clrex
        "E6EF0071, UXTB",       // uxtb r0, r1
        "E6A10072, SXTAB",      // sxtab r0, r1, r2
        "E7CB021F, BFC",        // bfc r0, #4, #8
        "E7CB0211, BFI",        // bfi r0, r1, #4, #8
        "E4B10004, LDRT_imm",   // ldrt r0, [r1], #4
        "E1D100B2, LDRH_imm",   // ldrh r0, [r1, #2]
        "E0F100D0, LDRSBT_imm", // ldrsbt r0, [r1], #0
        "E0E100B0, STRHT_imm",  // strht r0, [r1], #0
        "E1C200D0, LDRD_imm",   // ldrd r0, r1, [r2]
        "EE010F10, MCR",        // mcr p15, 0, r0, c1, c0, 0
        "EF123456, SVC",        // svc 0x123456
        "F5D0F000, PLD_imm",    // pld [r0]
        "E0000291, MUL",        // mul r0, r1, r2
        "E1020091, SWP",        // swp r0, r1, [r2]
        "E710F211, SDIV",       // sdiv r0, r1, r2
        "E12FFF1E, BX",         // bx lr
        "E12FFF33, BLX_reg",    // blx r3
        "E16F0F11, CLZ",        // clz r0, r1
        "E6BF0F31, REV",        // rev r0, r1
        "F10C0080, CPS",        // cpsid i
        "E7F000F0, UDF",        // udf #0
        "EEF80A10, VMRS",       // vmrs r0, fpexc
        "EEE11A10, VMSR",       // vmsr fpscr, r1
        "EE002A90, VMOV_s_r",   // vmov s1, r2
        "EC510B31, VMOV_rr_d",  // vmov r0, r1, d17
        "EE410B70, VMOV_x_r",   // vmov.8 d1[3], r0
        "EEA20B30, VDUP_r",     // vdup.16 q1, r0
        "ED2D8B10, VSTM_db",    // vpush {d8-d15}
        "ECBD8B10, VLDM_ia",    // vpop {d8-d15}
        "EDD00B02, VLDR",       // vldr d16, [r0, #8]
        "EE300A81, VADD_f",     // vadd.f32 s0, s1, s2
    })
    void decodesAssemblerOutput(String hex, String name) {
        int index = A32Decoder.decode(Integer.parseUnsignedInt(hex, 16));
        assertThat(index).isNotEqualTo(A32Decoder.UNDEFINED);
        assertThat(A32Decoder.encodings()[index].name()).isEqualTo(name);
    }

    @Test
    void unallocatedWordsAreUndefined() {
        assertThat(A32Decoder.decode(0xE6000010)).isEqualTo(A32Decoder.UNDEFINED); // parallel add/sub: not yet
        assertThat(A32Decoder.decode(0xF0000000)).isEqualTo(A32Decoder.UNDEFINED); // unconditional space hole
        assertThat(A32Decoder.decode(0xFEE00000)).isEqualTo(A32Decoder.UNDEFINED); // CDP2 / MCR2: not CP15
    }

    @Test
    void theUnconditionalSpaceNeverMatchesConditionalEncodings() {
        // 0xF2800001 would be ADD_imm with cond 1111: it is an Advanced SIMD encoding (VADDL.S8)
        assertThat(A32Decoder.encodings()[A32Decoder.decode(0xF2800001)].name()).isEqualTo("VADDL");
        // 0xFA000000 is BLX (immediate), not B with cond 1111
        assertThat(A32Decoder.encodings()[A32Decoder.decode(0xFA000000)].name()).isEqualTo("BLX_imm");
    }

    @Test
    void everyEncodingHasAHandler() {
        new brassboard.arm.testing.Harness(); // binding throws, naming the encoding, when one is missing
        assertThat(A32Decoder.encodings()).hasSize(table.encodings().size());
    }

    @Test
    void decodingLooksAtFewCandidates() {
        // 9: the VFP "other" data-processing instructions (A7.5) differ in bits 19:16, outside the key
        assertThat(A32Decoder.maxCandidates()).isLessThanOrEqualTo(9);
    }

    @Test
    void parseErrorsNameTheLineAndTheProblem() {
        assertThatThrownBy(() -> EncodingTable.parse("X dataproc 0101"))
                .hasMessageContaining(":1:").hasMessageContaining("expected 32");
        assertThatThrownBy(() -> EncodingTable.parse("\nX nogroup cccc0010100Snnnnddddrrrrvvvvvvvv"))
                .hasMessageContaining(":2:").hasMessageContaining("unknown group");
        assertThatThrownBy(() -> EncodingTable.parse("X dataproc 1110001010!Snnnnddddrrrrvvvvvvvv"))
                .hasMessageContaining("bad pattern character");
        assertThatThrownBy(() -> EncodingTable.parse("X dataproc cccc0010100Snnnnddddrrrrvvvvvvvv\noverlap X Y why"))
                .hasMessageContaining("unknown encoding Y");
        assertThatThrownBy(() -> EncodingTable.parse("X dataproc 11100010100Snnnnddddrrrrvvvvvvvv"))
                .hasMessageContaining("must be cccc or 1111");
    }
}
