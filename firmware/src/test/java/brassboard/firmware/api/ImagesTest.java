package brassboard.firmware.api;

import static brassboard.firmware.elf.ElfBuilder.PF_R;
import static brassboard.firmware.elf.ElfBuilder.PF_W;
import static brassboard.firmware.elf.ElfBuilder.PF_X;
import static brassboard.firmware.elf.ElfBuilder.STB_GLOBAL;
import static brassboard.firmware.elf.ElfBuilder.STB_LOCAL;
import static brassboard.firmware.elf.ElfBuilder.STT_FUNC;
import static brassboard.firmware.elf.ElfBuilder.STT_NOTYPE;
import static brassboard.firmware.elf.ElfBuilder.STT_OBJECT;
import static brassboard.firmware.elf.ElfBuilder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.firmware.elf.ElfBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagesTest {
    private static final OptionalLong NO_ADDR = OptionalLong.empty();

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path elf(ElfBuilder builder) throws IOException {
        return file("hello.elf", builder.build());
    }

    private String failure(Path p, OptionalLong addr) {
        try {
            Images.load(p, addr);
        } catch (ImageException e) {
            assertThat(e.getMessage()).startsWith(p + ": ").doesNotContain("\n");
            return e.getMessage().substring(p.toString().length() + 2);
        }
        throw new AssertionError("expected " + p + " to be refused");
    }

    @Test
    void loadsSegmentsEntryAndFunctionAndObjectSymbols() throws Exception {
        Path p = elf(new ElfBuilder()
                .load(0x40000000L, PF_R | PF_X, bytes(8, 1), 8)
                .load(0x40001000L, PF_R | PF_W, bytes(4, 0x20), 0x100)
                .entry(0x40000004L)
                .symbol("$t", 0x40000004L, STT_NOTYPE, STB_LOCAL)
                .symbol("reset", 0x40000000L, STT_FUNC, STB_GLOBAL)
                .symbol("thumb_main", 0x40000005L, STT_FUNC, STB_GLOBAL)
                .symbol("jiffies", 0x40001000L, STT_OBJECT, STB_GLOBAL)
                .symbol("odd_byte", 0x40001003L, STT_OBJECT, STB_LOCAL)
                .symbol("local_label", 0x40000002L, STT_NOTYPE, STB_LOCAL)
                .symbol("__bss_start", 0x40001004L, STT_NOTYPE, STB_GLOBAL)
                .symbol("printf", 0, STT_FUNC, STB_GLOBAL, 0));

        LoadedImage image = Images.load(p, NO_ADDR);

        assertThat(image.source()).isEqualTo(p);
        assertThat(image.format()).isEqualTo("elf");
        assertThat(image.entry()).isEqualTo(0x40000004L);
        assertThat(image.segments()).containsExactly(
                new Segment(0x40000000L, bytes(8, 1), 8),
                new Segment(0x40001000L, bytes(4, 0x20), 0x100));
        assertThat(image.symbols()).containsExactly(
                Map.entry("reset", 0x40000000L),
                Map.entry("thumb_main", 0x40000004L),
                Map.entry("jiffies", 0x40001000L),
                Map.entry("odd_byte", 0x40001003L),
                Map.entry("__bss_start", 0x40001004L));
    }

    @Test
    void globalSymbolWinsOverLocalOfTheSameName() throws Exception {
        Path p = elf(ElfBuilder.minimal()
                .symbol("handler", 0x40000000L, STT_FUNC, STB_LOCAL)
                .symbol("handler", 0x40000008L, STT_FUNC, STB_GLOBAL)
                .symbol("handler", 0x4000000cL, STT_FUNC, STB_LOCAL));

        assertThat(Images.load(p, NO_ADDR).symbols()).containsExactly(Map.entry("handler", 0x40000008L));
    }

    @Test
    void placesSegmentsByPhysicalAddressAndTranslatesTheEntryLikeQemu() throws Exception {
        // Linked to run at 0xc0008000 (virtual), stored at 0x40008000 (physical).
        Path p = elf(new ElfBuilder()
                .segment(ElfBuilder.PT_LOAD, 0xc0008000L, 0x40008000L, PF_R | PF_X, bytes(16, 0), 16)
                .entry(0xc0008004L));

        LoadedImage image = Images.load(p, NO_ADDR);

        assertThat(image.segments()).extracting(Segment::address).containsExactly(0x40008000L);
        assertThat(image.entry()).isEqualTo(0x40008004L);
    }

    @Test
    void strippedElfHasNoSymbols() throws Exception {
        assertThat(Images.load(elf(ElfBuilder.minimal().stripped()), NO_ADDR).symbols()).isEmpty();
    }

    @Test
    void skipsNonLoadAndEmptySegments() throws Exception {
        Path p = elf(new ElfBuilder()
                .segment(ElfBuilder.PT_NOTE, 0, 0, PF_R, bytes(8, 0), 8)
                .load(0x40000000L, PF_R | PF_X, new byte[0], 0)
                .load(0x40000000L, PF_R | PF_X, bytes(4, 0), 4));

        assertThat(Images.load(p, NO_ADDR).segments()).containsExactly(new Segment(0x40000000L, bytes(4, 0), 4));
    }

    @Test
    void rawBinaryIsOneSegmentEnteredAtTheLoadAddress() throws Exception {
        Path p = file("u-boot.bin", bytes(100, 7));

        LoadedImage image = Images.load(p, OptionalLong.of(0x40000000L));

        assertThat(image.format()).isEqualTo("raw");
        assertThat(image.entry()).isEqualTo(0x40000000L);
        assertThat(image.segments()).containsExactly(new Segment(0x40000000L, bytes(100, 7), 100));
        assertThat(image.symbols()).isEmpty();
    }

    @Test
    void elfWithLoadAddressIsRefused() throws Exception {
        assertThat(failure(elf(ElfBuilder.minimal()), OptionalLong.of(0x40000000L)))
                .startsWith("is an ELF image; --load-addr applies to raw binaries only");
    }

    @Test
    void missingFile() {
        assertThat(failure(dir.resolve("nope.elf"), NO_ADDR))
                .isEqualTo("no such file, expected a firmware image (ELF or raw binary)");
    }

    @Test
    void directoryIsNotAnImage() {
        assertThat(failure(dir, NO_ADDR)).isEqualTo("is a directory, expected a firmware image file");
    }

    @Test
    void emptyFile() throws Exception {
        assertThat(failure(file("empty.bin", new byte[0]), OptionalLong.of(0x40000000L)))
                .isEqualTo("empty file, expected an ELF executable or a raw binary");
    }

    @Test
    void notElfAndNoLoadAddress() throws Exception {
        Path p = file("hello.bin", "#!/bin/sh\n".getBytes());
        assertThat(failure(p, NO_ADDR)).isEqualTo(
                "not an ELF file (starts with 23 21 2f 62, not 7f 45 4c 46) and no --load-addr given"
                        + " to load it as a raw binary");
    }

    @Test
    void negativeLoadAddress() throws Exception {
        assertThat(failure(file("a.bin", bytes(4, 0)), OptionalLong.of(-4)))
                .startsWith("--load-addr 0xfffffffffffffffc is not a usable address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2 | 62  | a 64-bit little-endian ELF for x86-64 (EM_X86_64, e_machine 62)",
        "2 | 183 | a 64-bit little-endian ELF for AArch64 (EM_AARCH64, e_machine 183)",
        "1 | 3   | a 32-bit little-endian ELF for i386 (EM_386, e_machine 3)",
        "2 | 243 | a 64-bit little-endian ELF for RISC-V (EM_RISCV, e_machine 243)",
        "1 | 153 | a 32-bit little-endian ELF for machine 0x99",
    })
    void elfForAnotherMachine(int elfClass, int machine, String what) throws Exception {
        Path p = elf(ElfBuilder.minimal().elfClass(elfClass).machine(machine));
        assertThat(failure(p, NO_ADDR)).isEqualTo(
                what + "; expected a 32-bit little-endian ARM executable (EM_ARM, e_machine 40)");
    }

    @Test
    void sixtyFourBitArmElf() throws Exception {
        assertThat(failure(elf(ElfBuilder.minimal().elfClass(2)), NO_ADDR))
                .startsWith("a 64-bit ELF (ELFCLASS64); expected a 32-bit");
    }

    @Test
    void bigEndianArmElf() throws Exception {
        assertThat(failure(elf(ElfBuilder.minimal().bigEndian()), NO_ADDR))
                .startsWith("a big-endian ARM ELF (ELFDATA2MSB); expected");
    }

    @Test
    void relocatableObject() throws Exception {
        assertThat(failure(elf(ElfBuilder.minimal().type(1)), NO_ADDR))
                .isEqualTo("a relocatable object (ET_REL), link it first; expected an executable (ET_EXEC)");
    }

    @Test
    void sharedObject() throws Exception {
        assertThat(failure(elf(ElfBuilder.minimal().type(3)), NO_ADDR))
                .isEqualTo("a shared object (ET_DYN); expected an executable (ET_EXEC)");
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] whole = ElfBuilder.minimal().build();
        assertThat(failure(file("hello.elf", Arrays.copyOf(whole, 40)), NO_ADDR))
                .isEqualTo("truncated: the ELF header needs bytes 0x0-0x33 but the file is 0x28 bytes");
    }

    @Test
    void truncatedProgramHeaders() throws Exception {
        byte[] whole = ElfBuilder.minimal().stripped().build();
        assertThat(failure(file("hello.elf", Arrays.copyOf(whole, 60)), NO_ADDR))
                .isEqualTo("truncated: the program header table (1 entries) needs bytes 0x34-0x53"
                        + " but the file is 0x3c bytes");
    }

    @Test
    void truncatedSegmentData() throws Exception {
        byte[] whole = new ElfBuilder().stripped()
                .load(0x40000000L, PF_R | PF_X, bytes(16, 0), 16)
                .load(0x40001000L, PF_R | PF_W, bytes(16, 0), 16).build();
        // Headers end at 0x74; segment 0 is 0x74-0x83, segment 1 is 0x84-0x93.
        assertThat(failure(file("hello.elf", Arrays.copyOf(whole, 0x88)), NO_ADDR))
                .isEqualTo("truncated: segment 1 needs bytes 0x84-0x93 but the file is 0x88 bytes");
    }

    @Test
    void noLoadableSegments() throws Exception {
        Path p = elf(new ElfBuilder().segment(ElfBuilder.PT_NOTE, 0, 0, PF_R, bytes(8, 0), 8));
        assertThat(failure(p, NO_ADDR))
                .isEqualTo("no loadable (PT_LOAD) segments; expected an executable with code to load");
    }

    @Test
    void noProgramHeadersAtAll() throws Exception {
        assertThat(failure(elf(new ElfBuilder()), NO_ADDR)).startsWith("no program headers;");
    }

    @Test
    void fileSizeLargerThanMemorySize() throws Exception {
        Path p = elf(new ElfBuilder().load(0x40000000L, PF_R, bytes(16, 0), 8));
        assertThat(failure(p, NO_ADDR)).isEqualTo(
                "segment 0 (program header 0) has p_filesz 0x10 larger than p_memsz 0x8; expected p_filesz <= p_memsz");
    }

    @Test
    void segmentPastTheEndOfTheAddressSpace() throws Exception {
        Path p = elf(new ElfBuilder().load(0xfffffff0L, PF_R, bytes(4, 0), 0x20));
        assertThat(failure(p, NO_ADDR))
                .isEqualTo("segment 0 [0xfffffff0-0x10000000f] runs past the end of the 32-bit address space");
    }

    @Test
    void overlappingSegments() throws Exception {
        Path p = elf(new ElfBuilder()
                .load(0x40001000L, PF_R, bytes(4, 0), 0x10)
                .load(0x40000000L, PF_R, bytes(4, 0), 0x1001));
        assertThat(failure(p, NO_ADDR)).isEqualTo("segments 0 [0x40001000-0x4000100f] and 1"
                + " [0x40000000-0x40001000] overlap; expected disjoint physical addresses");
    }

    // --- checkPlacement ---------------------------------------------------------------------

    private static final MemoryWindow RAM = new MemoryWindow("RAM", 0x40000000L, 128L << 20);
    private static final MemoryWindow FLASH = new MemoryWindow("flash", 0, 64L << 20);

    private static LoadedImage image(long entry, Segment... segments) {
        return new LoadedImage(Path.of("hello.elf"), "elf", entry, List.of(segments), Map.of());
    }

    @Test
    void placementAcceptsSegmentsInsideWindows() throws Exception {
        image(0x40000001L, new Segment(0x40000000L, bytes(4, 0), 0x1000), new Segment(0, bytes(4, 0), 4))
                .checkPlacement(List.of(RAM, FLASH));
    }

    @Test
    void placementRefusesASegmentOutsideEveryWindow() {
        LoadedImage image = image(0x40000000L,
                new Segment(0x40000000L, bytes(4, 0), 4), new Segment(0x10000000L, bytes(4, 0), 0x1000));
        assertThatThrownBy(() -> image.checkPlacement(List.of(RAM, FLASH)))
                .isInstanceOf(ImageException.class)
                .hasMessage("hello.elf: segment 1 [0x10000000-0x10000fff] lies outside RAM [0x40000000-0x47ffffff]"
                        + " and flash [0x00000000-0x03ffffff]");
    }

    @Test
    void placementRefusesASegmentRunningPastTheEndOfItsWindow() {
        LoadedImage image = image(0x47fff000L, new Segment(0x47fff000L, bytes(4, 0), 0x2000));
        assertThatThrownBy(() -> image.checkPlacement(List.of(RAM, FLASH)))
                .hasMessage("hello.elf: segment 0 [0x47fff000-0x48000fff] does not fit in"
                        + " RAM [0x40000000-0x47ffffff]: it runs 0x1000 bytes past its end");
    }

    @Test
    void placementRefusesAnEntryOutsideTheLoadedSegments() {
        LoadedImage image = image(0x40002000L, new Segment(0x40000000L, bytes(4, 0), 0x100));
        assertThatThrownBy(() -> image.checkPlacement(List.of(RAM)))
                .hasMessage("hello.elf: entry point 0x40002000 is not inside any loaded segment"
                        + " (segments 0 [0x40000000-0x400000ff]); expected the entry to be loaded code");
    }

    @Test
    void placementOfALoadedRawImage() throws Exception {
        Path p = file("u-boot.bin", bytes(64, 0));
        Images.load(p, OptionalLong.of(0x40000000L)).checkPlacement(List.of(FLASH, RAM));
        LoadedImage high = Images.load(p, OptionalLong.of(0x48000000L));
        assertThatThrownBy(() -> high.checkPlacement(List.of(FLASH, RAM)))
                .hasMessageContaining("segment 0 [0x48000000-0x4800003f] lies outside flash");
    }

    @Test
    void segmentsCompareByContent() {
        assertThat(new Segment(1, bytes(3, 0), 3)).isEqualTo(new Segment(1, bytes(3, 0), 3))
                .hasSameHashCodeAs(new Segment(1, bytes(3, 0), 3))
                .isNotEqualTo(new Segment(1, bytes(3, 1), 3));
        assertThatThrownBy(() -> new Segment(0, bytes(4, 0), 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
