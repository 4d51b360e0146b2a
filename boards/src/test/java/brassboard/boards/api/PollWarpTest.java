package brassboard.boards.api;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.api.CharBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PollWarpTest {
    @TempDir
    Path dir;

    private static final int BASE = 0x4000_0000;
    /** r4 = BASE + 0x1000; r2 = CNTPCT + 0x100000; loop: read CNTPCT, store it at [r4], until r0 >= r2; PSCI SYSTEM_OFF. */
    private static final int[] WAIT_LOOP = {
        0xE3A04101, // mov   r4, #0x40000000
        0xE2844A01, // add   r4, r4, #0x1000
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE2802601, // add   r2, r0, #0x100000
        0xEC510F0E, // loop: mrrc p15, 0, r0, r1, c14
        0xE5840000, // str   r0, [r4]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFFB, // bcc   loop
        0xE3000008, // movw  r0, #8
        0xE3480400, // movt  r0, #0x8400   (PSCI SYSTEM_OFF)
        0xE1400070, // hvc   #0
    };

    /** The same wait, but the store's address depends on the counter (str r0, [r4, r3] with r3 = r0 & 0xfc): not skippable. */
    private static final int[] COUNTER_ADDRESSED = {
        0xE3A04101, // mov   r4, #0x40000000
        0xE2844A01, // add   r4, r4, #0x1000
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE2802801, // add   r2, r0, #0x10000
        0xEC510F0E, // loop: mrrc p15, 0, r0, r1, c14
        0xE20030FC, // and   r3, r0, #0xfc
        0xE7840003, // str   r0, [r4, r3]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFFA, // bcc   loop
        0xE3000008, // movw  r0, #8
        0xE3480400, // movt  r0, #0x8400
        0xE1400070, // hvc   #0
    };

    /**
     * A delay function (U-Boot's udelay shape: push, read the counter, spin until it passes the
     * target, pop the return address into the PC) called 64 times for 2 ticks, then once for 0x100000
     * ticks. The short waits end right after their loop is spotted, so the probe's first iteration runs
     * into the function's epilogue (LDM, which it does not model): that must not keep the long wait,
     * through the same counter read, from being skipped.
     */
    private static final int[] DELAY_CALLS = {
        0xE3A0D101, // mov   sp, #0x40000000
        0xE28DD801, // add   sp, sp, #0x10000
        0xE3A04101, // mov   r4, #0x40000000
        0xE2844A01, // add   r4, r4, #0x1000
        0xE3A06040, // mov   r6, #64
        0xE3A00002, // short: mov r0, #2
        0xEB000006, // bl    delay
        0xE2566001, // subs  r6, r6, #1
        0x1AFFFFFB, // bne   short
        0xE3A00601, // mov   r0, #0x100000
        0xEB000002, // bl    delay
        0xE3000008, // movw  r0, #8
        0xE3480400, // movt  r0, #0x8400   (PSCI SYSTEM_OFF)
        0xE1400070, // hvc   #0
        0xE92D4030, // delay: push {r4, r5, lr}
        0xEC532F0E, // mrrc  p15, 0, r2, r3, c14
        0xE0924000, // adds  r4, r2, r0
        0xE2A35000, // adc   r5, r3, #0
        0xEC532F0E, // loop: mrrc p15, 0, r2, r3, c14
        0xE1520004, // cmp   r2, r4
        0xE0D31005, // sbcs  r1, r3, r5
        0x3AFFFFFB, // bcc   loop
        0xE8BD8030, // pop   {r4, r5, pc}
    };

    private record Outcome(RunResult result, long stored, int r0, int r2, long skipped) {
    }

    private Outcome run(int[] code, boolean warp) throws Exception {
        return run(code, warp, () -> true);
    }

    private Outcome run(int[] code, boolean warp, java.util.function.BooleanSupplier gate) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(code.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : code) {
            b.putInt(w);
        }
        Path image = Files.write(dir.resolve("loop.bin"), b.array());
        MachineConfig config = new MachineConfig("virt", MachineConfig.DEFAULT_RAM, image, OptionalLong.of(BASE), 0,
                MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, 1);
        String before = System.getProperty("brassboard.pollwarp");
        System.setProperty("brassboard.pollwarp", String.valueOf(warp));
        try {
            Machine m = Machine.create(config, new Console(CharBackend.disconnected()));
            m.setPollWarpGate(gate);
            RunResult r = m.run(RunLimits.none().withMaxTimeNs(10_000_000_000L));
            long stored = m.bus().read(BASE + 0x1000, 4, 0);
            return new Outcome(r, stored, m.cpu().reg(0), m.cpu().reg(2), m.pollWarpStats()[1]);
        } finally {
            if (before == null) {
                System.clearProperty("brassboard.pollwarp");
            } else {
                System.setProperty("brassboard.pollwarp", before);
            }
        }
    }

    @Test
    void aCounterWaitIsSkippedAndEndsExactlyAsWhenRun() throws Exception {
        Outcome slow = run(WAIT_LOOP, false);
        Outcome fast = run(WAIT_LOOP, true);
        assertThat(slow.result().outcome()).as(slow.result().message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(slow.skipped()).isZero();
        assertThat(fast.skipped()).isPositive();
        // Same virtual time, same instruction count, same memory: the guest cannot tell.
        assertThat(fast.result().virtualTimeNs()).isEqualTo(slow.result().virtualTimeNs());
        assertThat(fast.result().instructions()).isEqualTo(slow.result().instructions());
        assertThat(fast.stored()).isEqualTo(slow.stored());
        assertThat(fast.r2()).isEqualTo(slow.r2());
        // and the loop left as soon as the counter reached the target: 16 ns ticks, 4-instruction iterations
        assertThat(fast.stored() - (fast.r2() & 0xFFFF_FFFFL)).isBetween(0L, 1L);
    }

    /** A debugger with breakpoints closes the gate: every pass of the loop runs (and reaches them). */
    @Test
    void aClosedGateSkipsNothingAndTheRunIsTheSame() throws Exception {
        int[] asked = {0};
        Outcome closed = run(WAIT_LOOP, true, () -> {
            asked[0]++;
            return false;
        });
        Outcome fast = run(WAIT_LOOP, true);
        assertThat(asked[0]).isPositive();
        assertThat(closed.skipped()).isZero();
        assertThat(fast.skipped()).isPositive();
        assertThat(closed.result().virtualTimeNs()).isEqualTo(fast.result().virtualTimeNs());
        assertThat(closed.result().instructions()).isEqualTo(fast.result().instructions());
        assertThat(closed.stored()).isEqualTo(fast.stored());
    }

    @Test
    void aLoopWhoseStoresDependOnTheCounterIsNotSkipped() throws Exception {
        Outcome slow = run(COUNTER_ADDRESSED, false);
        Outcome fast = run(COUNTER_ADDRESSED, true);
        assertThat(fast.skipped()).isZero();
        assertThat(fast.result().virtualTimeNs()).isEqualTo(slow.result().virtualTimeNs());
        assertThat(fast.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }

    @Test
    void aLoopSpottedAsItEndsIntoAnEpilogueTheProbeCannotRunDoesNotBarTheNextLoopThroughTheSameRead() throws Exception {
        Outcome slow = run(DELAY_CALLS, false);
        Outcome fast = run(DELAY_CALLS, true);
        assertThat(slow.result().outcome()).as(slow.result().message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(fast.result().virtualTimeNs()).isEqualTo(slow.result().virtualTimeNs());
        assertThat(fast.result().instructions()).isEqualTo(slow.result().instructions());
        // The long wait (0x100000 ticks of 16 ns: about 16.8 M instructions) is almost all skipped.
        assertThat(fast.skipped()).isGreaterThan(16_000_000L);
    }
}
