package brassboard.boards.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.api.RunResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test API on the sample images: consoles in virtual time, pausing that changes nothing, memory, registers, faults. */
class TestMachineTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @TempDir
    Path tmp;

    static TestMachine machine(String image) {
        return TestMachine.builder().image(TestImages.image(image)).build();
    }

    @Test
    void aConversationWithTheEchoFirmware() {
        try (TestMachine m = machine("echo.elf")) {
            m.console().expect("echo> $", SECOND);
            m.console().sendLine("hello");
            MatchResult echoed = m.console().expect("(\\w+)\r\necho> $", SECOND);
            assertThat(echoed.group(1)).isEqualTo("hello");
            m.console().sendLine("exit");
            RunResult end = m.runToEnd(SECOND);
            assertThat(end.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
            assertThat(m.console().transcript()).isEqualTo("echo> hello\r\necho> exit\r\n");
        }
    }

    @Test
    void anExpectationReadsOnFromThePreviousMatch() {
        try (TestMachine m = machine("ticker.elf")) {
            assertThat(m.console().expect("tick (\\d)\r\n", SECOND).group(1)).isEqualTo("0");
            assertThat(m.console().expect("tick (\\d)\r\n", SECOND).group(1)).isEqualTo("1");
            assertThat(m.console().unmatched()).doesNotContain("tick 1");
        }
    }

    @Test
    void anExpectationTimesOutInVirtualTimeQuotingTheOutput() {
        try (TestMachine m = machine("ticker.elf")) {
            assertThatThrownBy(() -> m.console().expect("never", Duration.ofMillis(3)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("console output never matched /never/: nothing matched within 3.000000 ms of virtual time")
                    .hasMessageContaining("| tick 0");
            // The pause comes at most one quantum (10 000 instructions at 1 GHz) past the deadline.
            assertThat(m.now()).isBetween(3_000_000L, 3_010_000L);
            assertThat(m.running()).isTrue();
        }
    }

    @Test
    void anExpectationAfterTheEndSaysHowTheRunEnded() {
        try (TestMachine m = machine("hello.elf")) {
            assertThat(m.runToEnd(SECOND).outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
            assertThatThrownBy(() -> m.console().expect("goodbye", SECOND))
                    .hasMessageContaining("the run ended (powered off (PSCI SYSTEM_OFF)")
                    .hasMessageContaining("| powering off via PSCI SYSTEM_OFF");
        }
    }

    @Test
    void advanceLetsVirtualTimePassAndStepCountsInstructions() {
        try (TestMachine m = machine("ticker.elf")) {
            m.advance(Duration.ofMillis(2));
            assertThat(m.now()).isBetween(2_000_000L, 2_010_000L);
            long before = m.cpu(0).instructionsRetired();
            m.step(1234);
            assertThat(m.cpu(0).instructionsRetired()).isEqualTo(before + 1234);
            assertThat(m.runToEnd(Duration.ZERO.plusMillis(1)).outcome()).isNull();
        } catch (AssertionError e) {
            assertThat(e).hasMessageContaining("runToEnd: the run was still going after 1.000000 ms of virtual time");
        }
    }

    @Test
    void runUntilWaitsForAConditionOnTheMachinesMemory() {
        try (TestMachine m = TestMachine.builder().image(TestImages.image("irq-demo.elf")).cpus(2).build()) {
            long heartbeats = m.symbol("heartbeats");
            m.runUntil(() -> m.readWord(heartbeats) >= 3, Duration.ofMillis(100));
            assertThat(m.readWord(heartbeats)).isEqualTo(3);
            assertThatThrownBy(() -> m.runUntil(() -> false, Duration.ofMillis(1)))
                    .hasMessageContaining("runUntil: the condition never held: not within 1.000000 ms of virtual time");
        }
    }

    /** The trace and output of irq-demo on two cores, run straight through or paused every 100 us and at each tick. */
    private String tracedIrqDemo(Path trace, boolean pausing) throws Exception {
        try (TestMachine m = TestMachine.builder().image(TestImages.image("irq-demo.elf")).cpus(2).consoleInput(false).trace(trace).build()) {
            if (pausing) {
                for (int tick = 1; tick <= 10; tick++) {
                    m.console().expect("tick " + tick + "\r\n", SECOND);
                    m.advance(Duration.ofNanos(100_000));
                }
                while (m.running()) {
                    m.advance(Duration.ofNanos(100_000));
                }
            } else {
                m.runToEnd(SECOND);
            }
            m.close();
            return Files.readString(trace) + m.result().orElseThrow().message() + m.console().transcript();
        }
    }

    @Test
    void pausingChangesNothingTheFirmwareDoes() throws Exception {
        String straight = tracedIrqDemo(tmp.resolve("straight.txt"), false);
        String paused = tracedIrqDemo(tmp.resolve("paused.txt"), true);
        assertThat(straight).contains("gic.sgi", "psci", "irq-demo: powering off");
        assertThat(paused).isEqualTo(straight);
    }

    @Test
    void memoryAndRegistersAsADebuggerSeesThem() throws Exception {
        // ldr r4, [DATA]; power off (faults/Programs.LOAD_WORD)
        int[] program = {0xE3001020, 0xE3441010, 0xE5914000, 0xE3A00321, 0xE3800008, 0xE1400070, 0, 0, 0x12345678};
        long base = 0x4010_0000L;
        try (TestMachine m = TestMachine.builder().image(write(program), base).build()) {
            assertThat(m.readWord(base + 0x20)).isEqualTo(0x12345678);
            m.writeWord(base + 0x20, 0xCAFEF00D);
            assertThat(m.readBytes(base + 0x20, 4)).containsExactly(0x0D, 0xF0, 0xFE, 0xCA);
            assertThat(m.read(base + 0x22, 2)).isEqualTo(0xCAFE);
            assertThat(m.pc()).isEqualTo((int) base);
            m.setReg(5, 55);
            m.runToEnd(SECOND);
            assertThat(m.reg(4)).isEqualTo(0xCAFEF00D);
            assertThat(m.reg(0, 5)).isEqualTo(55);
            // The MMU is off: virtual addresses are physical ones.
            assertThat(m.translate(base + 0x20)).isEqualTo(base + 0x20);
            assertThat(m.readVirtual(base + 0x1e, 4)).isEqualTo(0xF00D0000L);
            m.writeVirtual(base + 0xffe, 4, 0x11223344L);
            assertThat(m.readWord(base + 0xffe)).isEqualTo(0x11223344);
            m.load(base + 0x40, new byte[] {1, 2, 3});
            assertThat(m.readBytes(base + 0x40, 3)).containsExactly(1, 2, 3);
            assertThatThrownBy(() -> m.readWord(0x0910_0000L)).isInstanceOf(TestkitException.class)
                    .hasMessage("nothing is mapped at physical address 0x09100000");
            assertThatThrownBy(() -> m.reg(16)).hasMessage("register r16: expected r0 to r15");
            assertThatThrownBy(() -> m.cpu(1)).hasMessage("cpu 1: this machine has cores 0 to 0");
            assertThatThrownBy(() -> m.read(base, 3)).hasMessage("access size 3: expected 1, 2 or 4 bytes");
        }
    }

    private Path write(int[] words) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return Files.write(tmp.resolve("prog.bin"), b.array());
    }

    @Test
    void symbolsComeFromTheImage() throws Exception {
        try (TestMachine m = machine("hello.elf")) {
            assertThat(m.symbol("main")).isEqualTo(0x4001034cL);
            assertThatThrownBy(() -> m.symbol("nonesuch")).isInstanceOf(TestkitException.class)
                    .hasMessageContaining("no symbol 'nonesuch' in").hasMessageEndingWith("hello.elf");
        }
        // A raw image has none of its own: name a file that has them (an ELF, a System.map).
        try (TestMachine m = TestMachine.builder().image(write(new int[] {0xE320F003}), 0x4010_0000L) // wfi
                .symbols(TestImages.image("hello.elf")).build()) {
            assertThat(m.symbol("main")).isEqualTo(0x4001034cL);
        }
        assertThatThrownBy(() -> TestMachine.builder().image(TestImages.image("hello.elf")).symbols(tmp.resolve("System.map")).build())
                .isInstanceOf(TestkitException.class).hasMessageContaining("System.map: no such file");
    }

    @Test
    void aFaultPlanArmedFromYamlAndItsReport() {
        try (TestMachine m = TestMachine.builder().image(TestImages.image("irq-demo.elf")).cpus(2).build()) {
            assertThat(m.faultReport()).isEqualTo("no fault plan armed" + System.lineSeparator());
            m.armFaults("rules:\n  - point: timer.cpu0.virt\n    when: { after: 3500us }\n    action: skip\n    times: once\n");
            m.console().expect("timer stalled: only 3 of 10 ticks", SECOND);
            assertThat(m.faultReport()).contains("4.028336 ms  timer.cpu0.virt expiry: skipped");
            assertThatThrownBy(() -> m.armFaults("rules: []\n")).isInstanceOf(TestkitException.class)
                    .hasMessageContaining("is already armed on this machine");
        }
    }

    @Test
    void aBadFaultPlanIsOneLine() {
        assertThatThrownBy(() -> TestMachine.builder().image(TestImages.image("hello.elf"))
                .faults("rules:\n  - point: nowhere\n    action: drop\n").build())
                .isInstanceOf(TestkitException.class).hasMessageContaining("nowhere").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void buildErrorsNameWhatIsWrong() {
        Path hello = TestImages.image("hello.elf");
        assertThatThrownBy(() -> TestMachine.builder().board("sabre").image(hello).build())
                .isInstanceOf(TestkitException.class).hasMessage("unknown board 'sabre'; known boards: virt");
        assertThatThrownBy(() -> TestMachine.builder().board(tmp.resolve("nowhere.yaml")).image(hello).build())
                .isInstanceOf(TestkitException.class).hasMessageContaining("nowhere.yaml").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> TestMachine.builder().build()).hasMessage("no firmware: name an image (image, bios or kernel)");
        assertThatThrownBy(() -> TestMachine.builder().image(hello).cpus(9).build())
                .hasMessage("cpus 9: expected a number of cores from 1 to 8");
        assertThatThrownBy(() -> TestMachine.builder().image(hello).append("console=ttyAMA0").build())
                .hasMessage("initrd, append and dtb go with a kernel: name it with kernel(...)");
        assertThatThrownBy(() -> TestMachine.builder().image(tmp.resolve("missing.elf")).build())
                .isInstanceOf(TestkitException.class).hasMessageContaining("missing.elf");
        assertThatThrownBy(() -> TestMachine.builder().usb("floppy,disk=x.img"))
                .isInstanceOf(TestkitException.class).hasMessageContaining("floppy");
        try (TestMachine m = machine("echo.elf")) {
            assertThatThrownBy(() -> m.advance(Duration.ofSeconds(-1))).hasMessageContaining("expected a duration >= 0");
        }
        try (TestMachine m = TestMachine.builder().image(hello).consoleInput(false).build()) {
            assertThatThrownBy(() -> m.console().send("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("console input is closed");
        }
    }

    @Test
    void aJsonTraceIsPerfettosFormat() throws Exception {
        Path trace = tmp.resolve("sub/trace.json");
        try (TestMachine m = TestMachine.builder().image(TestImages.image("hello.elf")).trace(trace).build()) {
            m.runToEnd(SECOND);
        }
        assertThat(Files.readString(trace)).contains("\"traceEvents\"");
    }
}
