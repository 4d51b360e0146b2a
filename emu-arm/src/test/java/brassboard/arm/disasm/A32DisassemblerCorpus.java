package brassboard.arm.disasm;

import brassboard.arm.a32.A32Decoder;
import brassboard.arm.a32.Encoding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The generated disassembly corpus: seeded random instances of every encoding in {@code encodings.txt},
 * plus hand-picked words, with the text {@code arm-none-eabi-objdump} prints for them.
 *
 * <p>Regenerate the committed resource (after the encoding table changes) with
 * {@code java -cp emu-arm/target/classes:emu-arm/target/test-classes brassboard.arm.disasm.A32DisassemblerCorpus
 * emu-arm/src/test/resources/disasm/a32-corpus.txt}.
 */
final class A32DisassemblerCorpus {
    static final String RESOURCE = "/disasm/a32-corpus.txt";
    static final String OBJDUMP = "arm-none-eabi-objdump";
    static final int BASE = 0x40000000;
    static final long SEED = 0x0B1A55B0A4DL;
    static final int PER_ENCODING = 100;

    /** Words chosen by hand: preferred forms (push/pop, nop, shifts) and edge cases. */
    static final int[] EXTRA = {
        0xe92d4010, 0xe52d0004, 0xe49df004, 0xe8bd8010, 0xe1a00101, 0xe1a00000, 0xe320f000, 0xe12fff1e,
        0xe1b0f00e, 0xe3a00321, 0xea000002, 0xeb000002, 0xe7f000f0, 0xe1200070, 0xef123456, 0xe1400070,
        0xf57ff05b, 0xe10f0000, 0xe129f000, 0xee010f10, 0xe1c200d0, 0xe1920f9f, 0xf1080080, 0xe1a00060,
        0xe1a00041, 0xe1a00021, 0xe1a00001, 0xe59f0004, 0xe51f0004, 0xe1df00b4, 0xe92d0001, 0xe8bd0001,
        0xe52de004, 0xe49de004, 0xe92d0000, 0xe8bd0000, 0xebfffffe, 0xfafffffe, 0xfbfffffe, 0xe3a00000,
        0xe3e00000, 0xe3a000ff, 0xe3a00eff, 0xe2800102, 0xe1a0f00e, 0xe1b0f00e, 0xe25ef004, 0xe8fd8000,
        0xe7ffdefe, 0xe7f001f2, 0xe320f001, 0xe320f002, 0xe320f003, 0xe320f004, 0xe320f0f0, 0xe320f0ff,
        0xf57ff04f, 0xf57ff06f, 0xf57ff01f, 0xf1020013, 0xf10c0080, 0xf1010200, 0xf1010000,
        0x06000010, 0xe6000010, 0xe0000090,
    };

    private A32DisassemblerCorpus() {
    }

    /** One expected line: the word at {@code address} and objdump's text after the word. */
    record Line(int address, int word, String text) {
    }

    static List<Integer> generateWords() {
        Random random = new Random(SEED);
        Set<Integer> words = new LinkedHashSet<>();
        for (int w : EXTRA) {
            words.add(w);
        }
        Encoding[] encodings = A32Decoder.encodings();
        for (int index = 0; index < encodings.length; index++) {
            int made = 0;
            for (int attempt = 0; attempt < PER_ENCODING * 50 && made < PER_ENCODING; attempt++) {
                int word = instance(encodings[index].pattern(), random);
                if (A32Decoder.decode(word) == index && words.add(word)) {
                    made++;
                }
            }
        }
        return new ArrayList<>(words);
    }

    /** A random instance of a pattern: z/o at their expected values, fields random with edge values favoured. */
    static int instance(String pattern, Random random) {
        int word = 0;
        int i = 0;
        while (i < 32) {
            char ch = pattern.charAt(i);
            int j = i;
            while (j < 32 && pattern.charAt(j) == ch) {
                j++;
            }
            int width = j - i;
            int value;
            switch (ch) {
                case '0', 'z' -> value = 0;
                case '1', 'o' -> value = (int) ((1L << width) - 1);
                case 'c' -> value = random.nextInt(3) == 0 ? 14 : random.nextInt(15);
                default -> value = field(width, random);
            }
            word |= (int) ((value & ((1L << width) - 1)) << (32 - j));
            i = j;
        }
        return word;
    }

    private static int field(int width, Random random) {
        int max = (int) ((1L << width) - 1);
        if (random.nextInt(10) < 7) {
            return random.nextInt() & max;
        }
        int[] special = {0, max, 1, 4, 13, 14, 15, max - 1};
        return special[random.nextInt(special.length)] & max;
    }

    /** Runs objdump on the words (at consecutive addresses from {@link #BASE}). */
    static List<Line> objdump(List<Integer> words) throws IOException, InterruptedException {
        Path bin = Files.createTempFile("a32-corpus", ".bin");
        try {
            ByteBuffer buf = ByteBuffer.allocate(words.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
            words.forEach(buf::putInt);
            Files.write(bin, buf.array());
            Process p = new ProcessBuilder(OBJDUMP, "-D", "-b", "binary", "-m", "arm",
                    "--adjust-vma=0x" + Integer.toHexString(BASE), bin.toString())
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(OBJDUMP + " failed: " + out);
            }
            List<Line> lines = parse(out);
            if (lines.size() != words.size()) {
                throw new IOException(OBJDUMP + " printed " + lines.size() + " instructions for " + words.size() + " words");
            }
            return lines;
        } finally {
            Files.deleteIfExists(bin);
        }
    }

    private static final Pattern LINE = Pattern.compile("^ *([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$");

    /** The instruction lines of objdump output ({@code address:\tword \ttext}). */
    static List<Line> parse(String text) {
        List<Line> lines = new ArrayList<>();
        for (String s : text.split("\n")) {
            Matcher m = LINE.matcher(s);
            if (m.matches()) {
                lines.add(new Line(Integer.parseUnsignedInt(m.group(1), 16), Integer.parseUnsignedInt(m.group(2), 16),
                        m.group(3)));
            }
        }
        return lines;
    }

    static String format(Line line) {
        return String.format("%08x:\t%08x \t%s", line.address(), line.word(), line.text());
    }

    static final String HEADER = "# GENERATED by brassboard.arm.disasm.A32DisassemblerCorpus from encodings.txt and "
            + OBJDUMP + " -D -b binary -m arm --adjust-vma=0x40000000; do not edit.\n"
            + "# A32DisassemblerTest re-runs objdump on these words and fails on drift.\n";

    static boolean objdumpInstalled() {
        try {
            Process p = new ProcessBuilder(OBJDUMP, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Line> lines = objdump(generateWords());
        StringBuilder sb = new StringBuilder(HEADER);
        for (Line l : lines) {
            sb.append(format(l)).append('\n');
        }
        Files.writeString(Path.of(args[0]), sb.toString());
        System.out.println(lines.size() + " words written to " + args[0]);
    }
}
