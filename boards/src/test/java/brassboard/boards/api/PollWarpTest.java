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

    private record Outcome(RunResult result, long stored, int r0, int r2, long warps) {
    }

    private Outcome run(int[] code, boolean warp) throws Exception {
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
            RunResult r = m.run(RunLimits.none().withMaxTimeNs(10_000_000_000L));
            long stored = m.bus().read(BASE + 0x1000, 4, 0);
            return new Outcome(r, stored, m.cpu().reg(0), m.cpu().reg(2), m.pollWarpStats()[0]);
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
        assertThat(slow.warps()).isZero();
        assertThat(fast.warps()).isPositive();
        // Same virtual time, same instruction count, same memory: the guest cannot tell.
        assertThat(fast.result().virtualTimeNs()).isEqualTo(slow.result().virtualTimeNs());
        assertThat(fast.result().instructions()).isEqualTo(slow.result().instructions());
        assertThat(fast.stored()).isEqualTo(slow.stored());
        assertThat(fast.r2()).isEqualTo(slow.r2());
        // and the loop left as soon as the counter reached the target: 16 ns ticks, 4-instruction iterations
        assertThat(fast.stored() - (fast.r2() & 0xFFFF_FFFFL)).isBetween(0L, 1L);
    }

    @Test
    void aLoopWhoseStoresDependOnTheCounterIsNotSkipped() throws Exception {
        Outcome slow = run(COUNTER_ADDRESSED, false);
        Outcome fast = run(COUNTER_ADDRESSED, true);
        assertThat(fast.warps()).isZero();
        assertThat(fast.result().virtualTimeNs()).isEqualTo(slow.result().virtualTimeNs());
        assertThat(fast.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
    }
}
