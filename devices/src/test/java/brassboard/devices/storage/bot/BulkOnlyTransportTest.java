package brassboard.devices.storage.bot;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.api.BulkOutReply;
import brassboard.devices.storage.api.ControlReply;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.block.MemoryBackend;
import brassboard.devices.storage.bot.BulkOnlyTransport.Endpoint;
import brassboard.devices.storage.bot.BulkOnlyTransport.ExcessPolicy;
import brassboard.devices.storage.bot.BulkOnlyTransport.State;
import brassboard.devices.storage.bot.Csw.Status;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bulk-only transport from BOT 1.0: the thirteen cases, bad CBWs, STALL and Reset Recovery, class requests. */
class BulkOnlyTransportTest {
    private static final byte[] TEST_UNIT_READY = bytes(0x00, 0, 0, 0, 0, 0);
    private static final byte[] INQUIRY_36 = bytes(0x12, 0, 0, 0, 36, 0);

    private final MemoryBackend backend = new MemoryBackend(64);
    private final MemoryBackend backend1 = new MemoryBackend(32);
    private final ScsiTarget target = new ScsiTarget(List.of(new ScsiDisk(new AtaDisk(backend)), new ScsiDisk(new AtaDisk(backend1))));

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    static byte[] read10(int lba, int blocks) {
        return bytes(0x28, 0, 0, 0, lba >> 8, lba, 0, blocks >> 8, blocks, 0);
    }

    static byte[] write10(int lba, int blocks) {
        return bytes(0x2A, 0, 0, 0, lba >> 8, lba, 0, blocks >> 8, blocks, 0);
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 3 + i / 512);
        }
        return b;
    }

    private BulkOnlyTransport bot(ExcessPolicy policy) {
        return new BulkOnlyTransport(target, 512, 0, policy);
    }

    /** A host on a transport whose LUNs have had their power-on unit attention cleared. */
    private TestHost host(BulkOnlyTransport bot) {
        TestHost h = new TestHost(bot, 512);
        for (int lun = 0; lun < 2; lun++) {
            Status expected = target.unit(lun).unitAttention() != null ? Status.COMMAND_FAILED : Status.COMMAND_PASSED;
            assertThat(h.in(lun, 0, TEST_UNIT_READY).csw().status()).isEqualTo(expected);
        }
        return h;
    }

    private static void assertCsw(TestHost.Outcome o, TestHost h, Status status, long residue) {
        assertThat(o.csw()).isNotNull();
        assertThat(o.csw().tag()).isEqualTo(h.lastTag());
        assertThat(o.csw().status()).isEqualTo(status);
        if (status != Status.PHASE_ERROR) {
            assertThat(o.csw().residue()).isEqualTo(residue);
        }
    }

    // ---- The thirteen cases (§6.7) ----

    @ParameterizedTest
    @EnumSource(ExcessPolicy.class)
    void case1HnDn(ExcessPolicy p) {
        BulkOnlyTransport bot = bot(p);
        TestHost h = host(bot);
        TestHost.Outcome o = h.in(0, 0, TEST_UNIT_READY);
        assertThat(bot.lastCase()).isEqualTo(BotCase.HN_DN);
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
        assertThat(bot.state()).isEqualTo(State.COMMAND);
    }

    @Test
    void allocationLengthZeroIsNoDataNotAPhaseError() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.in(0, 0, bytes(0x12, 0, 0, 0, 0, 0)); // INQUIRY, allocation length 0
        assertThat(bot.lastCase()).isEqualTo(BotCase.HN_DN);
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
    }

    @Test
    void case2HnLessThanDiIsAPhaseError() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.in(0, 0, INQUIRY_36);
        assertThat(bot.lastCase()).isEqualTo(BotCase.HN_DI);
        assertThat(o.data()).isEmpty();
        assertCsw(o, h, Status.PHASE_ERROR, 0);
    }

    @Test
    void case3HnLessThanDoIsAPhaseErrorAndWritesNothing() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.out(0, 0, new byte[0], write10(0, 1));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HN_DO);
        assertCsw(o, h, Status.PHASE_ERROR, 0);
    }

    @Test
    void case4HiGreaterThanDnPadsOrStalls() {
        BulkOnlyTransport pad = bot(ExcessPolicy.PAD);
        TestHost h = host(pad);
        TestHost.Outcome o = h.in(0, 1024, TEST_UNIT_READY);
        assertThat(pad.lastCase()).isEqualTo(BotCase.HI_DN);
        assertThat(o.data()).hasSize(1024).containsOnly(0);
        assertThat(o.inStalls()).isZero();
        assertCsw(o, h, Status.COMMAND_PASSED, 1024);

        BulkOnlyTransport stall = bot(ExcessPolicy.STALL);
        TestHost s = new TestHost(stall, 512);
        o = s.in(0, 1024, TEST_UNIT_READY);
        assertThat(o.data()).isEmpty();
        assertThat(o.inStalls()).isEqualTo(1);
        assertCsw(o, s, Status.COMMAND_PASSED, 1024);
        // A failing data-in command is case 4 as well: no data, status 1, the whole length as residue.
        o = s.in(0, 512, read10(64, 1));
        assertThat(stall.lastCase()).isEqualTo(BotCase.HI_DN);
        assertCsw(o, s, Status.COMMAND_FAILED, 512);
    }

    @Test
    void case5HiGreaterThanDi() {
        BulkOnlyTransport pad = bot(ExcessPolicy.PAD);
        TestHost h = host(pad);
        TestHost.Outcome o = h.in(0, 512, INQUIRY_36);
        assertThat(pad.lastCase()).isEqualTo(BotCase.HI_GT_DI);
        assertThat(o.data()).hasSize(512);
        assertThat(new String(o.data(), 8, 4)).isEqualTo("QEMU");
        assertThat(Arrays.copyOfRange(o.data(), 36, 512)).containsOnly(0);
        assertCsw(o, h, Status.COMMAND_PASSED, 476);

        BulkOnlyTransport stall = bot(ExcessPolicy.STALL);
        TestHost s = host(stall);
        o = s.in(0, 512, INQUIRY_36);
        assertThat(o.data()).hasSize(36); // a short packet, then STALL on the CSW read, cleared
        assertThat(o.inStalls()).isEqualTo(1);
        assertCsw(o, s, Status.COMMAND_PASSED, 476);
        // Exactly a whole packet of data, then the host asks for more: STALL.
        backend.load(0, pattern(512, 1));
        o = s.in(0, 2048, read10(0, 1));
        assertThat(o.data()).isEqualTo(pattern(512, 1));
        assertThat(o.inStalls()).isEqualTo(1);
        assertCsw(o, s, Status.COMMAND_PASSED, 1536);
    }

    @ParameterizedTest
    @EnumSource(ExcessPolicy.class)
    void case6HiEqualsDi(ExcessPolicy p) {
        backend.load(8, pattern(4096, 2));
        BulkOnlyTransport bot = bot(p);
        TestHost h = host(bot);
        TestHost.Outcome o = h.in(0, 4096, read10(8, 8));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HI_EQ_DI);
        assertThat(o.data()).isEqualTo(pattern(4096, 2));
        assertThat(o.inStalls()).isZero();
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
    }

    @Test
    void case7HiLessThanDiSendsWhatTheHostAskedAndAPhaseError() {
        backend.load(0, pattern(4096, 3));
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.in(0, 2048, read10(0, 8));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HI_LT_DI);
        assertThat(o.data()).isEqualTo(Arrays.copyOf(pattern(4096, 3), 2048));
        assertCsw(o, h, Status.PHASE_ERROR, 0);
    }

    @Test
    void case8HiVersusDoStallsBulkIn() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.in(0, 512, write10(0, 1));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HI_DO);
        assertThat(o.data()).isEmpty();
        assertThat(o.inStalls()).isEqualTo(1);
        assertCsw(o, h, Status.PHASE_ERROR, 0);
    }

    @Test
    void case9HoGreaterThanDnDiscardsOrStalls() {
        BulkOnlyTransport pad = bot(ExcessPolicy.PAD);
        TestHost h = host(pad);
        TestHost.Outcome o = h.out(0, 1024, new byte[1024], TEST_UNIT_READY);
        assertThat(pad.lastCase()).isEqualTo(BotCase.HO_DN);
        assertThat(o.outStalls()).isZero();
        assertCsw(o, h, Status.COMMAND_PASSED, 1024);

        BulkOnlyTransport stall = bot(ExcessPolicy.STALL);
        TestHost s = host(stall);
        o = s.out(0, 1024, new byte[1024], TEST_UNIT_READY);
        assertThat(o.outStalls()).isEqualTo(1);
        assertCsw(o, s, Status.COMMAND_PASSED, 1024);
    }

    @Test
    void case10HoVersusDiStallsBulkOut() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.out(0, 36, new byte[36], INQUIRY_36);
        assertThat(bot.lastCase()).isEqualTo(BotCase.HO_DI);
        assertThat(o.outStalls()).isEqualTo(1);
        assertCsw(o, h, Status.PHASE_ERROR, 0);
    }

    @ParameterizedTest
    @EnumSource(ExcessPolicy.class)
    void case11HoGreaterThanDo(ExcessPolicy p) {
        BulkOnlyTransport bot = bot(p);
        TestHost h = host(bot);
        byte[] data = pattern(1024, 4);
        TestHost.Outcome o = h.out(0, 1024, data, write10(3, 1));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HO_GT_DO);
        assertThat(o.outStalls()).isEqualTo(p == ExcessPolicy.STALL ? 1 : 0);
        assertCsw(o, h, Status.COMMAND_PASSED, 512);
        byte[] got = new byte[1024];
        backend.read(3, 2, got, 0);
        assertThat(Arrays.copyOf(got, 512)).isEqualTo(Arrays.copyOf(data, 512));
        assertThat(Arrays.copyOfRange(got, 512, 1024)).containsOnly(0);
    }

    @ParameterizedTest
    @EnumSource(ExcessPolicy.class)
    void case12HoEqualsDo(ExcessPolicy p) {
        BulkOnlyTransport bot = bot(p);
        TestHost h = host(bot);
        byte[] data = pattern(3 * 512, 5);
        TestHost.Outcome o = h.out(0, data.length, data, write10(10, 3));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HO_EQ_DO);
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
        byte[] got = new byte[data.length];
        backend.read(10, 3, got, 0);
        assertThat(got).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(ExcessPolicy.class)
    void case13HoLessThanDoIsAPhaseErrorAndWritesNothing(ExcessPolicy p) {
        BulkOnlyTransport bot = bot(p);
        TestHost h = host(bot);
        TestHost.Outcome o = h.out(0, 1024, pattern(1024, 6), write10(20, 4));
        assertThat(bot.lastCase()).isEqualTo(BotCase.HO_LT_DO);
        assertThat(o.outStalls()).isEqualTo(p == ExcessPolicy.STALL ? 1 : 0);
        assertCsw(o, h, Status.PHASE_ERROR, 0);
        byte[] got = new byte[2048];
        backend.read(20, 4, got, 0);
        assertThat(got).containsOnly(0);
    }

    @Test
    void everyCaseHasItsNumber() {
        int n = 1;
        for (BotCase c : BotCase.values()) {
            assertThat(c.number()).isEqualTo(n++);
        }
        assertThat(Arrays.stream(BotCase.values()).filter(BotCase::phaseError).mapToInt(BotCase::number))
                .containsExactly(2, 3, 7, 8, 10, 13);
    }

    // ---- Packets ----

    @Test
    void dataPhaseInManySmallPacketsAtFullSpeed() {
        BulkOnlyTransport bot = new BulkOnlyTransport(target, 64, 0, ExcessPolicy.PAD);
        TestHost h = new TestHost(bot, 64);
        h.in(0, 0, TEST_UNIT_READY);
        byte[] data = pattern(5 * 512, 7);
        assertCsw(h.out(0, data.length, data, write10(1, 5)), h, Status.COMMAND_PASSED, 0);
        TestHost.Outcome o = h.in(0, data.length, read10(1, 5));
        assertThat(o.data()).isEqualTo(data);
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
        // Odd-sized IN requests (a host may ask for any amount) are served exactly.
        assertThat(bot.bulkOut(Cbw.of(77, 1024, true, 0, read10(1, 2)).bytes(), 0, 31)).isEqualTo(BulkOutReply.ACK);
        assertThat(bot.bulkIn(100).length()).isEqualTo(100);
        assertThat(bot.bulkIn(1000).length()).isEqualTo(924);
        assertThat(Csw.parse(bot.bulkIn(13).data())).isEqualTo(new Csw(77, 0, Status.COMMAND_PASSED));
    }

    @Test
    void aShortOutPacketEndsTheDataPhase() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        byte[] data = pattern(612, 8); // 512, then a short packet of 100
        TestHost.Outcome o = h.out(0, 1024, data, write10(30, 2));
        assertThat(o.outStalls()).isZero();
        assertCsw(o, h, Status.COMMAND_FAILED, 1024 - 612);
        assertThat(bot.state()).isEqualTo(State.COMMAND);
        byte[] got = new byte[512];
        backend.read(30, 1, got, 0);
        assertThat(got).isEqualTo(Arrays.copyOf(data, 512)); // the whole sector that arrived was kept
        assertThat(h.in(0, 18, bytes(0x03, 0, 0, 0, 18, 0)).data()[12]).isEqualTo((byte) 0x4B); // DATA PHASE ERROR
    }

    @Test
    void moreOutDataThanAnnouncedIsStalled() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        host(bot);
        bot.bulkOut(Cbw.of(5, 512, false, 0, write10(0, 1)).bytes(), 0, 31);
        assertThat(bot.bulkOut(new byte[1024], 0, 1024)).isEqualTo(BulkOutReply.STALL);
        bot.clearHalt(Endpoint.BULK_OUT);
        assertThat(Csw.parse(bot.bulkIn(13).data()).status()).isEqualTo(Status.PHASE_ERROR);
    }

    @Test
    void mediumErrorMidReadEndsTheDataWithStatusFailed() {
        backend.load(0, pattern(8 * 512, 9));
        brassboard.devices.storage.ata.Medium bad = (lba, n, write) -> lba <= 2 && 2 < lba + n
                ? brassboard.devices.storage.ata.Medium.Check.failsAfter((int) (2 - lba),
                        brassboard.devices.storage.ata.Medium.Failure.UNCORRECTABLE, 0)
                : brassboard.devices.storage.ata.Medium.Check.ALL_GOOD;
        ScsiTarget t = new ScsiTarget(new ScsiDisk(new AtaDisk(backend, brassboard.devices.storage.ata.AtaIdentity.qemu(), bad)));
        TestHost h = new TestHost(new BulkOnlyTransport(t), 512);
        h.in(0, 0, TEST_UNIT_READY);
        TestHost.Outcome o = h.in(0, 4096, read10(0, 8));
        assertThat(Arrays.copyOf(o.data(), 1024)).isEqualTo(Arrays.copyOf(pattern(8 * 512, 9), 1024));
        assertThat(o.data()).hasSize(4096); // padded
        assertCsw(o, h, Status.COMMAND_FAILED, 4096 - 1024);
        byte[] sense = h.in(0, 18, bytes(0x03, 0, 0, 0, 18, 0)).data();
        assertThat(sense).isEqualTo(bytes(0xF0, 0, 3, 0, 0, 0, 2, 10, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0));
    }

    // ---- Virtual time ----

    @Test
    void aBusyDeviceNaksUntilItsTimeHasPassed() {
        brassboard.bus.api.Scheduler clock = new brassboard.bus.api.Scheduler();
        brassboard.devices.storage.ata.AtaTiming timing = new brassboard.devices.storage.ata.AtaTiming(1_000, 10, 100_000);
        MemoryBackend disk = new MemoryBackend(1024).load(0, pattern(256 * 512, 12));
        ScsiTarget t = new ScsiTarget(new ScsiDisk(new AtaDisk(disk, brassboard.devices.storage.ata.AtaIdentity.qemu(),
                brassboard.devices.storage.ata.Medium.PERFECT, timing)));
        BulkOnlyTransport bot = new BulkOnlyTransport(t, 512, 0, ExcessPolicy.PAD, clock);
        TestHost h = new TestHost(bot, 512, clock);
        h.in(0, 0, TEST_UNIT_READY);
        assertThat(clock.now()).isZero(); // the unit attention costs no ATA command

        // READ(10) of 256 blocks: two READ DMA EXT of 128 sectors, the first with a seek.
        TestHost.Outcome o = h.in(0, 256 * 512, read10(0, 256));
        assertThat(o.data()).isEqualTo(pattern(256 * 512, 12));
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
        assertThat(clock.now()).isEqualTo((1_000 + 100_000 + 1_280) + (1_000 + 1_280));
        assertThat(h.naks()).isEqualTo(2);

        // While busy, both endpoints NAK and nothing moves.
        bot.bulkOut(Cbw.of(90, 512, true, 0, read10(600, 1)).bytes(), 0, 31);
        assertThat(bot.bulkIn(512).naked()).isTrue(); // fetching the sector: seek + one sector
        assertThat(bot.busyUntilNs()).isEqualTo(clock.now() + 1_000 + 100_000 + 10);
        clock.step(50_000);
        assertThat(bot.bulkIn(512).naked()).isTrue();
        assertThat(bot.bulkOut(new byte[31], 0, 31)).isEqualTo(BulkOutReply.NAK);
        assertThat(bot.state()).isEqualTo(State.DATA_IN); // the NAKed OUT was not taken as a CBW
        clock.advanceTo(bot.busyUntilNs());
        assertThat(bot.bulkIn(512).length()).isEqualTo(512);
        assertThat(Csw.parse(bot.bulkIn(13).data())).isEqualTo(new Csw(90, 0, Status.COMMAND_PASSED));

        // A write: the OUT that fills a chunk is taken, the device is then busy writing it.
        long before = clock.now();
        o = h.out(0, 512, pattern(512, 13), write10(601, 1));
        assertCsw(o, h, Status.COMMAND_PASSED, 0);
        assertThat(clock.now() - before).isEqualTo(1_000 + 10); // sequential after LBA 600
        // A STALL takes precedence over busy.
        bot.setHalt(Endpoint.BULK_IN);
        assertThat(bot.bulkIn(13).stalled()).isTrue();
        bot.clearHalt(Endpoint.BULK_IN);
    }

    @Test
    void aHostAskingForLessAfterANakGetsTheRestNext() {
        brassboard.bus.api.Scheduler clock = new brassboard.bus.api.Scheduler();
        backend.load(0, pattern(512, 14));
        ScsiTarget t = new ScsiTarget(new ScsiDisk(new AtaDisk(backend, brassboard.devices.storage.ata.AtaIdentity.qemu(),
                brassboard.devices.storage.ata.Medium.PERFECT, new brassboard.devices.storage.ata.AtaTiming(500, 0, 0))));
        BulkOnlyTransport bot = new BulkOnlyTransport(t, 512, 0, ExcessPolicy.PAD, clock);
        new TestHost(bot, 512, clock).in(0, 0, TEST_UNIT_READY);
        bot.bulkOut(Cbw.of(5, 512, true, 0, read10(0, 1)).bytes(), 0, 31);
        assertThat(bot.bulkIn(512).naked()).isTrue();
        clock.step(500);
        byte[] first = bot.bulkIn(200).data();
        byte[] rest = bot.bulkIn(512).data();
        assertThat(first).hasSize(200);
        assertThat(rest).hasSize(312);
        byte[] all = new byte[512];
        System.arraycopy(first, 0, all, 0, 200);
        System.arraycopy(rest, 0, all, 200, 312);
        assertThat(all).isEqualTo(pattern(512, 14));
        assertThat(Csw.parse(bot.bulkIn(13).data())).isEqualTo(new Csw(5, 0, Status.COMMAND_PASSED));
    }

    // ---- Bad CBWs (§6.2, §6.6.1) ----

    private void assertStalledUntilResetRecovery(BulkOnlyTransport bot, TestHost h) {
        assertThat(bot.state()).isEqualTo(State.RESET_RECOVERY);
        assertThat(bot.halted(Endpoint.BULK_IN)).isTrue();
        assertThat(bot.halted(Endpoint.BULK_OUT)).isTrue();
        assertThat(bot.bulkIn(13).stalled()).isTrue();
        // Clearing the halts is not enough: they come back until the reset.
        bot.clearHalt(Endpoint.BULK_IN);
        bot.clearHalt(Endpoint.BULK_OUT);
        assertThat(bot.bulkIn(13).stalled()).isTrue();
        assertThat(bot.bulkOut(Cbw.of(1, 0, false, 0, TEST_UNIT_READY).bytes(), 0, 31)).isEqualTo(BulkOutReply.STALL);
        h.resetRecovery();
        assertThat(bot.state()).isEqualTo(State.COMMAND);
        assertCsw(h.in(0, 0, TEST_UNIT_READY), h, Status.COMMAND_PASSED, 0);
    }

    @Test
    void wrongSignatureIsInvalid() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        Cbw cbw = Cbw.of(9, 0, false, 0, TEST_UNIT_READY);
        byte[] raw = cbw.bytes();
        raw[3] = 0x44;
        assertThat(Cbw.parse(raw, 0, 31)).isNull();
        assertThat(h.run(raw, cbw, null).cbwStalled()).isTrue();
        assertStalledUntilResetRecovery(bot, h);
    }

    @Test
    void wrongLengthIsInvalid() {
        for (int len : new int[] {30, 32, 0}) {
            BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
            TestHost h = host(bot);
            byte[] raw = Arrays.copyOf(Cbw.of(9, 0, false, 0, TEST_UNIT_READY).bytes(), 32);
            assertThat(bot.bulkOut(raw, 0, len)).as("%d bytes", len).isEqualTo(BulkOutReply.STALL);
            assertStalledUntilResetRecovery(bot, h);
        }
    }

    @Test
    void meaninglessCbwsAreRefused() {
        List<Cbw> bad = List.of(
                Cbw.of(1, 0, false, 2, TEST_UNIT_READY), // LUN beyond Get Max LUN
                new Cbw(1, 0, 0x01, 0, 6, Arrays.copyOf(TEST_UNIT_READY, 16)), // reserved flag bit
                new Cbw(1, 0, 0, 0x10, 6, Arrays.copyOf(TEST_UNIT_READY, 16)), // reserved LUN bits
                new Cbw(1, 0, 0, 0, 0, new byte[16]), // CB length 0
                new Cbw(1, 0, 0, 0, 17, new byte[16]), // CB length 17
                new Cbw(1, 0, 0, 0, 0x26, Arrays.copyOf(TEST_UNIT_READY, 16)), // reserved CB length bits
                new Cbw(1, 512, 0x80, 0, 6, Arrays.copyOf(read10(0, 1), 16))); // 6 bytes of a 10-byte CDB
        for (Cbw cbw : bad) {
            BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
            TestHost h = host(bot);
            assertThat(bot.bulkOut(cbw.bytes(), 0, 31)).as(cbw.toString()).isEqualTo(BulkOutReply.STALL);
            assertStalledUntilResetRecovery(bot, h);
        }
    }

    @Test
    void longerCbLengthThanTheCdbIsFine() {
        // U-Boot sends 12-byte command blocks for 6- and 10-byte commands.
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        TestHost.Outcome o = h.run(new Cbw(42, 36, 0x80, 0, 12, Arrays.copyOf(INQUIRY_36, 16)), null);
        assertThat(o.data()).hasSize(36);
        assertThat(o.csw()).isEqualTo(new Csw(42, 0, Status.COMMAND_PASSED));
    }

    // ---- Out-of-step hosts ----

    @Test
    void readingWhenTheDeviceWantsACbwStalls() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        assertThat(bot.bulkIn(512).stalled()).isTrue();
        assertThat(bot.halted(Endpoint.BULK_IN)).isTrue();
        bot.clearHalt(Endpoint.BULK_IN);
        TestHost h = new TestHost(bot, 512);
        assertCsw(h.in(0, 0, TEST_UNIT_READY), h, Status.COMMAND_FAILED, 0); // the unit attention
    }

    @Test
    void writingWhenTheDeviceWantsToSendTheCswStalls() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        bot.bulkOut(Cbw.of(3, 0, false, 0, TEST_UNIT_READY).bytes(), 0, 31);
        assertThat(bot.state()).isEqualTo(State.STATUS);
        assertThat(bot.bulkOut(Cbw.of(4, 0, false, 0, TEST_UNIT_READY).bytes(), 0, 31)).isEqualTo(BulkOutReply.STALL);
        bot.clearHalt(Endpoint.BULK_OUT);
        assertThat(bot.bulkIn(12).stalled()).isTrue(); // too small for a CSW
        bot.clearHalt(Endpoint.BULK_IN);
        assertThat(Csw.parse(bot.bulkIn(13).data()).tag()).isEqualTo(3);
    }

    // ---- Class requests and resets ----

    @Test
    void getMaxLunAndMultipleLuns() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        ControlReply r = bot.classRequest(0xA1, 0xFE, 0, 0, 1);
        assertThat(r.stalled()).isFalse();
        assertThat(r.data()).containsExactly(1);
        assertThat(bot.classRequest(0xA1, 0xFE, 0, 1, 1).stalled()).isTrue(); // another interface
        assertThat(bot.classRequest(0xA1, 0xFE, 1, 0, 1).stalled()).isTrue(); // wValue
        assertThat(bot.classRequest(0xA1, 0xFE, 0, 0, 2).stalled()).isTrue(); // wLength
        assertThat(bot.classRequest(0xA1, 0x01, 0, 0, 1).stalled()).isTrue(); // unknown request
        assertThat(new BulkOnlyTransport(new ScsiTarget(new ScsiDisk(new AtaDisk(backend)))).classRequest(0xA1, 0xFE, 0, 0, 1).data())
                .containsExactly(0);

        TestHost h = host(bot);
        backend1.load(5, pattern(512, 10));
        assertThat(h.in(1, 512, read10(5, 1)).data()).isEqualTo(pattern(512, 10));
        byte[] cap = h.in(1, 8, bytes(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0)).data();
        assertThat(cap).isEqualTo(bytes(0, 0, 0, 31, 0, 0, 2, 0));
    }

    @Test
    void massStorageResetAbandonsTheCommandAndKeepsTheHalts() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        TestHost h = host(bot);
        bot.bulkOut(Cbw.of(8, 2048, false, 0, write10(40, 4)).bytes(), 0, 31);
        assertThat(bot.bulkOut(pattern(512, 11), 0, 512)).isEqualTo(BulkOutReply.ACK);
        bot.setHalt(Endpoint.BULK_IN);
        assertThat(bot.classRequest(0x21, 0xFF, 0, 0, 0)).isEqualTo(ControlReply.ok());
        assertThat(bot.state()).isEqualTo(State.COMMAND);
        assertThat(bot.halted(Endpoint.BULK_IN)).isTrue();
        assertThat(bot.classRequest(0x21, 0xFF, 0, 0, 1).stalled()).isTrue();
        bot.clearHalt(Endpoint.BULK_IN);
        byte[] got = new byte[2048];
        backend.read(40, 4, got, 0);
        assertThat(got).containsOnly(0);
        assertCsw(h.in(0, 0, TEST_UNIT_READY), h, Status.COMMAND_PASSED, 0);
    }

    @Test
    void busResetClearsHaltsAndState() {
        BulkOnlyTransport bot = bot(ExcessPolicy.PAD);
        bot.bulkOut(new byte[31], 0, 31);
        assertThat(bot.state()).isEqualTo(State.RESET_RECOVERY);
        bot.busReset();
        assertThat(bot.state()).isEqualTo(State.COMMAND);
        assertThat(bot.halted(Endpoint.BULK_IN)).isFalse();
        assertThat(bot.halted(Endpoint.BULK_OUT)).isFalse();
        assertThat(bot.bulkOut(Cbw.of(1, 0, false, 0, TEST_UNIT_READY).bytes(), 0, 31)).isEqualTo(BulkOutReply.ACK);
    }

    @Test
    void cswBytes() {
        assertThat(new Csw(0x12345678, 0x200, Status.PHASE_ERROR).bytes())
                .isEqualTo(bytes(0x55, 0x53, 0x42, 0x53, 0x78, 0x56, 0x34, 0x12, 0x00, 0x02, 0, 0, 0x02));
        assertThat(Cbw.of(0x0A0B0C0D, 36, true, 1, INQUIRY_36).bytes())
                .isEqualTo(bytes(0x55, 0x53, 0x42, 0x43, 0x0D, 0x0C, 0x0B, 0x0A, 36, 0, 0, 0, 0x80, 1, 6,
                        0x12, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        BulkInReply stall = BulkInReply.stall();
        assertThat(stall.length()).isZero();
    }
}
