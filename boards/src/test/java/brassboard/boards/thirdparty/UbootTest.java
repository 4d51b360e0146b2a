package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.RunResult;
import brassboard.boards.testkit.BrassboardTest;
import brassboard.boards.testkit.TestMachine;
import brassboard.boards.testkit.TestMachineBuilder;
import brassboard.devices.uart.PromptPacedInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's U-Boot for {@code qemu_arm} (fetched by {@code firmware/third-party/fetch.sh}, never
 * committed), unmodified, on the {@code virt} board: the behaviour to prove, and the same
 * command script under {@code qemu-system-arm} compared line by line.
 *
 * <p>In the {@code thirdparty} group: {@code mvn -B verify} leaves it out, {@code mvn -B verify
 * -Pthirdparty} runs it (as {@code .ci/run} does after fetching). Without the image or QEMU the
 * tests are skipped, unless {@code CI} is set: then they fail and say what is missing.
 *
 * <p>Input is paced: each script line waits for U-Boot's prompt (or its autoboot countdown, which
 * the first line, empty, stops) — {@link UbootConsole#type} on Brassboard, {@link PromptPacedInput}
 * under QEMU. Typed ahead, U-Boot would lose input: the key that stops autoboot is consumed, and
 * {@code saveenv}'s Ctrl-C polls eat the next command.
 */
@Tag("thirdparty")
@BrassboardTest
class UbootTest {
    static final Pattern PROMPT = UbootConsole.PROMPT;

    /** The line that saves the environment (left out of QEMU's run 1: see {@link #DIFFERING}). */
    static final String SAVEENV = "setenv brassboard_saved hello-$a; saveenv";

    /** Run 1: commands, then setenv + saveenv, reset (the variable is back after it), poweroff. */
    static final String SCRIPT_1 = String.join("\n",
            "", // stops autoboot
            "version",
            "bdinfo",
            "mw.l 0x40100000 0x12345678 0x10",
            "mw.b 0x40100008 0xa5 4",
            "md.l 0x40100000 0x10",
            "md.b 0x40100000 0x20",
            "cp.l 0x40100000 0x40180000 0x10",
            "cmp.l 0x40100000 0x40180000 0x10",
            "mw.w 0x40180006 0xbeef",
            "cmp.b 0x40100000 0x40180000 0x40",
            "crc32 0x40100000 0x40",
            "crc32 0x40100000 0x40 0x40100100; md.l 0x40100100 1",
            "setexpr a 0x1234 + 0x10; echo a=$a",
            "setexpr b $a * 3; echo b=$b",
            "setexpr.l c *0x40100000; echo c=$c",
            "setexpr d 0xff00 ^ 0x0ff0; echo d=$d",
            "setexpr s sub \"b+\" \"X\" \"aabbbcc\"; echo s=$s",
            "printenv bootdelay baudrate",
            "printenv",
            "for i in 1 2 3; do echo item $i; done",
            "if test 2 -gt 1; then echo greater; else echo smaller; fi",
            "if itest.l *0x40100000 == 0x12345678; then echo match; else echo mismatch; fi",
            "setenv n 0; while itest $n -lt 5; do echo n=$n; setexpr n $n + 1; done",
            SAVEENV,
            "reset",
            "", // stops autoboot after the reset
            "printenv brassboard_saved",
            "poweroff",
            "");

    /** Run 2, on the flash file run 1 saved to. */
    static final String SCRIPT_2 = String.join("\n", "", "printenv brassboard_saved", "poweroff", "");

    /**
     * Lines that legitimately differ from QEMU's output (left out of the comparison on both sides):
     * <ul>
     * <li>{@code Core: N devices, M uclasses}: QEMU's device tree has more nodes (32 virtio-mmio
     *     transports, fw-cfg, the PCIe host's interrupt map, …) than the one Brassboard generates for
     *     the devices it has, so U-Boot binds more devices (47 against 13).</li>
     * <li>bdinfo's {@code Early malloc usage}: it follows the number of devices bound. (The tree's
     *     addresses and size — {@code fdt_blob}, {@code new_fdt}, {@code fdt_size}, {@code reserved[N]},
     *     {@code irq_sp}, {@code sp start}, {@code fdtcontroladdr} — are compared: Brassboard pads the
     *     tree to QEMU's 1 MiB, so U-Boot places its copy and its stacks where it does on QEMU.)</li>
     * <li>{@code Hit any key to stop autoboot:  2 \b\b\b 0}, compared without its trailing space:
     *     U-Boot checks for a key once right after printing the countdown (and then prints
     *     {@code "\b\b\b 0"}), then every 10 ms in its loop (then {@code "\b\b\b 0 "}). Under QEMU the
     *     key, written as soon as the countdown shows, arrives in host time and may or may not beat
     *     the first check; on Brassboard it arrives one character time later, always in the loop.</li>
     * </ul>
     * And the {@code saveenv} line is left out of QEMU's run 1 (so the comparison of run 1 stops
     * before it): Debian's QEMU 7.2 fails U-Boot's CFI buffered write ({@code Writing to Flash...
     * Flash buffer write timeout at address 4000000}, {@code Failed (1)}), and after that failure
     * the characters this test typed next under QEMU went unechoed for seconds. Brassboard's
     * {@code saveenv} succeeds (asserted on its own), and QEMU's run 2 boots on the flash file
     * Brassboard wrote, so the environment Brassboard saved is checked against QEMU's reading of it.
     */
    static final List<Pattern> DIFFERING = List.of(
            UbootConsole.ALWAYS_DIFFERING.get(0),
            Pattern.compile("^Early malloc usage: .*"));


    private static Session run1;
    private static Session run2;
    /** The flash files (64 MiB each), removed after the class. */
    @TempDir
    static Path flashDir;

    record Session(String output, RunResult result, Path flash1) {
        List<String> lines() {
            return UbootConsole.Session.lines(output);
        }
    }

    /** Runs U-Boot on Brassboard with {@code script} paced by {@link #PROMPT}, flash bank 1 in {@code flash1}. */
    static Session brassboard(String script, Path flash1) throws Exception {
        UbootConsole.Session s = UbootConsole.brassboard(script, b -> b.flash1(flash1));
        return new Session(s.output(), s.result(), flash1);
    }

    static synchronized Session run1() throws Exception {
        if (run1 == null) {
            run1 = brassboard(SCRIPT_1, flashDir.resolve("flash1.img"));
        }
        return run1;
    }

    static synchronized Session run2() throws Exception {
        if (run2 == null) {
            Path flash = run1().flash1();
            // Keep run 1's file as it was, for QEMU's second run.
            Files.copy(flash, flashDir.resolve("flash1-after-run1.img"));
            run2 = brassboard(SCRIPT_2, flash);
        }
        return run2;
    }

    @Test
    void bootsToThePromptWithTheAutobootCountdownInVirtualTime(TestMachineBuilder board) {
        TestMachine m = board.bios(UbootConsole.uboot()).consoleInput(false).build();
        m.console().expect("\n=> $", Duration.ofSeconds(10));
        String text = m.console().transcript().replace("\r", "");
        assertThat(text).contains("U-Boot 2023.01+dfsg-2+deb12u3", "DRAM:  128 MiB", "Flash: 64 MiB",
                "Hit any key to stop autoboot:  2 \b\b\b 1 \b\b\b 0 \n");
        // bootdelay=2: two seconds of virtual time pass in the countdown (the failed autoboot after it
        // takes a few milliseconds more). Host time is not asserted.
        assertThat(m.now()).isBetween(2_000_000_000L, 2_500_000_000L);
    }

    @Test
    void runsTheCommands() throws Exception {
        Session s = run1();
        String text = s.output().replace("\r", "");
        assertThat(text).contains(
                "=> version\nU-Boot 2023.01+dfsg-2+deb12u3",
                "=> bdinfo\nboot_params = 0x00000000\nDRAM bank   = 0x00000000\n-> start    = 0x40000000\n-> size     = 0x08000000\n",
                "40100000: 12345678 12345678 a5a5a5a5 12345678  xV4.xV4.....xV4.\n",
                "40100000: 78 56 34 12 78 56 34 12 a5 a5 a5 a5 78 56 34 12  xV4.xV4.....xV4.\n",
                "Total of 16 word(s) were the same\n",
                "byte at 0x40100006 (0x34) != byte at 0x40180006 (0xef)\nTotal of 6 byte(s) were the same\n",
                "crc32 for 40100000 ... 4010003f ==> 01051251\n",
                "40100100: 51120501                             ...Q\n",
                "a=1244\n", "b=36cc\n", "c=12345678\n", "d=f0f0\n", "s=aaXcc\n",
                "=> printenv bootdelay baudrate\nbootdelay=2\nbaudrate=115200\n",
                "board=qemu-arm\n",
                "item 1\nitem 2\nitem 3\n",
                "greater\n", "match\n",
                "n=0\nn=1\nn=2\nn=3\nn=4\n=> ");
    }

    @Test
    void saveenvPersistsIntoASecondRunOnTheSameFlashFile() throws Exception {
        String first = run1().output().replace("\r", "");
        assertThat(first).contains("Saving Environment to Flash... Un-Protected 2 sectors\nErasing Flash...\n.. done\n"
                + "Erased 2 sectors\nWriting to Flash... done\nProtected 2 sectors\nOK\n");
        String second = run2().output().replace("\r", "");
        assertThat(second).contains("Loading Environment from Flash... OK\n",
                "=> printenv brassboard_saved\nbrassboard_saved=hello-1244\n");
        assertThat(run2().result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }

    @Test
    void aPacedRunIsDeterministic() throws Exception {
        Session first = run2();
        Path again = flashDir.resolve("flash1-again.img");
        Files.copy(flashDir.resolve("flash1-after-run1.img"), again);
        Session second = brassboard(SCRIPT_2, again);
        assertThat(second.output()).isEqualTo(first.output());
        assertThat(second.result()).isEqualTo(first.result());
    }

    @Test
    void resetRestartsTheMachineToThePrompt() throws Exception {
        String text = run1().output().replace("\r", "");
        int reset = text.indexOf("=> reset\nresetting ...\n");
        assertThat(reset).as(text).isPositive();
        String after = text.substring(reset);
        assertThat(after).contains("U-Boot 2023.01+dfsg-2+deb12u3", "Loading Environment from Flash... OK\n",
                "Hit any key to stop autoboot:  2 ", "=> printenv brassboard_saved\nbrassboard_saved=hello-1244\n=> poweroff\n");
    }

    @Test
    void poweroffEndsTheRunWithExitStatus0() throws Exception {
        Session s = run1();
        assertThat(s.output().replace("\r", "")).endsWith("=> poweroff\npoweroff ...\n");
        assertThat(s.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(s.result().exitCode()).isZero();
    }

    @Test
    void printsWhatQemuPrintsForTheSameScript() throws Exception {
        Path qemu = UbootConsole.qemuOrSkip();
        Session s1 = run1();
        Path qemuFlash = flashDir.resolve("qemu-flash1.img");
        writeErased(qemuFlash);
        String q1 = qemu(qemu, SCRIPT_1.replace(SAVEENV + "\n", ""), qemuFlash);
        // Run 1 up to the saveenv (see DIFFERING for why not after).
        UbootConsole.assertSameLines(UbootConsole.upTo(s1.lines(), "=> " + SAVEENV),
                UbootConsole.upTo(UbootConsole.Session.lines(q1), "=> reset"), DIFFERING, "run 1");
        Session s2 = run2();
        Path brassboardWrote = flashDir.resolve("flash1-after-run1.img");
        Path q2flash = flashDir.resolve("qemu-flash1-run2.img");
        Files.copy(brassboardWrote, q2flash);
        String q2 = qemu(qemu, SCRIPT_2, q2flash);
        UbootConsole.assertSameLines(s2.lines(), UbootConsole.Session.lines(q2), DIFFERING,
                "run 2 (QEMU on the flash file Brassboard wrote)");
        assertThat(q2.replace("\r", "")).contains("brassboard_saved=hello-1244\n");
    }

    static void writeErased(Path file) throws IOException {
        byte[] erased = new byte[64 << 20];
        Arrays.fill(erased, (byte) 0xff);
        Files.write(file, erased);
    }

    /** U-Boot under QEMU with flash bank 1 in {@code flash1}. */
    static String qemu(Path qemu, String script, Path flash1) throws Exception {
        return UbootConsole.qemu(qemu, script, List.of("-drive", "if=pflash,unit=1,format=raw,file=" + flash1.toAbsolutePath()));
    }
}
