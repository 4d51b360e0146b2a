package brassboard.devices.storage.bot;

import static brassboard.devices.storage.bot.BulkOnlyTransportTest.bytes;
import static brassboard.devices.storage.bot.BulkOnlyTransportTest.pattern;
import static brassboard.devices.storage.bot.BulkOnlyTransportTest.read10;
import static brassboard.devices.storage.bot.BulkOnlyTransportTest.write10;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.FaultHandler;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Scheduler;
import brassboard.devices.storage.api.BulkInReply;
import brassboard.devices.storage.api.BulkOutReply;
import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.ata.AtaIdentity;
import brassboard.devices.storage.ata.Medium;
import brassboard.devices.storage.ata.SectorFaults;
import brassboard.devices.storage.block.MemoryBackend;
import brassboard.devices.storage.bot.BulkOnlyTransport.ExcessPolicy;
import brassboard.devices.storage.bot.BulkOnlyTransport.State;
import brassboard.devices.storage.bot.Csw.Status;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The storage stack's fault points, bot.D, scsi.D.command and disk.D.sector, seen by a host through
 * the bulk-only transport: CSW fields, REQUEST SENSE data and virtual time. The handlers here do
 * what the plan engine does for each action (boards' tests run the engine itself).
 */
class StorageFaultPointsTest {
    private static final byte[] TEST_UNIT_READY = bytes(0x00, 0, 0, 0, 0, 0);
    private static final byte[] REQUEST_SENSE = bytes(0x03, 0, 0, 0, 18, 0);
    private static final long SECOND = 1_000_000_000L;

    private final FaultPoints faults = new FaultPoints();
    private final Scheduler clock = new Scheduler();
    private final MemoryBackend backend = new MemoryBackend(256).load(100, pattern(8 * 512, 3));
    private final ScsiDisk unit = new ScsiDisk(new AtaDisk(backend, AtaIdentity.qemu(), new SectorFaults(Medium.PERFECT, faults, "stick", 256)));
    private final BulkOnlyTransport bot = new BulkOnlyTransport(new ScsiTarget(unit), 512, 0, ExcessPolicy.PAD, clock);
    private final TestHost host = new TestHost(bot, 512, clock);
    /** What the armed points were offered: "kind opcode lba+length". */
    private final List<String> seen = new ArrayList<>();

    StorageFaultPointsTest() {
        unit.declareFaultPoint(faults, "stick");
        bot.declareFaultPoint(faults, "stick");
        assertThat(host.in(0, 0, TEST_UNIT_READY).csw().status()).isEqualTo(Status.COMMAND_FAILED); // the power-on unit attention
    }

    /** Arms {@code point}: every occurrence is noted, and those {@code select} picks get {@code action}. */
    private void arm(String point, java.util.function.Predicate<FaultSite> select, FaultHandler action) {
        faults.arm(faults.find(point).orElseThrow(), (p, s) -> {
            seen.add(s.kind + " " + s.opcode + " " + s.address + "+" + s.length);
            if (select.test(s)) {
                action.onOccurrence(p, s);
            }
        });
    }

    private static FaultHandler owner(String action, long arg) {
        return (p, s) -> {
            s.error = true;
            s.action = action;
            s.arg = arg;
        };
    }

    private Sense sense() {
        byte[] d = host.in(0, 18, REQUEST_SENSE).data();
        long info = (d[3] & 0xFFL) << 24 | (d[4] & 0xFF) << 16 | (d[5] & 0xFF) << 8 | (d[6] & 0xFF);
        return new Sense(d[2] & 0xF, d[12] & 0xFF, d[13] & 0xFF, (d[0] & 0x80) != 0, info);
    }

    record Sense(int key, int asc, int ascq, boolean valid, long information) {
    }

    @Test
    void thePointsAreDeclaredWithTheirFiltersAndKinds() {
        assertThat(faults.find("bot.stick").orElseThrow().actions())
                .containsExactly("wrong-residue", "phase-error", "bad-signature", "bad-tag", "no-csw");
        assertThat(faults.find("bot.stick").orElseThrow().filters()).containsExactly("opcode", "lba", "kind");
        assertThat(faults.find("bot.stick").orElseThrow().kinds()).containsExactly("in", "out", "none");
        assertThat(faults.find("scsi.stick.command").orElseThrow().actions()).containsExactly("check-condition", "busy", "delay");
        assertThat(faults.find("scsi.stick.command").orElseThrow().filters()).containsExactly("opcode", "lba");
        assertThat(faults.find("disk.stick.sector").orElseThrow().actions()).containsExactly("unc", "write-fault", "latency", "grow");
        assertThat(faults.find("disk.stick.sector").orElseThrow().kinds()).containsExactly("read", "write");
    }

    // ---- bot.<device> ----

    @Test
    void theBotPointSeesEachCommandsOpcodeBlocksAndDirection() {
        arm("bot.stick", s -> false, (p, s) -> { });
        host.in(0, 4 * 512, read10(100, 4));
        host.out(0, 2 * 512, pattern(1024, 1), write10(7, 2));
        host.in(0, 0, TEST_UNIT_READY);
        assertThat(seen).containsExactly("in 40 100+4", "out 42 7+2", "none 0 -1+0");
    }

    @Test
    void wrongResidueReportsTheRulesValue() {
        arm("bot.stick", s -> s.opcode == 0x28, owner("wrong-residue", 0x1234));
        TestHost.Outcome o = host.in(0, 4 * 512, read10(100, 4));
        assertThat(o.data()).isEqualTo(java.util.Arrays.copyOf(pattern(8 * 512, 3), 2048));
        assertThat(o.csw().residue()).isEqualTo(0x1234);
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_PASSED);
        assertThat(o.csw().tag()).isEqualTo(host.lastTag());
        assertThat(host.in(0, 0, TEST_UNIT_READY).csw().residue()).as("only READ (10) was selected").isZero();
    }

    @Test
    void phaseErrorAndBadTagSpoilTheirFields() {
        arm("bot.stick", s -> s.opcode == 0x00, owner("phase-error", 0));
        assertThat(host.in(0, 0, TEST_UNIT_READY).csw().status()).isEqualTo(Status.PHASE_ERROR);
        arm("bot.stick", s -> s.opcode == 0x00, owner("bad-tag", 0));
        TestHost.Outcome o = host.in(0, 0, TEST_UNIT_READY);
        assertThat(o.csw().tag()).isEqualTo(~host.lastTag());
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_PASSED);
    }

    @Test
    void aBadSignatureIsTheCbwsSignatureEchoed() {
        arm("bot.stick", s -> true, owner("bad-signature", 0));
        assertThat(bot.bulkOut(Cbw.of(7, 0, true, 0, TEST_UNIT_READY).bytes(), 0, 31)).isEqualTo(BulkOutReply.ACK);
        BulkInReply r = bot.bulkIn(13);
        assertThat(Cbw.le32(r.data(), 0)).isEqualTo(Cbw.SIGNATURE);
        assertThat(Csw.parse(r.data())).as("not a valid CSW").isNull();
        assertThat(Cbw.le32(r.data(), 4)).isEqualTo(7);
        assertThat(bot.state()).isEqualTo(State.COMMAND);
    }

    @Test
    void noCswNaksUntilAResetRecovery() {
        arm("bot.stick", s -> s.opcode == 0x00, owner("no-csw", 0));
        bot.bulkOut(Cbw.of(9, 0, true, 0, TEST_UNIT_READY).bytes(), 0, 31);
        for (int i = 0; i < 100; i++) {
            assertThat(bot.bulkIn(13).naked()).isTrue();
        }
        assertThat(bot.state()).isEqualTo(State.STATUS);
        faults.arm(faults.find("bot.stick").orElseThrow(), null);
        host.resetRecovery();
        assertThat(host.in(0, 0, TEST_UNIT_READY).csw().status()).isEqualTo(Status.COMMAND_PASSED);
    }

    // ---- scsi.<device>.command ----

    @Test
    void checkConditionCarriesTheRulesSenseAndTheFailingLba() {
        arm("scsi.stick.command", s -> s.opcode == 0x28, (p, s) -> {
            owner("check-condition", 0x03_11_00).onOccurrence(p, s);
            s.value = Math.max(s.address, 102); // the engine: the first block of the command in the rule's LBA range
        });
        TestHost.Outcome o = host.in(0, 4 * 512, read10(100, 4));
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_FAILED);
        assertThat(sense()).isEqualTo(new Sense(0x3, 0x11, 0x00, true, 102));
        assertThat(seen).contains("null 40 100+4", "null 3 -1+0");
    }

    @Test
    void checkConditionWithoutBlocksHasNoInformation() {
        arm("scsi.stick.command", s -> s.opcode == 0x00, (p, s) -> {
            owner("check-condition", 0x04_44_00).onOccurrence(p, s);
            s.value = -1;
        });
        assertThat(host.in(0, 0, TEST_UNIT_READY).csw().status()).isEqualTo(Status.COMMAND_FAILED);
        assertThat(sense()).isEqualTo(new Sense(0x4, 0x44, 0x00, false, 0));
    }

    @Test
    void busyFailsTheCommandWithoutSenseOrExecution() {
        arm("scsi.stick.command", s -> s.opcode == 0x2A, owner("busy", 0));
        TestHost.Outcome o = host.out(0, 512, new byte[512], write10(100, 1));
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_FAILED);
        assertThat(sense()).isEqualTo(new Sense(0, 0, 0, false, 0));
        assertThat(host.in(0, 512, read10(100, 1)).data()).as("nothing was written").isEqualTo(java.util.Arrays.copyOf(pattern(8 * 512, 3), 512));
    }

    @Test
    void delayMakesTheCommandTakeLonger() {
        host.in(0, 512, read10(100, 1));
        long plain = clock.now();
        arm("scsi.stick.command", s -> s.opcode == 0x28, (p, s) -> s.delayNs += 5_000_000);
        TestHost.Outcome o = host.in(0, 512, read10(100, 1));
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_PASSED);
        assertThat(clock.now() - plain).isGreaterThanOrEqualTo(5_000_000);
        assertThat(host.naks()).isPositive();
    }

    // ---- disk.<name>.sector ----

    @Test
    void uncFailsTheFirstBlockInRangeAfterTheRetryTime() {
        arm("disk.stick.sector", s -> s.kind.equals("read"), (p, s) -> {
            owner("unc", 0).onOccurrence(p, s);
            s.duration = 2 * SECOND;
            s.value = Math.max(s.address, 103);
        });
        long before = clock.now();
        TestHost.Outcome o = host.in(0, 8 * 512, read10(100, 8));
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_FAILED);
        assertThat(clock.now() - before).as("the drive's retries").isGreaterThanOrEqualTo(2 * SECOND);
        assertThat(java.util.Arrays.copyOf(o.data(), 3 * 512)).as("the blocks before the bad one arrive")
                .isEqualTo(java.util.Arrays.copyOf(pattern(8 * 512, 3), 3 * 512));
        assertThat(sense()).isEqualTo(new Sense(0x3, 0x11, 0x00, true, 103));
        assertThat(seen.get(0)).isEqualTo("read -1 100+8");
    }

    @Test
    void writeFaultIsAMediumErrorWriteError() {
        arm("disk.stick.sector", s -> s.kind.equals("write"), (p, s) -> {
            owner("write-fault", 0).onOccurrence(p, s);
            s.value = s.address;
        });
        TestHost.Outcome o = host.out(0, 2 * 512, new byte[1024], write10(50, 2));
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_FAILED);
        Sense s = sense();
        assertThat(s.key()).isEqualTo(0x3);
        assertThat(s.asc()).isEqualTo(0x0C);
        assertThat(s.information()).isEqualTo(50);
    }

    @Test
    void latencyOnlyCostsTime() {
        host.in(0, 512, read10(100, 1));
        long t0 = clock.now();
        host.in(0, 512, read10(100, 1));
        long plain = clock.now() - t0;
        arm("disk.stick.sector", s -> true, (p, s) -> s.delayNs += 30_000_000);
        t0 = clock.now();
        TestHost.Outcome o = host.in(0, 512, read10(100, 1));
        assertThat(o.csw().status()).isEqualTo(Status.COMMAND_PASSED);
        assertThat(clock.now() - t0 - plain).isEqualTo(30_000_000);
    }
}
