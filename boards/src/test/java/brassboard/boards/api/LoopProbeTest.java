package brassboard.boards.api;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.api.CharBackend;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe's bookkeeping on small loops, run directly on a machine that is never started. */
class LoopProbeTest {
    @TempDir
    Path dir;

    private static final int BASE = 0x4000_0000;
    private static final int DATA = BASE + 0x1000;
    private static final int UART = 0x0900_0000;
    /** r2: the loops' exit value; a counter below it loops, at or above it leaves. */
    private static final int LIMIT = 0x1000;

    private static final int[] CODE = {
        // 0x00 fit: re-writes its inputs with the values they had, stores the counter at a fixed address
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE5943000, // ldr   r3, [r4]
        0xE5843000, // str   r3, [r4]
        0xE1A05005, // mov   r5, r5
        0xE5840004, // str   r0, [r4, #4]
        0xEB000002, // bl    f
        0xE1500002, // cmp   r0, r2
        0x3AFFFFF7, // bcc   fit
        0xEAFFFFFE, // b     .
        0xE12FFF1E, // 0x24 f: bx lr
        // 0x28 inc: increments a word it reads
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE5943000, // ldr   r3, [r4]
        0xE2833001, // add   r3, r3, #1
        0xE5843000, // str   r3, [r4]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFF9, // bcc   inc
        // 0x40 regin: increments a register it reads
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE2855001, // add   r5, r5, #1
        0xE1500002, // cmp   r0, r2
        0x3AFFFFFB, // bcc   regin
        // 0x50 addr: stores at an address computed from the counter
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE20030FC, // and   r3, r0, #0xfc
        0xE0833004, // add   r3, r3, r4
        0xE5830000, // str   r0, [r3]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFF9, // bcc   addr
        // 0x68 mixed: a byte store, then a word load of the same word
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE5C40000, // strb  r0, [r4]
        0xE5943000, // ldr   r3, [r4]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFFA, // bcc   mixed
        // 0x7c target: branches to an address computed from the counter
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE3C03003, // bic   r3, r0, #3
        0xE12FFF13, // bx    r3
        // 0x88 device: stores to the UART
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE5860000, // str   r0, [r6]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFFB, // bcc   device
        // 0x98 cond: a conditional instruction whose condition comes from the counter
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE1500002, // cmp   r0, r2
        0x23A05001, // movcs r5, #1
        0x3AFFFFFB, // bcc   cond
        // 0xa8 bytein: reads a byte, then overwrites its word with the counter
        0xEC510F0E, // mrrc  p15, 0, r0, r1, c14
        0xE5D43000, // ldrb  r3, [r4]
        0xE5840000, // str   r0, [r4]
        0xE1500002, // cmp   r0, r2
        0x3AFFFFFA, // bcc   bytein
    };
    private static final int FIT = BASE;
    private static final int[] FIT_PATH = {FIT, FIT + 4, FIT + 8, FIT + 12, FIT + 16, FIT + 20, FIT + 0x24, FIT + 24, FIT + 28};

    private Machine machine;

    @BeforeEach
    void machine() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(CODE.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : CODE) {
            b.putInt(w);
        }
        Path image = Files.write(dir.resolve("loops.bin"), b.array());
        MachineConfig config = new MachineConfig("virt", MachineConfig.DEFAULT_RAM, image, OptionalLong.of(BASE), 0,
                MachineConfig.DEFAULT_CPU_HZ, MachineConfig.DEFAULT_RTC_EPOCH, 1);
        machine = Machine.create(config, new Console(CharBackend.disconnected()));
        machine.cpu().setReg(2, LIMIT);
        machine.cpu().setReg(4, DATA);
        machine.cpu().setReg(5, 0x55);
        machine.cpu().setReg(6, UART);
        machine.bus().write(DATA, 4, 0x1234_5678L, 0);
        // The flags as the last iteration's "cmp r0, r2" left them with r0 below r2: N. (The loops read
        // them before they write them: an LSL #0 or a rotation of 0 reads the carry.)
        flags(0b1000);
    }

    private void flags(int nzcv) {
        machine.cpu().setCpsr((machine.cpu().cpsr() & 0x0FFF_FFFF) | nzcv << 28);
    }

    private LoopProbe probe(int start) {
        return new LoopProbe(machine.cpu(), machine.bus(), start, PollWarp.MAX_PERIOD);
    }

    private static int[] path(LoopProbe probe) {
        return Arrays.copyOf(probe.path(), probe.pathLength());
    }

    @Test
    void aLoopThatRewritesItsInputsWithTheSameValuesIsFitAndComesBackAlongOnePath() {
        long stored = machine.bus().read(DATA + 4, 4, 0);
        LoopProbe probe = probe(FIT);
        assertThat(probe.run(0x10)).as(probe.why()).isEqualTo(LoopProbe.LOOPED);
        assertThat(path(probe)).containsExactly(FIT_PATH);
        assertThat(probe.why()).isEmpty();
        // the counter past the limit: the iteration leaves (on its own it then spins at "b ." until the step limit)
        assertThat(probe.run(LIMIT)).isEqualTo(LoopProbe.LEFT);
        assertThat(probe.pathLength()).isEqualTo(PollWarp.MAX_PERIOD + 1);
        // following the reference, it stops where it leaves it: after the bcc, not taken
        assertThat(probe.run(LIMIT, FIT_PATH, FIT_PATH.length)).isEqualTo(LoopProbe.LEFT);
        assertThat(path(probe)).containsExactly(FIT_PATH);
        assertThat(probe.why()).isEqualTo("left the loop");
        // and nothing of the earlier runs is left over in the next one
        assertThat(probe.run(LIMIT - 1, FIT_PATH, FIT_PATH.length)).isEqualTo(LoopProbe.LOOPED);
        assertThat(path(probe)).containsExactly(FIT_PATH);
        // the machine is untouched
        assertThat(machine.bus().read(DATA + 4, 4, 0)).isEqualTo(stored);
        assertThat(machine.cpu().reg(0)).isZero();
        assertThat(machine.cpu().reg(14)).isZero();
    }

    @Test
    void aLoopThatChangesAWordItReadsIsUnfit() {
        LoopProbe probe = probe(BASE + 0x28);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo("the iteration changes its own input w" + Integer.toHexString(DATA));
        assertThat(machine.bus().read(DATA, 4, 0)).isEqualTo(0x1234_5678L);
    }

    @Test
    void aLoopThatChangesARegisterItReadsIsUnfit() {
        LoopProbe probe = probe(BASE + 0x40);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo("the iteration changes its own input r5");
        assertThat(machine.cpu().reg(5)).isEqualTo(0x55);
    }

    @Test
    void aLoopWhoseStoreAddressDependsOnTheCounterIsUnfit() {
        LoopProbe probe = probe(BASE + 0x50);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo(String.format("0x%08x: an address depends on the counter", BASE + 0x5C));
    }

    @Test
    void aLoopWhoseBranchTargetDependsOnTheCounterIsUnfit() {
        LoopProbe probe = probe(BASE + 0x7C);
        assertThat(probe.run(BASE + 0x7C)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo(String.format("0x%08x: a branch target depends on the counter", BASE + 0x84));
    }

    @Test
    void mixedSizeAccessesToOneWordAreUnfit() {
        LoopProbe probe = probe(BASE + 0x68);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo(String.format("0x%08x: mixed-size accesses to one word", BASE + 0x70));
    }

    @Test
    void anAccessToADeviceIsUnfit() {
        LoopProbe probe = probe(BASE + 0x88);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo(String.format("0x%08x: an access to something other than RAM", BASE + 0x8C));
    }

    @Test
    void aRunCutShortLeavesNothingBehindForTheNext() {
        LoopProbe probe = probe(FIT);
        // r4 at the UART: unfit at the first load, with registers written and inputs recorded
        machine.cpu().setReg(4, UART);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).isEqualTo(String.format("0x%08x: an access to something other than RAM", FIT + 4));
        machine.cpu().setReg(4, DATA);
        assertThat(probe.run(0x10)).as(probe.why()).isEqualTo(LoopProbe.LOOPED);
        assertThat(path(probe)).containsExactly(FIT_PATH);
        // a probe of another loop in between changes nothing for this one
        assertThat(probe(BASE + 0x28).run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.run(0x20, FIT_PATH, FIT_PATH.length)).isEqualTo(LoopProbe.LOOPED);
        // inputs are taken afresh on each run: r5 changed between runs is re-written with its new value
        machine.cpu().setReg(5, 0x66);
        assertThat(probe.run(0x20, FIT_PATH, FIT_PATH.length)).isEqualTo(LoopProbe.LOOPED);
    }

    @Test
    void aConditionalInstructionThatDependsOnTheCounterIsUnfit() {
        // movcs writes r5 in some iterations and not others: what r5 holds after k iterations depends
        // on all of them, not on the last one alone.
        LoopProbe probe = probe(BASE + 0x98);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).contains("conditional").contains("counter");
    }

    @Test
    void aByteReadThenAWordWriteOfTheSameWordIsUnfit() {
        LoopProbe probe = probe(BASE + 0xA8);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).contains("mixed-size");
    }

    @Test
    void nothingIsProbedWhileAFaultPlanWatchesTheBus() {
        // The probe's own fetches would otherwise count as bus reads and fire (or use up) fault rules.
        machine.faults().arm(machine.faults().find("bus.read").orElseThrow(), (point, site) -> { });
        LoopProbe probe = probe(FIT);
        assertThat(probe.run(0x10)).isEqualTo(LoopProbe.UNFIT);
        assertThat(probe.why()).contains("fault");
    }
}
