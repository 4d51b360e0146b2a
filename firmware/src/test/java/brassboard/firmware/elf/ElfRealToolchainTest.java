package brassboard.firmware.elf;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.firmware.api.Images;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.api.MemoryWindow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads demo.elf, linked by GNU ld from src/test/resources/elf/demo.s (see that file to rebuild it). */
class ElfRealToolchainTest {
    @TempDir
    Path dir;

    static byte[] demoElf() throws IOException {
        try (InputStream in = ElfRealToolchainTest.class.getResourceAsStream("/elf/demo.elf")) {
            return in.readAllBytes();
        }
    }

    @Test
    void loadsWhatGnuLdWrote() throws Exception {
        Path p = dir.resolve("demo.elf");
        Files.write(p, demoElf());

        LoadedImage image = Images.load(p, OptionalLong.empty());

        assertThat(image.entry()).isEqualTo(0x40000000L);
        assertThat(image.segments()).hasSize(2);
        assertThat(image.segments().get(0).address()).isEqualTo(0x40000000L);
        assertThat(image.segments().get(0).memSize()).isEqualTo(0x24);
        // .data runs at 0x40100000 but is stored (AT) at 0x40008000: its 4 bytes, then .bss.
        assertThat(image.segments().get(1).address()).isEqualTo(0x40008000L);
        assertThat(image.segments().get(1).data()).containsExactly(41, 0, 0, 0);
        assertThat(image.segments().get(1).memSize()).isEqualTo(0x104);
        assertThat(image.symbols()).containsExactly(
                Map.entry("_start", 0x40000000L),
                Map.entry("buffer", 0x40100004L),
                Map.entry("stack_top", 0x40200000L),
                Map.entry("counter", 0x40100000L),
                Map.entry("main", 0x40000014L));
        image.checkPlacement(List.of(new MemoryWindow("RAM", 0x40000000L, 128L << 20)));
    }
}
