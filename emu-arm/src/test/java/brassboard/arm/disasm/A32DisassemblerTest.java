package brassboard.arm.disasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import brassboard.arm.a32.A32Decoder;
import brassboard.arm.a32.Encoding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@link A32Disassembler} against {@code arm-none-eabi-objdump}: the committed generated corpus (always),
 * objdump itself on that corpus and on the sample firmware (when binutils is installed; required under CI).
 */
class A32DisassemblerTest {

    /**
     * Words where the disassembler knowingly differs from {@code objdump -m arm}, with the reason; null if none.
     * objdump's generic "arm" machine enables every coprocessor extension binutils knows, so it prints
     * transfers on coprocessors 0-6 (iWMMXt, FPA, Maverick) and 10-11 (VFP/Advanced SIMD) as those extensions'
     * instructions (tmrc, cfstrd, vmov, ...), and treats some transfers on coprocessors 8-9 as UNDEFINED or
     * UNPREDICTABLE by patterns of those extensions (e.g. a conditional MCRR on coprocessor 9). Brassboard's ARMv7-A core has none of them and executes these
     * words as the generic MCR/MRC/MCRR/MRRC they decode as, which is what the disassembler prints.
     */
    static String knownMismatch(int word) {
        int index = A32Decoder.decode(word);
        if (index == A32Decoder.UNDEFINED) {
            return null;
        }
        String name = A32Decoder.encodings()[index].name();
        int coprocessor = (word >>> 8) & 15;
        if (Set.of("MCR", "MRC", "MCRR", "MRRC").contains(name) && (coprocessor <= 6 || coprocessor >= 8 && coprocessor <= 11)) {
            return "objdump -m arm decodes coprocessor " + coprocessor + " transfers as an extension instruction";
        }
        if (A32Decoder.encodings()[index].group().startsWith("simd") && undefinedOnTheCore(word)) {
            return "a reserved Advanced SIMD encoding (size, alignment or register number): the core takes UNDEFINED, "
                    + "binutils prints it with <illegal ...> / <bad align> markers, partly, or as another instruction";
        }
        return null;
    }

    /** Whether the core takes the Undefined Instruction exception for {@code word} (VFP and Advanced SIMD enabled). */
    static boolean undefinedOnTheCore(int word) {
        brassboard.arm.testing.Harness h = new brassboard.arm.testing.Harness().code(word);
        h.cpu.vfp().enableForUserMode();
        for (int r = 0; r < 15; r++) {
            h.reg(r, 0x1000);
        }
        int[] undefined = {0};
        h.cpu.setObserver(new brassboard.arm.api.CpuObserver() {
            @Override
            public void onUndefined(int pc, int w) {
                undefined[0]++;
            }
        });
        h.run(1);
        return undefined[0] > 0;
    }

    @Test
    void everyEncodingHasAFormatter() {
        assertThat(A32Disassembler.uncoveredEncodings()).isEmpty();
    }

    @Test
    void preferredForms() {
        assertThat(A32Disassembler.disassemble(0xe92d4010, 0)).isEqualTo("push\t{r4, lr}");
        assertThat(A32Disassembler.disassemble(0xe52d0004, 0)).isEqualTo("push\t{r0}\t\t@ (str r0, [sp, #-4]!)");
        assertThat(A32Disassembler.disassemble(0xe49df004, 0)).isEqualTo("pop\t{pc}\t\t@ (ldr pc, [sp], #4)");
        assertThat(A32Disassembler.disassemble(0xe1a00101, 0)).isEqualTo("lsl\tr0, r1, #2");
        assertThat(A32Disassembler.disassemble(0xe1a00000, 0)).isEqualTo("nop\t\t\t@ (mov r0, r0)");
        assertThat(A32Disassembler.disassemble(0xe3a00321, 0)).isEqualTo("mov\tr0, #-2080374784\t@ 0x84000000");
        assertThat(A32Disassembler.disassemble(0xea000002, 0x40010000)).isEqualTo("b\t0x40010010");
        assertThat(A32Disassembler.disassemble(0xee010f10, 0)).isEqualTo("mcr\t15, 0, r0, cr1, cr0, {0}");
        assertThat(A32Disassembler.disassemble(0x06000010, 0)).isEqualTo("\t\t@ <UNDEFINED> instruction: 0x06000010");
    }

    /** Every instance of every encoding in the corpus, so a table change without regenerating it fails. */
    @Test
    void corpusCoversEveryEncoding() throws IOException {
        Set<String> seen = new TreeSet<>();
        for (A32DisassemblerCorpus.Line line : committedCorpus()) {
            int index = A32Decoder.decode(line.word());
            if (index != A32Decoder.UNDEFINED) {
                seen.add(A32Decoder.encodings()[index].name());
            }
        }
        Set<String> missing = new TreeSet<>();
        for (Encoding e : A32Decoder.encodings()) {
            if (!seen.contains(e.name())) {
                missing.add(e.name());
            }
        }
        assertThat(missing).as("encodings missing from %s: regenerate it with A32DisassemblerCorpus.main",
                A32DisassemblerCorpus.RESOURCE).isEmpty();
        assertThat(committedCorpus()).hasSizeGreaterThanOrEqualTo(20_000);
    }

    @Test
    void matchesCommittedObjdumpCorpus() throws IOException {
        compare("corpus", committedCorpus(), Integer.MAX_VALUE);
    }

    /** Re-runs objdump on the committed corpus words: fails when binutils' output drifted from the commit. */
    @Test
    void committedCorpusMatchesLiveObjdump() throws Exception {
        requireObjdump();
        List<A32DisassemblerCorpus.Line> committed = committedCorpus();
        List<Integer> words = new ArrayList<>();
        committed.forEach(l -> words.add(l.word()));
        List<A32DisassemblerCorpus.Line> live = A32DisassemblerCorpus.objdump(words);
        List<String> drift = new ArrayList<>();
        for (int i = 0; i < committed.size(); i++) {
            if (!committed.get(i).equals(live.get(i)) && drift.size() < 20) {
                drift.add("committed " + A32DisassemblerCorpus.format(committed.get(i)) + "\n     live "
                        + A32DisassemblerCorpus.format(live.get(i)));
            }
        }
        assertThat(drift).as("objdump output drifted from %s; regenerate it", A32DisassemblerCorpus.RESOURCE).isEmpty();
    }

    /** Disassembles the sample firmware's .text with objdump -d and compares every instruction line. */
    @Test
    void matchesObjdumpOnSampleFirmware() throws Exception {
        requireObjdump();
        Path images = firmwareImages();
        assumeTrue(images != null, "firmware/images not found");
        List<Path> elfs;
        try (var stream = Files.list(images)) {
            elfs = stream.filter(p -> p.toString().endsWith(".elf")).sorted().toList();
        }
        assertThat(elfs).isNotEmpty();
        int compared = 0;
        for (Path elf : elfs) {
            List<A32DisassemblerCorpus.Line> lines = new ArrayList<>();
            for (A32DisassemblerCorpus.Line l : A32DisassemblerCorpus.parse(run("-d", "-j", ".text", elf.toString()))) {
                if (!l.text().startsWith(".word")) {    // literal pools ($d mapping symbols)
                    lines.add(new A32DisassemblerCorpus.Line(l.address(), l.word(), withoutSymbols(l.text())));
                }
            }
            compared += lines.size();
            compare(elf.getFileName().toString(), lines, 0);
        }
        assertThat(compared).isGreaterThan(100);
    }

    private static final Pattern SYMBOLIC = Pattern.compile("(\t|\t@ )([0-9a-f]+) <[^>]*>$");

    /** objdump -d of an ELF prints targets as "40010030 <_start+0x30>"; without symbols it prints "0x40010030". */
    static String withoutSymbols(String text) {
        Matcher m = SYMBOLIC.matcher(text);
        return m.find() ? text.substring(0, m.start()) + m.group(1) + "0x" + m.group(2) : text;
    }

    private static void compare(String what, List<A32DisassemblerCorpus.Line> lines, int allowedKnown) {
        List<String> mismatches = new ArrayList<>();
        int known = 0;
        for (A32DisassemblerCorpus.Line line : lines) {
            String actual = A32Disassembler.disassemble(line.word(), line.address());
            if (actual.equals(line.text())) {
                continue;
            }
            if (knownMismatch(line.word()) != null) {
                known++;
                continue;
            }
            mismatches.add(String.format("%08x: %08x expected [%s] actual [%s]", line.address(), line.word(),
                    line.text().replace("\t", "\\t"), actual.replace("\t", "\\t")));
        }
        if (!mismatches.isEmpty()) {
            fail(what + ": " + mismatches.size() + " of " + lines.size() + " differ from objdump:\n"
                    + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
        assertThat(known).as("known mismatches in " + what).isLessThanOrEqualTo(allowedKnown);
    }

    static List<A32DisassemblerCorpus.Line> committedCorpus() throws IOException {
        try (InputStream in = A32DisassemblerTest.class.getResourceAsStream(A32DisassemblerCorpus.RESOURCE)) {
            assertThat(in).as(A32DisassemblerCorpus.RESOURCE).isNotNull();
            return A32DisassemblerCorpus.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Under CI binutils is required; locally its absence skips the live comparisons. */
    static void requireObjdump() {
        if (A32DisassemblerCorpus.objdumpInstalled()) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail("arm-none-eabi-objdump not found: .ci/run must install binutils-arm-none-eabi");
        }
        assumeTrue(false, "arm-none-eabi-objdump not installed");
    }

    static Path firmwareImages() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path images = dir.resolve("firmware/images");
            if (Files.isDirectory(images)) {
                return images;
            }
        }
        return null;
    }

    static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(A32DisassemblerCorpus.OBJDUMP);
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs a binutils command; its output, or an exception with it when the command fails. */
    static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
