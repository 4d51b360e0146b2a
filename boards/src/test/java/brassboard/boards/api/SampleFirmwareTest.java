package brassboard.boards.api;

import static brassboard.boards.TestImages.image;
import static brassboard.boards.TestImages.rig;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages.Rig;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sample images against their golden transcripts — the transcripts QEMU 7.2 prints for the
 * same images ({@code firmware/images/README.md}), so these double as a whole-firmware check
 * against the oracle.
 */
class SampleFirmwareTest {
    @Test
    void helloPrintsItsBannerAndPowersOff() throws Exception {
        Rig r = rig("hello.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(5_000_000));
        assertThat(r.text()).isEqualTo("Brassboard hello: ARMv7-A on the virt board\r\n"
                + "MIDR 0x414fc0f0\r\n"
                + "powering off via PSCI SYSTEM_OFF\r\n");
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(result.exitCode()).isZero();
        assertThat(result.message()).contains("PSCI SYSTEM_OFF");
    }

    @Test
    void thumbRunsItsThumb2CodeAndPrintsWhatQemuPrints() throws Exception {
        Rig r = rig("thumb.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(50_000_000));
        assertThat(r.text()).isEqualTo("Brassboard thumb: Thumb-2 on the virt board\r\n"
                + "crc32 0x30704d8a\r\n"
                + "switch 0xfe0bee90\r\n"
                + "collatz 0x00000b67 0x000000d8\r\n"
                + "divide 0x0a093f3b\r\n"
                + "mix 0x437ac636 0x677dc294\r\n"
                + "powering off via PSCI SYSTEM_OFF\r\n");
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }

    @Test
    void semihostingWritesAndExitsWithTheFirmwaresStatus() throws Exception {
        Rig r = rig("semihost.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(5_000_000));
        assertThat(r.text()).isEqualTo("Brassboard semihost: SYS_WRITE0 works\nok!\n");
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FIRMWARE_EXIT);
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void echoReadsAnInputScriptAndPowersOffOnExit() throws Exception {
        Rig r = rig(MachineConfig.of(image("echo.elf")), "hello\nexit\n");
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(5_000_000_000L));
        assertThat(r.text()).isEqualTo("echo> hello\r\necho> exit\r\n");
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }

    @Test
    void echoExitsWithSevenOnControlD() throws Exception {
        Rig r = rig(MachineConfig.of(image("echo.elf")), "abc\r\n\u0004");
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(5_000_000_000L));
        assertThat(r.text()).isEqualTo("echo> abc\r\necho> \r\n");
        assertThat(result.exitCode()).isEqualTo(7);
    }

    @Test
    void abortHandlerSeesTheExternalAbortOnAnUnmappedRead() throws Exception {
        Rig r = rig("abort.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(5_000_000));
        assertThat(r.text()).isEqualTo("reading 0x09100000\r\ndata abort: DFSR=0x00000008 DFAR=0x09100000\r\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void instructionLimitStopsTheTicker() throws Exception {
        Rig r = rig("ticker.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(1_000_000));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.instructions()).isEqualTo(1_000_000);
        assertThat(r.text()).startsWith("tick 0\r\ntick 1\r\n");
    }

    @Test
    void virtualTimeLimitStopsTheTicker() throws Exception {
        Rig r = rig("ticker.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(2_000_000));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(result.virtualTimeNs()).isEqualTo(2_000_000);
        assertThat(result.message()).contains("--max-time");
    }

    @Test
    void untilStopsWhenTheOutputMatches() throws Exception {
        Rig r = rig("ticker.elf");
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(50_000_000).withUntil(Pattern.compile("tick 3\\r\\n")));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.UNTIL_MATCHED);
        assertThat(result.exitCode()).isZero();
        assertThat(r.text()).endsWith("tick 3\r\n").doesNotContain("tick 4");
    }

    @Test
    void twoRunsOfTheSameImageGiveIdenticalTraces() throws Exception {
        String first = tracedRun("echo.elf", "one\ntwo\nexit\n");
        String second = tracedRun("echo.elf", "one\ntwo\nexit\n");
        assertThat(first).isNotEmpty().isEqualTo(second);
        assertThat(first).contains("machine.start").contains("psci.call").contains("machine.stop");
        String abort = tracedRun("abort.elf", null);
        assertThat(abort).contains("bus.unmapped").contains("cpu.exception");
    }

    private static String tracedRun(String image, String input) throws Exception {
        Rig r = rig(MachineConfig.of(image(image)), input);
        StringWriter trace = new StringWriter();
        r.machine().tracer().addSink(new TextTraceSink(trace));
        r.machine().run(RunLimits.none().withMaxTimeNs(5_000_000_000L));
        r.machine().tracer().close();
        return trace.toString();
    }
}
