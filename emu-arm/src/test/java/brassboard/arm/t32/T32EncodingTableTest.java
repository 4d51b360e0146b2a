package brassboard.arm.t32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.arm.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class T32EncodingTableTest {
    private final T32EncodingTable table = T32Decoder.table();

    @Test
    void noTwoEncodingsOverlapUnlessTheOverlapIsListedWithAReason() {
        List<String> unlisted = new ArrayList<>();
        List<T32Encoding> all = table.encodings();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                T32Encoding a = all.get(i);
                T32Encoding b = all.get(j);
                if (a.overlaps(b) && table.overlapReason(a.name(), b.name()) == null) {
                    unlisted.add(a.name() + " " + a.pattern() + " / " + b.name() + " " + b.pattern());
                }
            }
        }
        assertThat(unlisted).as("overlapping encodings not listed in encodings.txt").isEmpty();
    }

    @Test
    void everyListedOverlapIsRealAndResolvedBySpecificity() {
        for (T32Encoding a : table.encodings()) {
            for (T32Encoding b : table.encodings()) {
                if (a != b && table.overlapReason(a.name(), b.name()) != null) {
                    assertThat(a.overlaps(b)).as(a.name() + " / " + b.name()).isTrue();
                    T32Encoding special = a.specificity() > b.specificity() ? a : b;
                    T32Encoding general = special == a ? b : a;
                    assertThat(special.specificity()).as(a.name() + " / " + b.name()).isGreaterThan(general.specificity());
                    // one refines the other in the halfword that selects: hw1 when they differ there
                    int selecting = (general.mask() >>> 16) != (special.mask() >>> 16) && special.wide() ? 0xFFFF0000 : -1;
                    if (special.wide() && selecting == -1 || !special.wide()) {
                        assertThat(general.mask() & ~special.mask()).as(special.name() + " refines " + general.name()).isZero();
                    }
                }
            }
        }
    }

    @Test
    void randomInstancesOfEveryEncodingDecodeToItOrToAListedSpecialCase() {
        Random random = new Random(42);
        T32Encoding[] decoded = T32Decoder.encodings();
        for (T32Encoding e : table.encodings()) {
            for (int k = 0; k < 200; k++) {
                int insn = (random.nextInt() & ~e.mask()) | e.value();
                if (!e.wide()) {
                    insn &= 0xFFFF;
                }
                int index = e.wide() ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
                assertThat(index).as("%s 0x%08x", e.name(), insn).isNotEqualTo(T32Decoder.UNDEFINED);
                T32Encoding got = decoded[index];
                if (!got.name().equals(e.name())) {
                    assertThat(table.overlapReason(got.name(), e.name()))
                            .as("0x%08x is %s but decoded as %s", insn, e.name(), got.name()).isNotNull();
                }
            }
        }
    }

    @Test
    void everyEncodingHasAHandler() {
        // the interpreter binds every encoding by name when a core is built, and throws for a missing one
        new Harness();
    }

    @Test
    void widthFollowsTheFirstHalfword() {
        assertThat(T32Decoder.isWide(0xE7FE)).isFalse(); // b .
        assertThat(T32Decoder.isWide(0xE800)).isTrue();
        assertThat(T32Decoder.isWide(0xF000)).isTrue();
        assertThat(T32Decoder.isWide(0xF800)).isTrue();
        assertThat(T32Decoder.isWide(0xBF00)).isFalse();
    }

    @ParameterizedTest(name = "0x{0} decodes as {1}")
    @CsvSource({
        "1888, ADD_reg16",          // adds r0, r1, r2
        "BF08, IT",                 // it eq
        "BF00, NOP16",              // nop
        "BF30, WFI16",              // wfi
        "DF05, SVC16",              // svc 5
        "DE00, UDF16",              // udf #0
        "D0FE, B_cond16",           // beq .
        "4801, LDR_lit16",          // ldr r0, [pc, #4]
        "B510, PUSH16",             // push {r4, lr}
        "BD10, POP16",              // pop {r4, pc}
        "F10110FF, ADD_imm32",      // add.w r0, r1, #0x00ff00ff
        "F1B10F00, CMP_imm32",      // cmp.w r1, #0
        "F04F0001, MOV_imm32",      // mov.w r0, #1
        "EA4F0041, MOV_reg32",      // lsl.w r0, r1, #1
        "F7FFFFFE, BL32",           // bl
        "F3BF8F5F, DMB32",          // dmb sy
        "F3AF8000, NOP32",          // nop.w
        "E8BD8010, LDM32",          // pop.w {r4, pc}
        "E8D1F002, TBB",            // tbb [r1, r2]
        "F8D10004, LDR_imm12",      // ldr.w r0, [r1, #4]
        "F85F0004, LDR_lit",        // ldr.w r0, [pc, #-4]
        "F891F000, PLD_imm12",      // pld [r1]
        "EE110F10, COPROC_reg",     // mrc p15, 0, r0, c1, c0, 0
        "F3EF8000, MRS32",          // mrs r0, CPSR
        "F3DE8F04, SUBS_pc_lr",     // subs pc, lr, #4
    })
    void knownInstructionsDecodeAsExpected(String hex, String name) {
        int insn = Integer.parseUnsignedInt(hex, 16);
        boolean wide = hex.length() > 4;
        int index = wide ? T32Decoder.decodeWide(insn) : T32Decoder.decodeNarrow(insn);
        assertThat(index).isNotEqualTo(T32Decoder.UNDEFINED);
        assertThat(T32Decoder.encodings()[index].name()).isEqualTo(name);
    }

    @Test
    void aBadTableIsRejectedWithTheLine() {
        assertThatThrownBy(() -> T32EncodingTable.parse("X dataproc 0000"))
                .hasMessageContaining(":1:").hasMessageContaining("expected 16");
        assertThatThrownBy(() -> T32EncodingTable.parse("X nonsense 0000000000000000"))
                .hasMessageContaining("unknown group");
        assertThatThrownBy(() -> T32EncodingTable.parse("X dataproc 1111000000000000"))
                .hasMessageContaining("32-bit");
    }
}
