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
        return rawWithInput(address, null, words);
    }

    /** A raw program in RAM at {@code address}, with {@code input} fed to the UART (or none). */
    private Rig rawWithInput(long address, String input, int... words) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        Path f = dir.resolve("prog.bin");
        Files.write(f, b.array());
        return TestImages.rig(MachineConfig.of(f).withLoadAddress(OptionalLong.of(address)), input);
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
    void semihostingFromThumbStateUsesSvc0xAB() throws Exception {
        Rig r = raw(0x4010_0000L,
                0xE28F0001,   // add r0, pc, #1       (the Thumb code below, bit 0 set)
                0xE12FFF10,   // bx r0
                0xF2402018,   // movs r0, #0x18 (SYS_EXIT) ; movw r1, #0x26 (hw1)
                0xF2C00126,   // (hw2) ; movt r1, #2 (hw1): r1 = ADP_Stopped_ApplicationExit
                0xDFAB0102);  // (hw2) ; svc #0xab
        RunResult result = r.machine().run(RunLimits.none().withMaxInsns(1000));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FIRMWARE_EXIT);
        assertThat(result.exitCode()).isZero();
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

    @Test
    void aUartInterruptWakesTheCpuFromWfiThroughTheGic() throws Exception {
        // Sets VBAR, enables the GIC distributor and CPU interface, SPI 1 (INTID 33, the UART) and
        // the UART's receive interrupt, unmasks IRQ and waits in WFI. The IRQ handler acknowledges
        // (GICC_IAR), echoes the received byte + 1, ends the interrupt (GICC_EOIR) and powers off.
        // Built with arm-none-eabi-as from the assembly in the comments.
        int[] words = {
                0xe59f0098, // ldr r0, [pc, #152] @ 401000a0 <vectors+0x20>
                0xee0c0f10, // mcr 15, 0, r0, cr12, cr0, {0}
                0xe3a04302, // mov r4, #134217728 @ 0x8000000
                0xe3a01001, // mov r1, #1
                0xe5841000, // str r1, [r4]
                0xe3a01002, // mov r1, #2
                0xe5841104, // str r1, [r4, #260] @ 0x104
                0xe59f5080, // ldr r5, [pc, #128] @ 401000a4 <vectors+0x24>
                0xe3a010f0, // mov r1, #240 @ 0xf0
                0xe5851004, // str r1, [r5, #4]
                0xe3a01001, // mov r1, #1
                0xe5851000, // str r1, [r5]
                0xe3a06409, // mov r6, #150994944 @ 0x9000000
                0xe3a01010, // mov r1, #16
                0xe5861038, // str r1, [r6, #56] @ 0x38
                0xe59f1064, // ldr r1, [pc, #100] @ 401000a8 <vectors+0x28>
                0xe5861030, // str r1, [r6, #48] @ 0x30
                0xf1080080, // cpsie i
                0xe320f003, // wfi
                0xeafffffd, // b 40100048 <wait>
                0xe595100c, // ldr r1, [r5, #12]
                0xe5962000, // ldr r2, [r6]
                0xe2822001, // add r2, r2, #1
                0xe5862000, // str r2, [r6]
                0xe5851010, // str r1, [r5, #16]
                0xe3a00321, // mov r0, #-2080374784 @ 0x84000000
                0xe3800008, // orr r0, r0, #8
                0xe1400070, // hvc 0
                0xe320f000, // nop {0}
                0xe320f000, // nop {0}
                0xe320f000, // nop {0}
                0xe320f000, // nop {0}
                0xeafffffe, // b 40100080 <vectors>
                0xeafffffe, // b 40100084 <vectors+0x4>
                0xeafffffe, // b 40100088 <vectors+0x8>
                0xeafffffe, // b 4010008c <vectors+0xc>
                0xeafffffe, // b 40100090 <vectors+0x10>
                0xeafffffe, // b 40100094 <vectors+0x14>
                0xeaffffec, // b 40100050 <irq_handler>
                0xeafffffe, // b 4010009c <vectors+0x1c>
                0x40100080, // .word 0x40100080
                0x08010000, // .word 0x08010000
                0x00000301, // .word 0x00000301
        };
        Rig r = rawWithInput(0x4010_0000L, "x", words);
        StringWriter trace = new StringWriter();
        r.machine().tracer().addSink(new TextTraceSink(trace));
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(1_000_000_000L));
        r.machine().tracer().close();
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(r.text()).isEqualTo("y");
        assertThat(trace.toString()).contains("irq.raise").contains("gic.cpu0.irq").contains("cpu.exception").contains("irq at pc");
        // the CPU slept: far fewer instructions than virtual nanoseconds went by
        assertThat(result.instructions()).isLessThan(1000);
        assertThat(result.virtualTimeNs()).isGreaterThan(50_000);
    }

    @Test
    void aFirmwareThatSleepsTenVirtualSecondsCostsNoInstructionsWhileAsleep() throws Exception {
        // Arms the PL031's match interrupt 10 s ahead (RTCMR = RTCDR + 10), enables INTID 34 in
        // the GIC, unmasks IRQ and waits in WFI; the IRQ handler clears the match and powers off.
        // Virtual time jumps from event to event, so the sleep costs no host time and no
        // instructions (the test asserts the count; wall-clock time is measured, not asserted:
        // `brassboard run` of this program takes about a second, mostly JVM start-up).
        Rig r = raw(0x4010_0000L,
            0xe59f0098, // ldr r0, [pc, #152] @ 401000a0 <vectors+0x20>
            0xee0c0f10, // mcr 15, 0, r0, cr12, cr0, {0}
            0xe3a04302, // mov r4, #134217728 @ 0x8000000
            0xe3a01001, // mov r1, #1
            0xe5841000, // str r1, [r4]
            0xe3a01004, // mov r1, #4
            0xe5841104, // str r1, [r4, #260] @ 0x104
            0xe59f5080, // ldr r5, [pc, #128] @ 401000a4 <vectors+0x24>
            0xe3a010f0, // mov r1, #240 @ 0xf0
            0xe5851004, // str r1, [r5, #4]
            0xe3a01001, // mov r1, #1
            0xe5851000, // str r1, [r5]
            0xe59f6070, // ldr r6, [pc, #112] @ 401000a8 <vectors+0x28>
            0xe5961000, // ldr r1, [r6]
            0xe281100a, // add r1, r1, #10
            0xe5861004, // str r1, [r6, #4]
            0xe3a01001, // mov r1, #1
            0xe5861010, // str r1, [r6, #16]
            0xf1080080, // cpsie i
            0xe320f003, // wfi
            0xeafffffd, // b 4010004c <wait>
            0xe595100c, // ldr r1, [r5, #12]
            0xe3a02001, // mov r2, #1
            0xe586201c, // str r2, [r6, #28]
            0xe5851010, // str r1, [r5, #16]
            0xe3a00321, // mov r0, #-2080374784 @ 0x84000000
            0xe3800008, // orr r0, r0, #8
            0xe1400070, // hvc 0
            0xe320f000, // nop {0}
            0xe320f000, // nop {0}
            0xe320f000, // nop {0}
            0xe320f000, // nop {0}
            0xeafffffe, // b 40100080 <vectors>
            0xeafffffe, // b 40100084 <vectors+0x4>
            0xeafffffe, // b 40100088 <vectors+0x8>
            0xeafffffe, // b 4010008c <vectors+0xc>
            0xeafffffe, // b 40100090 <vectors+0x10>
            0xeafffffe, // b 40100094 <vectors+0x14>
            0xeaffffed, // b 40100054 <irq_handler>
            0xeafffffe, // b 4010009c <vectors+0x1c>
            0x40100080, // .word 0x40100080
            0x08010000, // .word 0x08010000
            0x09010000  // .word 0x09010000
        );
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(60_000_000_000L));
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(result.virtualTimeNs()).isBetween(10_000_000_000L, 10_000_001_000L);
        assertThat(result.instructions()).isLessThan(100);
    }
    @Test
    void aFirmwareSleepsTenVirtualSecondsOnTheGenericTimer() throws Exception {
        // Enables INTID 27 (the virtual timer's PPI) in the GIC, programs CNTV_TVAL with 10 s of
        // 62.5 MHz ticks, enables the timer and waits in WFI with IRQs masked (WFI wakes anyway);
        // then reads CNTVCT into r5:r4 and GICC_IAR into r6, and powers off.
        Rig r = raw(0x4010_0000L,
            0xE3001000, // movw r1, #0
            0xE3401800, // movt r1, #0x800        GICD
            0xE3A00001, // mov r0, #1
            0xE5810000, // str r0, [r1]           GICD_CTLR = 1
            0xE3A00302, // mov r0, #0x8000000     INTID 27
            0xE5810100, // str r0, [r1, #0x100]   GICD_ISENABLER0
            0xE3002000, // movw r2, #0
            0xE3402801, // movt r2, #0x801        GICC
            0xE3A000F0, // mov r0, #0xf0
            0xE5820004, // str r0, [r2, #4]       GICC_PMR
            0xE3A00001, // mov r0, #1
            0xE5820000, // str r0, [r2]           GICC_CTLR
            0xE30B0E40, // movw r0, #0xbe40
            0xE3420540, // movt r0, #0x2540       625,000,000 ticks
            0xEE0E0F13, // mcr p15, 0, r0, c14, c3, 0   CNTV_TVAL
            0xE3A00001, // mov r0, #1
            0xEE0E0F33, // mcr p15, 0, r0, c14, c3, 1   CNTV_CTL = ENABLE
            0xE320F003, // wfi
            0xEC554F1E, // mrrc p15, 1, r4, r5, c14     CNTVCT
            0xE592600C, // ldr r6, [r2, #12]      GICC_IAR
            0xE3000008, // movw r0, #8
            0xE3480400, // movt r0, #0x8400
            0xE1400070); // hvc #0                SYSTEM_OFF
        RunResult result = r.machine().run(RunLimits.none().withMaxTimeNs(60_000_000_000L));
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(result.instructions()).as("23 instructions; the HVC that powers off does not retire").isEqualTo(22);
        assertThat(result.virtualTimeNs()).isBetween(10_000_000_000L, 10_000_001_000L);
        long count = (r.machine().cpu().reg(5) & 0xFFFF_FFFFL) << 32 | (r.machine().cpu().reg(4) & 0xFFFF_FFFFL);
        assertThat(count).isBetween(625_000_000L, 625_000_100L);
        assertThat(r.machine().cpu().reg(6)).as("GICC_IAR: the virtual timer's INTID").isEqualTo(27);
    }
}
