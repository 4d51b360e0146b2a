package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit statuses, and one clear line for every bad input. */
class CliTest {
    private static final String HELLO = Path.of("..", "firmware", "images", "hello.elf").toString();

    record Outcome(int status, String out, String err) {
        /** The error output must be exactly one line, with no stack trace. */
        Outcome oneLineError() {
            assertThat(err.strip().lines().count()).as("stderr: %s", err).isEqualTo(1);
            assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
            return this;
        }
    }

    /** A raw A32 program: {@code words} little-endian in {@code file}, for {@code run --bios}. */
    static Path program(Path file, int... words) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(words.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return java.nio.file.Files.write(file, b.array());
    }

    /**
     * A raw A32 program for {@code run --bios} that reads the vendor/device word of PCI 00:DEV.0 through
     * ECAM (0x3f000000 + DEV << 15) and powers off with PSCI SYSTEM_OFF when it is {@code vendor:device};
     * it spins otherwise (so a missing device shows as a run that hits its limit).
     */
    static Path pciProbe(Path file, int dev, int vendor, int device) throws java.io.IOException {
        int offset = dev << 15;
        return program(file,
                0xE3A0043F,                                                  // mov   r0, #0x3f000000
                movw(3, offset & 0xFFFF), movt(3, offset >>> 16),            // r3 = DEV << 15
                0xE0800003,                                                  // add   r0, r0, r3
                0xE5901000,                                                  // ldr   r1, [r0]
                movw(2, vendor), movt(2, device),                            // r2 = device << 16 | vendor
                0xE1510002,                                                  // cmp   r1, r2
                0x1AFFFFFE,                                                  // bne   .
                0xE3000008, 0xE3480400,                                      // r0 = 0x84000008 (PSCI SYSTEM_OFF)
                0xE1400070);                                                 // hvc   #0
    }

    private static int movw(int rd, int imm16) {
        return 0xE3000000 | (imm16 & 0xF000) << 4 | rd << 12 | imm16 & 0xFFF;
    }

    private static int movt(int rd, int imm16) {
        return 0xE3400000 | (imm16 & 0xF000) << 4 | rd << 12 | imm16 & 0xFFF;
    }

    static Outcome brassboard(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream savedOut = System.out;
        ByteArrayOutputStream guest = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(guest, true, StandardCharsets.UTF_8));
            status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.out.flush();
            System.setOut(savedOut);
        }
        return new Outcome(status, guest.toString(StandardCharsets.UTF_8) + out, err.toString());
    }

    @Test
    void aBadCompileThresholdPropertyIsAUsageError() {
        String saved = System.getProperty("brassboard.jit.hot");
        try {
            for (String bad : new String[] {"abc", "0", "40000", ""}) {
                System.setProperty("brassboard.jit.hot", bad);
                Outcome o = brassboard("run", HELLO).oneLineError();
                assertThat(o.status()).as(bad).isEqualTo(2);
                assertThat(o.err()).isEqualTo("brassboard: -Dbrassboard.jit.hot=" + bad
                        + ": expected a whole number of interpreted executions from 1 to 32767\n");
            }
            System.setProperty("brassboard.jit.hot", "100");
            assertThat(brassboard("run", HELLO).status()).isZero();
        } finally {
            if (saved == null) {
                System.clearProperty("brassboard.jit.hot");
            } else {
                System.setProperty("brassboard.jit.hot", saved);
            }
        }
    }

    @Test
    void helloRunsAndExitsZero() {
        Outcome o = brassboard("run", HELLO);
        assertThat(o.status()).isZero();
        assertThat(o.out()).contains("Brassboard hello: ARMv7-A on the virt board");
        assertThat(o.err()).isEmpty();
    }

    @Test
    void semihostingExitCodeBecomesTheExitStatus() {
        Outcome o = brassboard("run", Path.of("..", "firmware", "images", "semihost.elf").toString());
        assertThat(o.status()).isEqualTo(3);
        assertThat(o.out()).contains("SYS_WRITE0 works");
    }

    @Test
    void limitsExitWithFourAndSayWhy() {
        String ticker = Path.of("..", "firmware", "images", "ticker.elf").toString();
        Outcome o = brassboard("run", "--max-insns", "300000", ticker);
        assertThat(o.status()).isEqualTo(4);
        assertThat(o.err()).contains("--max-insns 300000 reached");
        Outcome t = brassboard("run", "--max-time", "1ms", ticker);
        assertThat(t.status()).isEqualTo(4);
        assertThat(t.err()).contains("--max-time");
        Outcome u = brassboard("run", "--until", "tick 2", "--max-time", "10s", ticker);
        assertThat(u.status()).isZero();
        assertThat(u.out()).contains("tick 2").doesNotContain("tick 3");
        Outcome never = brassboard("run", "--until", "no such text", HELLO);
        assertThat(never.status()).isEqualTo(4);
        assertThat(never.err()).contains("never matched --until");
    }

    @Test
    void inputScriptFeedsTheUart(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("in.txt");
        Files.writeString(script, "hi\nexit\n");
        Outcome o = brassboard("run", "--input", script.toString(), Path.of("..", "firmware", "images", "echo.elf").toString());
        assertThat(o.status()).isZero();
        assertThat(o.out()).isEqualTo("echo> hi\r\necho> exit\r\n");
    }

    @Test
    void inputAfterPromptSendsALinePerPrompt(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("in.txt");
        Files.writeString(script, "hi\nexit\n");
        String echo = Path.of("..", "firmware", "images", "echo.elf").toString();
        Outcome o = brassboard("run", "--input", script.toString(), "--input-after-prompt", "echo> $", echo);
        assertThat(o.status()).isZero();
        assertThat(o.out()).isEqualTo("echo> hi\r\necho> exit\r\n");
        Outcome never = brassboard("run", "--input", script.toString(), "--input-after-prompt", "never> $", "--max-time", "10ms", echo);
        assertThat(never.status()).isEqualTo(4);
        assertThat(never.out()).isEqualTo("echo> ");
        Outcome noFile = brassboard("run", "--input-after-prompt", "echo> $", echo).oneLineError();
        assertThat(noFile.status()).isEqualTo(2);
        assertThat(noFile.err()).contains("--input-after-prompt").contains("--input FILE");
        Outcome bad = brassboard("run", "--input", script.toString(), "--input-after-prompt", "([", echo).oneLineError();
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--input-after-prompt");
    }

    @Test
    void outputGoesToAFileWhenAsked(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("console.log");
        Outcome o = brassboard("run", "--output", log.toString(), HELLO);
        assertThat(o.status()).isZero();
        assertThat(o.out()).isEmpty();
        assertThat(Files.readString(log)).startsWith("Brassboard hello: ARMv7-A on the virt board\r\n");
        Outcome bad = brassboard("run", "--output", dir.resolve("no/such/dir/c.log").toString(), HELLO).oneLineError();
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--output");
    }

    @Test
    void traceFilesOfTwoRunsAreIdentical(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.trace");
        Path b = dir.resolve("b.trace");
        assertThat(brassboard("run", "--trace", a.toString(), HELLO).status()).isZero();
        assertThat(brassboard("run", "--trace", b.toString(), HELLO).status()).isZero();
        assertThat(Files.readAllBytes(a)).isNotEmpty().isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readString(a)).contains("psci.call").contains("SYSTEM_OFF");
    }

    @Test
    void helpOnEveryCommand() {
        Outcome top = brassboard("--help");
        assertThat(top.status()).isZero();
        assertThat(top.out()).contains("run");
        Outcome run = brassboard("run", "--help");
        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--max-insns").contains("--until").contains("--input").contains("Exit status");
    }

    // ---- bad input: one line naming the file or flag, exit status 2 ----

    @Test
    void notAnElfAndNoLoadAddress(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "#!/bin/sh\necho hi\n");
        Outcome o = brassboard("run", f.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("notes.txt").contains("not an ELF").contains("--load-addr");
    }

    @Test
    void rawBinaryWithLoadAddressRuns(@TempDir Path dir) throws Exception {
        // mov r0,#0x84000000 ; orr r0,r0,#8 ; hvc #0  -> PSCI SYSTEM_OFF
        Path f = dir.resolve("off.bin");
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xE3A00321).putInt(0xE3800008).putInt(0xE1400070);
        Files.write(f, b.array());
        Outcome o = brassboard("run", "--load-addr", "0x40100000", "-v", f.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.err()).contains("powered off (PSCI SYSTEM_OFF)");
    }

    @Test
    void elfForX86_64(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tool");
        Files.write(f, elfHeader(2, 62));
        Outcome o = brassboard("run", f.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("tool").contains("x86-64");
    }

    @Test
    void elfForAarch64(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("kernel64");
        Files.write(f, elfHeader(2, 183));
        Outcome o = brassboard("run", f.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("kernel64").contains("AArch64");
    }

    @Test
    void truncatedElf(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("short.elf");
        byte[] whole = Files.readAllBytes(Path.of(HELLO));
        Files.write(f, Arrays.copyOf(whole, 200));
        Outcome o = brassboard("run", f.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("short.elf").contains("truncated");
    }

    @Test
    void segmentOutsideRamAndFlash(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("far.elf");
        Files.write(f, tinyArmElf(0x2000_0000));
        Outcome o = brassboard("run", f.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("far.elf").contains("0x20000000").contains("outside");
    }

    @Test
    void segmentBeyondTheEndOfASmallerRam(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("high.elf");
        Files.write(f, tinyArmElf(0x4400_0000));
        Outcome o = brassboard("run", "--ram", "32M", f.toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("high.elf").contains("outside");
    }

    @Test
    void missingImage() {
        Outcome o = brassboard("run", "no-such-image.elf").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("no-such-image.elf");
    }

    @Test
    void unknownBoard() {
        Outcome o = brassboard("run", "--board", "raspi3", HELLO).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("unknown board 'raspi3'").contains("virt");
    }

    @Test
    void malformedSizesDurationsCountsAndAddresses() {
        Outcome ram = brassboard("run", "--ram", "12Q", HELLO).oneLineError();
        assertThat(ram.status()).isEqualTo(2);
        assertThat(ram.err()).contains("--ram").contains("12Q").contains("128M");
        Outcome big = brassboard("run", "--ram", "4G", HELLO).oneLineError();
        assertThat(big.status()).isEqualTo(2);
        assertThat(big.err()).contains("2047M");
        Outcome time = brassboard("run", "--max-time", "10", HELLO).oneLineError();
        assertThat(time.status()).isEqualTo(2);
        assertThat(time.err()).contains("--max-time").contains("unit");
        Outcome insns = brassboard("run", "--max-insns", "lots", HELLO).oneLineError();
        assertThat(insns.status()).isEqualTo(2);
        assertThat(insns.err()).contains("--max-insns");
        Outcome addr = brassboard("run", "--load-addr", "0xZZ", HELLO).oneLineError();
        assertThat(addr.status()).isEqualTo(2);
        assertThat(addr.err()).contains("--load-addr");
    }

    @Test
    void badRegexMissingInputAndUnwritableTrace(@TempDir Path dir) {
        Outcome re = brassboard("run", "--until", "([", HELLO).oneLineError();
        assertThat(re.status()).isEqualTo(2);
        assertThat(re.err()).contains("--until");
        Outcome in = brassboard("run", "--input", dir.resolve("absent.txt").toString(), HELLO).oneLineError();
        assertThat(in.status()).isEqualTo(2);
        assertThat(in.err()).contains("--input").contains("absent.txt");
        Outcome tr = brassboard("run", "--trace", dir.resolve("no/such/dir/t.txt").toString(), HELLO).oneLineError();
        assertThat(tr.status()).isEqualTo(2);
        assertThat(tr.err()).contains("--trace");
    }

    @Test
    void unknownOptionAndMissingImage() {
        Outcome o = brassboard("run", "--frobnicate", HELLO).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--frobnicate");
        Outcome none = brassboard("run").oneLineError();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("IMAGE");
    }

    /** Just an ELF identification and header for another machine: class, machine. */
    private static byte[] elfHeader(int elfClass, int machine) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) machine).putInt(1);
        return b.array();
    }

    /** A valid ELF32 ARM executable with one 4-byte segment at {@code address}. */
    private static byte[] tinyArmElf(int address) {
        ByteBuffer b = ByteBuffer.allocate(52 + 32 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) 40).putInt(1).putInt(address).putInt(52).putInt(0)
                .putInt(0x05000200).putShort((short) 52).putShort((short) 32).putShort((short) 1)
                .putShort((short) 40).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(84).putInt(address).putInt(address).putInt(4).putInt(4).putInt(5).putInt(4);
        b.putInt(0xEAFFFFFE); // b .
        return b.array();
    }
}
