package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.TestImages.Rig;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PSCI and the boot protocol, driven by tiny hand-assembled programs (words from arm-none-eabi-as). */
class FirmwareServicesTest {
    @TempDir
    Path dir;

    private Rig raw(long address, int... words) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        Path f = dir.resolve("prog.bin");
        Files.write(f, b.array());
        return TestImages.rig(MachineConfig.of(f).withLoadAddress(OptionalLong.of(address)), null);
    }

    @Test
    void systemResetReloadsTheImageAndRestartsTheCpu() throws Exception {
        // Prints 'R', overwrites its own first instruction with UDF, then PSCI SYSTEM_RESET.
        // If a reset did not reload the image, the second boot would hit the UDF.
        Rig r = raw(0x4010_0000L,
                0xE3001000,   // movw r1, #0
                0xE3401900,   // movt r1, #0x900       (PL011 UARTDR)
                0xE3A00052,   // mov r0, #'R'
                0xE5810000,   // str r0, [r1]
                0xE24F2018,   // sub r2, pc, #24       (r2 = _start)
                0xE30030F0,   // movw r3, #0xf0
                0xE34E37F0,   // movt r3, #0xe7f0      (udf #0)
                0xE5823000,   // str r3, [r2]
                0xE3A00321,   // mov r0, #0x84000000
                0xE3800009,   // orr r0, r0, #9        (SYSTEM_RESET)
                0xE1400070);  // hvc #0
        StringWriter trace = new StringWriter();
        r.machine().tracer().addSink(new TextTraceSink(trace));
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(11 * 3));
        r.machine().tracer().close();
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(r.text()).isEqualTo("RRR");
        assertThat(trace.toString()).contains("SYSTEM_RESET via hvc").contains("machine.reset").doesNotContain("undefined");
    }

    @Test
    void smcIsUndefinedWhenTheConduitIsHvcAsOnQemuVirt() throws Exception {
        Rig r = raw(0x4010_0000L,
                0xE3A00321,   // mov r0, #0x84000000
                0xE3800008,   // orr r0, r0, #8        (SYSTEM_OFF)
                0xE1600070);  // smc #0
        StringWriter trace = new StringWriter();
        r.machine().tracer().addSink(new TextTraceSink(trace));
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(1000));
        r.machine().tracer().close();
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(trace.toString()).contains("cpu.exception").contains("undefined instruction 0xe1600070 (smc 0)").doesNotContain("psci.call");
    }

    @Test
    void psciVersionAndFeaturesAnswerAsQemu() throws Exception {
        Rig r = raw(0x4010_0000L,
                0xE3A00321,   // mov r0, #0x84000000   (PSCI_VERSION)
                0xE1400070,   // hvc #0
                0xE1A04000,   // mov r4, r0
                0xE3A00321,   // mov r0, #0x84000000
                0xE380000A,   // orr r0, r0, #10       (PSCI_FEATURES)
                0xE3A01321,   // mov r1, #0x84000000
                0xE3811009,   // orr r1, r1, #9        (of SYSTEM_RESET)
                0xE1400070,   // hvc #0
                0xE1A05000,   // mov r5, r0
                0xE3A00321,   // mov r0, #0x84000000
                0xE3800008,   // orr r0, r0, #8        (SYSTEM_OFF)
                0xE1400070);  // hvc #0
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(1000));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(r.machine().cpu().reg(4)).isEqualTo(0x0001_0001);
        assertThat(r.machine().cpu().reg(5)).isZero();
    }

    @Test
    void flashEntryBootsLikeBiosWithTheDtbAtTheBaseOfRam() throws Exception {
        Rig r = raw(0x0, 0xEAFFFFFE); // b .
        assertThat(r.machine().cpu().pc()).isZero();
        assertThat(r.machine().cpu().reg(0)).isZero();
        assertThat(r.machine().cpu().reg(1)).isZero();
        assertThat(r.machine().cpu().reg(2)).isZero();
        assertThat(r.machine().bus().read(0x4000_0000L, 4, 0)).isEqualTo(0xEDFE0DD0L);
        assertThat(Integer.toHexString(r.machine().cpu().cpsr() & 0x1FF)).isEqualTo("1d3"); // SVC, A, I, F
    }

    @Test
    void dtbMovesPastAnImageThatSitsAtTheBaseOfRam() throws Exception {
        Rig r = raw(0x4000_0000L, 0xEAFFFFFE); // b .
        assertThat(r.machine().cpu().reg(2)).isEqualTo(0x4000_1000);
        assertThat(r.machine().bus().read(0x4000_1000L, 4, 0)).isEqualTo(0xEDFE0DD0L);
    }

    @Test
    void anIdleMachineWithNothingPendingStops() throws Exception {
        Rig r = raw(0x4010_0000L, 0xE320F003); // wfi
        RunResult result = r.machine().run(RunLimits.none());
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(result.message()).contains("waits for an interrupt");
    }
}
