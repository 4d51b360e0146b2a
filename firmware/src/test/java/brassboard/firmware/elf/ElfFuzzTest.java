package brassboard.firmware.elf;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.Images;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input of any kind must end in an {@link ImageException} with a one-line message (or a
 * successful load), never in another exception: every truncated prefix of valid ELFs, and many
 * seeded random corruptions of them.
 */
class ElfFuzzTest {
    private static final long SEED = 0xb7a55b0a7dL;
    private static final int FLIPS_PER_IMAGE = 3000;

    @TempDir
    Path dir;

    private int refused;
    /** Refusals by message with the numbers blanked out, to see that the corruption reaches deep. */
    private final Map<String, Integer> outcomes = new TreeMap<>();


    private void loadMustNotCrash(Path p, byte[] content) throws Exception {
        try {
            Images.parse(p, content, OptionalLong.empty());
        } catch (ImageException e) {
            assertThat(e.getMessage()).startsWith(p + ": ").doesNotContain("\n");
            refused++;
            outcomes.merge(e.getMessage().replaceAll("\\(starts with [^)]*\\)|0x[0-9a-f]+|\\d+", "N"), 1, Integer::sum);
        } catch (RuntimeException e) {
            throw new AssertionError("unexpected " + e + " for input " + describe(content), e);
        }
    }

    private static String describe(byte[] content) {
        return content.length + " bytes: " + HexFormat.of().formatHex(content, 0, Math.min(content.length, 256));
    }

    private static byte[][] seeds() throws Exception {
        return new byte[][] {
            ElfRealToolchainTest.demoElf(),
            new ElfBuilder()
                    .load(0x40000000L, ElfBuilder.PF_R | ElfBuilder.PF_X, ElfBuilder.bytes(24, 0), 24)
                    .load(0x40001000L, ElfBuilder.PF_R | ElfBuilder.PF_W, ElfBuilder.bytes(8, 0), 64)
                    .symbol("main", 0x40000001L, ElfBuilder.STT_FUNC, ElfBuilder.STB_GLOBAL)
                    .symbol("data", 0x40001000L, ElfBuilder.STT_OBJECT, ElfBuilder.STB_GLOBAL)
                    .build(),
        };
    }

    @Test
    void everyTruncatedPrefixIsRefusedCleanly() throws Exception {
        Path p = dir.resolve("cut.elf");
        for (byte[] elf : seeds()) {
            for (int n = 0; n < elf.length; n++) {
                loadMustNotCrash(p, Arrays.copyOf(elf, n));
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void randomCorruptionsAreRefusedCleanlyOrLoad() throws Exception {
        Random random = new Random(SEED);
        Path p = dir.resolve("flipped.elf");
        for (byte[] elf : seeds()) {
            for (int round = 0; round < FLIPS_PER_IMAGE; round++) {
                byte[] bad = elf.clone();
                int edits = 1 + random.nextInt(6);
                for (int e = 0; e < edits; e++) {
                    // Mostly the headers and tables, where the structure lives; sometimes anywhere.
                    int at = random.nextInt(4) == 0 ? random.nextInt(bad.length) : random.nextInt(Math.min(bad.length, 128));
                    switch (random.nextInt(3)) {
                        case 0 -> bad[at] ^= (byte) (1 << random.nextInt(8));
                        case 1 -> bad[at] = (byte) random.nextInt(256);
                        default -> bad[at] = (byte) (random.nextBoolean() ? 0xff : 0x00);
                    }
                }
                // Corrupt the section-header area too: it starts well past the first 128 bytes.
                if (random.nextBoolean()) {
                    int at = bad.length - 1 - random.nextInt(Math.min(bad.length, 200));
                    bad[at] = (byte) random.nextInt(256);
                }
                loadMustNotCrash(p, bad);
            }
        }
        assertThat(outcomes.keySet()).as("kinds of refusal seen").hasSizeGreaterThan(10);
    }
}
