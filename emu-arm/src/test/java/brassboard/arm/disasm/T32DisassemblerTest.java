package brassboard.arm.disasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import brassboard.arm.t32.T32Decoder;
import brassboard.arm.t32.T32Encoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link T32Disassembler} against {@code arm-none-eabi-objdump -d}: the committed corpus (always), the
 * corpus re-assembled and objdump re-run on it, and Thumb code of the sample firmware (when binutils is
 * installed; required under CI).
 */
class T32DisassemblerTest {
    /** Encodings the corpus leaves out, and why. */
    static final Map<String, String> NOT_COVERED = Map.of(
            "COPROC2_ldst", "LDC2 / STC2: the A32 decoder has no LDC / STC yet (UNDEFINED on this core)",
            "SIMD_dp", "Advanced SIMD: the A32 decoder has no Advanced SIMD yet (UNDEFINED on this core)",
            "SIMD_dp_u", "Advanced SIMD: the A32 decoder has no Advanced SIMD yet (UNDEFINED on this core)",
            "SIMD_ldst", "Advanced SIMD: the A32 decoder has no Advanced SIMD yet (UNDEFINED on this core)");

    @Test
    void preferredForms() {
        assertThat(T32Disassembler.disassemble(0x1888, 0)).isEqualTo("adds\tr0, r1, r2");
        assertThat(T32Disassembler.disassemble(0x4008, 0)).isEqualTo("ands\tr0, r1");
        assertThat(T32Disassembler.disassemble(0xB510, 0)).isEqualTo("push\t{r4, lr}");
        assertThat(T32Disassembler.disassemble(0xE92D41F0, 0)).isEqualTo("stmdb\tsp!, {r4, r5, r6, r7, r8, lr}");
        assertThat(T32Disassembler.disassemble(0xF10110FF, 0)).isEqualTo("add.w\tr0, r1, #16711935\t@ 0xff00ff");
        assertThat(T32Disassembler.disassemble(0xE030, 0x40000000)).isEqualTo("b.n\t0x40000064");
        assertThat(T32Disassembler.disassemble(0xF8D10FFC, 0)).isEqualTo("ldr.w\tr0, [r1, #4092]\t@ 0xffc");
        assertThat(T32Disassembler.disassemble(0xBF0C, 0)).isEqualTo("ite\teq");
        T32Disassembler.Listing it = new T32Disassembler.Listing();
        assertThat(List.of(it.next(0xBF0C, 0), it.next(0x2001, 2), it.next(0x2002, 4), it.next(0x2003, 6)))
                .containsExactly("ite\teq", "moveq\tr0, #1", "movne\tr0, #2", "movs\tr0, #3");
    }

    @Test
    void matchesTheCommittedCorpus() throws IOException {
        List<T32DisassemblerCorpus.Line> lines = committed();
        assertThat(lines).hasSizeGreaterThan(300);
        compare("t32-corpus.txt", lines);
    }

    @Test
    void theCorpusCoversEveryEncodingButTheListedOnes() throws IOException {
        Set<String> seen = new TreeSet<>();
        T32Encoding[] encodings = T32Decoder.encodings();
        for (T32DisassemblerCorpus.Line l : committed()) {
            boolean wide = (l.insn() >>> 16) != 0;
            int e = wide ? T32Decoder.decodeWide(l.insn()) : T32Decoder.decodeNarrow(l.insn());
            if (e >= 0) {
                seen.add(encodings[e].name());
            }
        }
        Set<String> missing = new TreeSet<>();
        for (T32Encoding e : encodings) {
            if (!seen.contains(e.name()) && !NOT_COVERED.containsKey(e.name())) {
                missing.add(e.name());
            }
        }
        assertThat(missing).as("encodings with no instance in t32-corpus.s").isEmpty();
    }

    /** Re-assembles t32-corpus.s and re-runs objdump: fails when binutils' output drifted from the commit. */
    @Test
    void theCommittedCorpusIsWhatObjdumpPrints() throws Exception {
        requireBinutils();
        String source;
        try (InputStream in = T32DisassemblerTest.class.getResourceAsStream(T32DisassemblerCorpus.SOURCE)) {
            assertThat(in).as(T32DisassemblerCorpus.SOURCE).isNotNull();
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<T32DisassemblerCorpus.Line> live = T32DisassemblerCorpus.assembleAndDisassemble(source);
        assertThat(live).as("objdump output drifted from %s; regenerate it", T32DisassemblerCorpus.RESOURCE)
                .isEqualTo(committed());
    }

    /** The Thumb code of thumb.elf (C compiled with -mthumb), as objdump -d prints it. */
    @Test
    void matchesObjdumpOnThumbFirmware() throws Exception {
        requireBinutils();
        Path images = A32DisassemblerTest.firmwareImages();
        assumeTrue(images != null, "firmware/images not found");
        List<T32DisassemblerCorpus.Line> lines = T32DisassemblerCorpus.parse(
                A32DisassemblerTest.run("-d", "-j", ".text", images.resolve("thumb.elf").toString()));
        assertThat(lines).hasSizeGreaterThan(100);
        compare("thumb.elf", lines);
    }

    private static void requireBinutils() {
        A32DisassemblerTest.requireObjdump();
        if (!T32DisassemblerCorpus.assemblerInstalled()) {
            if (System.getenv("CI") != null) {
                fail("arm-none-eabi-as not found: .ci/run must install binutils-arm-none-eabi");
            }
            assumeTrue(false, "arm-none-eabi-as not installed");
        }
    }

    private static List<T32DisassemblerCorpus.Line> committed() throws IOException {
        try (InputStream in = T32DisassemblerTest.class.getResourceAsStream(T32DisassemblerCorpus.RESOURCE)) {
            assertThat(in).as(T32DisassemblerCorpus.RESOURCE).isNotNull();
            return T32DisassemblerCorpus.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Disassembles the lines in order (one listing: IT blocks carry over) and lists every difference. */
    private static void compare(String what, List<T32DisassemblerCorpus.Line> lines) {
        T32Disassembler.Listing listing = new T32Disassembler.Listing();
        List<String> mismatches = new ArrayList<>();
        for (T32DisassemblerCorpus.Line l : lines) {
            String actual = listing.next(l.insn(), l.address());
            if (!actual.equals(l.text())) {
                mismatches.add(String.format("%08x: %08x expected [%s] actual [%s]", l.address(), l.insn(),
                        l.text().replace("\t", "\\t"), actual.replace("\t", "\\t")));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(what + ": " + mismatches.size() + " of " + lines.size() + " differ from objdump:\n"
                    + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
    }
}
