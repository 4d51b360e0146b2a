package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.faults.Action;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.boards.faults.Rule;
import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultSite;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault plans at the USB storage stack's points of a virt machine with a stick ({@code --usb}): the
 * points the board declares, what the engine hands each point's owner for each action, filters,
 * validation, and determinism under a seed. (The owners' side, at the qTD, CSW, sense and PORTSC
 * level, is tested in bus-models' EhciFaultTest and devices' StorageFaultPointsTest.)
 */
class UsbFaultPlanTest {
    @TempDir
    Path dir;

    private Machine machine(long seed) throws Exception {
        return machine(seed, 2);
    }

    private Machine machine(long seed, int port) throws Exception {
        Path disk = Files.write(dir.resolve("disk.img"), new byte[1 << 20]);
        MachineConfig config = TestImages.program(dir, VirtMap.RAM_BASE, 0xEAFF_FFFE).withSeed(seed);
        return Machine.create(config, BoardOptions.none().withUsb(UsbAttachment.storage(disk).onPort(port)),
                new Console(CharBackend.of(new CaptureSink(), CharSource.none())));
    }

    private static FaultSite fire(Machine m, String point, FaultSite s) {
        m.faults().find(point).orElseThrow().fire(s);
        return s;
    }

    private static FaultSite scsi(int opcode, long lba, long blocks) {
        FaultSite s = new FaultSite().occurrence(null);
        s.opcode = opcode;
        s.address = lba;
        s.length = blocks;
        return s;
    }

    private static FaultSite packet(String kind, int endpoint) {
        FaultSite s = new FaultSite().occurrence(kind);
        s.endpoint = endpoint;
        return s;
    }

    @Test
    void aStickDeclaresItsPointsNamedAfterItsPort() throws Exception {
        List<String> names = machine(0).faults().all().stream().map(FaultPoint::name).toList();
        assertThat(names).contains("usb.1.packet", "usb.1.link", "usb.6.packet", "usb.6.link",
                "bot.usb2", "scsi.usb2.command", "disk.usb2.sector");
        assertThat(names).doesNotContain("bot.usb1");
    }

    @Test
    void scsiCheckConditionGetsTheSenseAndTheFirstFailingBlockOfTheRange() throws Exception {
        Machine m = machine(0);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: scsi.usb2.command
                    match: { opcode: [READ_10, 0x88], lba: 1000-1999 }
                    action: { type: check-condition, key: 0x3, asc: 0x11, ascq: 0x0 }
                    times: sticky
                """, "plan.yaml").applyTo(m);
        FaultSite miss = fire(m, "scsi.usb2.command", scsi(0x28, 2000, 8));
        assertThat(miss.action).isNull();
        FaultSite write = fire(m, "scsi.usb2.command", scsi(0x2A, 1000, 8));
        assertThat(write.action).as("WRITE (10) is not in the opcode list").isNull();
        FaultSite hit = fire(m, "scsi.usb2.command", scsi(0x28, 996, 8));
        assertThat(hit.action).isEqualTo("check-condition");
        assertThat(hit.arg).isEqualTo(0x03_11_00);
        assertThat(hit.value).as("the first block in the range").isEqualTo(1000);
        assertThat(fire(m, "scsi.usb2.command", scsi(0x88, 1500, 1)).value).isEqualTo(1500);
        assertThat(fire(m, "scsi.usb2.command", scsi(0x00, -1, 0)).action).as("no blocks: no LBA match").isNull();
        assertThat(f.injected()).isEqualTo(2);
        assertThat(f.report()).contains("scsi.usb2.command lba=1000-1999 opcode=0x28,0x88: check-condition key=0x3 asc=0x11 ascq=0x0, sticky: 2 injected")
                .contains("READ_10 lba 996+8: check-condition key=0x3 asc=0x11 ascq=0x0")
                .contains("READ_16 lba 1500+1");
    }

    @Test
    void packetActionsReachThePortWithTheirParameters() throws Exception {
        Machine m = machine(0);
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: usb.2.packet
                    match: { kind: out, endpoint: 2 }
                    when: { nth: 3 }
                    action: { type: nak-storm, count: 40 }
                  - point: usb.2.packet
                    match: { kind: in }
                    action: babble
                  - point: usb.*.packet
                    match: { endpoint: 0 }
                    action: drop
                """, "plan.yaml").applyTo(m);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FaultSite s = fire(m, "usb.2.packet", packet("out", 2));
            got.add(s.action + "/" + s.arg);
        }
        assertThat(got).containsExactly("null/0", "null/0", "nak-storm/40", "null/0");
        assertThat(fire(m, "usb.2.packet", packet("in", 1)).action).isEqualTo("babble");
        assertThat(fire(m, "usb.5.packet", packet("setup", 0)).dropped).isTrue();
        assertThat(f.report()).contains("OUT ep2: nak-storm count=40").contains("IN ep1: babble").contains("SETUP ep0: drop");
    }

    @Test
    void uncAndWriteFaultTakeOnlyTheirKindOfAccess() throws Exception {
        Machine m = machine(0);
        FaultPlan.parse("""
                rules:
                  - point: disk.usb2.sector
                    match: { lba: 64 }
                    action: { type: unc, retry: 2s }
                    times: sticky
                  - point: disk.usb2.sector
                    match: { lba: 64 }
                    action: write-fault
                    times: sticky
                """, "plan.yaml").applyTo(m);
        FaultSite read = new FaultSite().occurrence("read");
        read.address = 60;
        read.length = 8;
        fire(m, "disk.usb2.sector", read);
        assertThat(read.action).isEqualTo("unc");
        assertThat(read.duration).isEqualTo(2_000_000_000L);
        assertThat(read.value).isEqualTo(64);
        FaultSite write = new FaultSite().occurrence("write");
        write.address = 64;
        write.length = 1;
        fire(m, "disk.usb2.sector", write);
        assertThat(write.action).isEqualTo("write-fault");
        assertThat(write.duration).as("the default retry time").isEqualTo(1_000_000_000L);
    }

    @Test
    void aTimedDisconnectAndReconnectChangeThePortsConnection() throws Exception {
        String plan = """
                rules:
                  - point: usb.2.link
                    when: { after: 1ms }
                    action: { type: disconnect, duration: 2ms }
                """;
        assertThat(connectedAt(plan, 900_000)).isEqualTo(1);
        assertThat(connectedAt(plan, 1_500_000)).isZero();
        assertThat(connectedAt(plan, 4_000_000)).as("plugged in again at 3 ms").isEqualTo(1);
    }

    /** Whether port 2 has its device after a run to {@code ns} under {@code plan}. */
    private long connectedAt(String plan, long ns) throws Exception {
        Machine m = machine(0);
        FaultSession f = FaultPlan.parse(plan, "plan.yaml").applyTo(m);
        m.run(brassboard.boards.api.RunLimits.none().withMaxTimeNs(ns));
        if (ns > 1_000_000) {
            assertThat(f.report()).contains("1.000000 ms  usb.2.link link: connected -> not connected for 2.000000 ms");
        }
        FaultSite probe = new FaultSite();
        probe.action = "check";
        m.faults().find("usb.2.link").orElseThrow().perform(probe);
        return probe.previous;
    }

    /** A machine with a Super Top on port 1 and a JMicron on port 2, each over a 1 MiB disk. */
    private Machine bridges() throws Exception {
        Path disk = Files.write(dir.resolve("bridged.img"), new byte[1 << 20]);
        MachineConfig config = TestImages.program(dir, VirtMap.RAM_BASE, 0xEAFF_FFFE);
        return Machine.create(config, BoardOptions.none().withUsb(UsbAttachment.parse("supertop,disk=" + disk + ",port=1"),
                        UsbAttachment.parse("jmicron,disk=" + disk + ",bad-read=7,port=2")),
                new Console(CharBackend.of(new CaptureSink(), CharSource.none())));
    }

    private static long performCheck(Machine m, String point, long lba, long length) {
        FaultSite probe = new FaultSite();
        probe.action = "check";
        probe.address = lba;
        probe.length = length;
        m.faults().find(point).orElseThrow().perform(probe);
        return probe.previous;
    }

    @Test
    void bridgesHaveTheStorageStacksPointsAndTheirOwn() throws Exception {
        List<String> names = bridges().faults().all().stream().map(FaultPoint::name).toList();
        assertThat(names).contains("bridge.usb1", "bot.usb1", "scsi.usb1.command", "disk.usb1.sector",
                "bridge.usb2", "bot.usb2", "scsi.usb2.command", "disk.usb2.sector");
    }

    @Test
    void aForcedWedgeDropsTheBridgeOffTheBusAndItReturnsAfterTheRulesTime() throws Exception {
        String plan = """
                rules:
                  - point: bridge.usb1
                    when: { after: 1ms }
                    action: { type: wedge, return-after: 2ms }
                """;
        for (long[] at : new long[][] {{900_000, 1, 0}, {1_500_000, 0, 1}, {4_000_000, 1, 0}}) {
            Machine m = bridges();
            FaultSession f = FaultPlan.parse(plan, "plan.yaml").applyTo(m);
            m.run(brassboard.boards.api.RunLimits.none().withMaxTimeNs(at[0]));
            assertThat(performCheck(m, "usb.1.link", -1, 0)).as("connected at %d ns", at[0]).isEqualTo(at[1]);
            assertThat(performCheck(m, "bridge.usb1", -1, 0)).as("wedged at %d ns", at[0]).isEqualTo(at[2]);
            if (at[0] > 1_000_000) {
                assertThat(f.report()).contains("1.000000 ms  bridge.usb1 firmware: wedged, back after 2.000000 ms");
            }
        }
    }

    @Test
    void growMarksTheRangeBadInTheDisksBadSectors() throws Exception {
        Machine m = bridges();
        FaultSession f = FaultPlan.parse("""
                rules:
                  - point: disk.usb2.sector
                    match: { lba: 100-103, kind: read }
                    when: { after: 1ms }
                    action: grow
                  - point: disk.usb1.sector
                    match: { lba: 50 }
                    when: { after: 1ms }
                    action: grow
                """, "plan.yaml").applyTo(m);
        assertThat(performCheck(m, "disk.usb2.sector", 0, 1)).as("bad-read=7 from the options").isEqualTo(1);
        m.run(brassboard.boards.api.RunLimits.none().withMaxTimeNs(2_000_000));
        assertThat(performCheck(m, "disk.usb2.sector", 0, 1)).as("four more unreadable").isEqualTo(5);
        assertThat(performCheck(m, "disk.usb1.sector", 0, 1)).as("unreadable and unwritable").isEqualTo(2);
        assertThat(f.report()).contains("disk.usb2.sector lba 100-103: marked unreadable").contains("lba 50-50: marked unreadable and unwritable");
    }

    @Test
    void growAndWedgeMistakes() throws Exception {
        Machine m = bridges();
        assertThatThrownBy(() -> FaultPlan.parse("rules:\n  - point: disk.usb1.sector\n    match: { lba: 2040-2050 }\n    action: grow\n",
                "plan.yaml").applyTo(m)).hasMessage("plan.yaml: rule 1 (line 3): match.lba: 2040-2050 is not on the disk; disk.usb1.sector has sectors 0 to 2047");
        assertThatThrownBy(() -> FaultPlan.parse("rules:\n  - point: disk.usb1.sector\n    action: grow\n", "plan.yaml").applyTo(m))
                .hasMessage("plan.yaml: rule 1 (line 2): match: grow needs match.lba: the sectors that go bad");
        assertThatThrownBy(() -> FaultPlan.parse("rules:\n  - point: bridge.usb2\n    when: { nth: 2 }\n    action: wedge\n", "plan.yaml").applyTo(m))
                .hasMessageStartingWith("plan.yaml: rule 1 (line 3): when.nth: wedge at bridge.usb2 happens once, at when.after");
        assertThatThrownBy(() -> FaultPlan.parse("rules:\n  - point: usb.1.packet\n    action: wedge\n", "plan.yaml").applyTo(m))
                .hasMessageStartingWith("plan.yaml: rule 1 (line 3): action: wedge is not an action of usb.1.packet");
    }

    @Test
    void theSameSeedGivesTheSameInjectionsAndAnotherSeedOthers() throws Exception {
        String plan = """
                rules:
                  - point: usb.2.packet
                    when: { probability: 0.3 }
                    action: crc
                    times: sticky
                  - point: bot.usb2
                    match: { kind: in }
                    when: { probability: 0.5 }
                    action: { type: wrong-residue, value: 512 }
                    times: sticky
                """;
        assertThat(pattern(plan, 42)).isEqualTo(pattern(plan, 42)).isNotEqualTo(pattern(plan, 43));
        assertThat(pattern(plan, 42)).contains("c", "r", "-");
    }

    /** Which of 200 packet and CSW occurrences the plan hit under {@code seed}. */
    private String pattern(String plan, long seed) throws Exception {
        Machine m = machine(seed);
        FaultPlan.parse(plan, "plan.yaml").applyTo(m);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            b.append(fire(m, "usb.2.packet", packet(i % 2 == 0 ? "in" : "out", 1 + i % 2)).action != null ? 'c' : '-');
            FaultSite csw = new FaultSite().occurrence(i % 3 == 0 ? "out" : "in");
            csw.opcode = 0x28;
            b.append(fire(m, "bot.usb2", csw).action != null ? 'r' : '-');
        }
        return b.toString();
    }

    @Test
    void theDocumentedExampleAppliesToAStickOnPortOne() throws Exception {
        FaultPlan plan = FaultPlan.load(Path.of("..", "docs", "examples", "usb-storage-faults.yaml"));
        assertThat(plan.rules()).hasSize(6);
        FaultSession f = plan.applyTo(machine(0, 1));
        assertThat(f.injected()).isZero();
        assertThatThrownBy(() -> plan.applyTo(machine(0, 2))).isInstanceOf(FaultPlanException.class)
                .hasMessageContaining("rule 4 (line 15): point: 'bot.usb1' matches no fault point");
    }

    @Test
    void theJavaBuilderMeansTheSameAsTheYaml() throws Exception {
        FaultPlan yaml = FaultPlan.parse("""
                rules:
                  - point: scsi.usb1.command
                    match: { opcode: WRITE_10, lba: 0-99 }
                    action: busy
                  - point: usb.1.packet
                    match: { endpoint: 1-2, kind: in }
                    action: { type: nak-storm, duration: 5ms }
                """, "plan.yaml");
        FaultPlan java = FaultPlan.builder()
                .rule(Rule.at("scsi.usb1.command").opcode(0x2A).lba(0, 99).action(Action.busy()))
                .rule(Rule.at("usb.1.packet").endpoint(1, 2).kind("in").action(Action.nakStormFor(5_000_000)))
                .build();
        assertThat(java).isEqualTo(yaml);
    }

    @Test
    void mistakesAreOneLineNamingRuleLineAndField() throws Exception {
        Machine m = machine(0);
        assertBad(m, "    match: { opcode: READ_11 }\n    action: busy\n", "scsi.usb2.command",
                "plan.yaml: rule 1 (line 3): match.opcode: 'READ_11' is not a SCSI command name; expected a hex operation code like 0x28 or one of TEST_UNIT_READY");
        assertBad(m, "    match: { opcode: 0x100 }\n    action: busy\n", "scsi.usb2.command",
                "plan.yaml: rule 1 (line 3): match.opcode: '0x100' is not a SCSI operation code; expected 0x00 to 0xff");
        assertBad(m, "    match: { lba: 20-10 }\n    action: busy\n", "scsi.usb2.command",
                "plan.yaml: rule 1 (line 3): match.lba: '20-10' is an empty LBA range: its end is below its start");
        assertBad(m, "    match: { endpoint: 16 }\n    action: stall\n", "usb.2.packet",
                "plan.yaml: rule 1 (line 3): match.endpoint: '16' is not an endpoint number or range; expected 0 to 15 (0 is the control endpoint)");
        assertBad(m, "    match: { lba: 5 }\n    action: stall\n", "usb.2.packet",
                "plan.yaml: rule 1 (line 3): match.lba: lba does not apply to usb.2.packet; its filters: kind, endpoint");
        assertBad(m, "    match: { kind: read }\n    action: stall\n", "usb.2.packet",
                "plan.yaml: rule 1 (line 3): match.kind: 'read' is not a kind of usb.2.packet; its kinds: setup, in, out");
        assertBad(m, "    action: babble\n", "usb.2.packet",
                "plan.yaml: rule 1 (line 2): match.kind: babble happens on IN transactions (the device sends more than asked); add match: { kind: in }");
        assertBad(m, "    action: { type: check-condition, key: 0x10, asc: 0x11 }\n", "scsi.usb2.command",
                "plan.yaml: rule 1 (line 3): action.key: 16 is not a sense key; expected 0x0 to 0xf (0x3 MEDIUM ERROR, 0x4 HARDWARE ERROR, ...)");
        assertBad(m, "    action: { type: check-condition, key: 0x3 }\n", "scsi.usb2.command",
                "plan.yaml: rule 1 (line 3): action: action check-condition needs parameter 'asc'");
        assertBad(m, "    action: nak-storm\n", "usb.2.packet",
                "plan.yaml: rule 1 (line 3): action: action nak-storm needs parameter 'count' or 'duration', like { type: nak-storm, count: 100 }");
        assertBad(m, "    match: { kind: write }\n    action: unc\n", "disk.usb2.sector",
                "plan.yaml: rule 1 (line 3): match.kind: unc fails reads; for writes use write-fault");
        assertBad(m, "    action: stall\n", "bot.usb2",
                "plan.yaml: rule 1 (line 3): action: stall is not an action of bot.usb2; its actions: wrong-residue, phase-error, bad-signature, bad-tag, no-csw");
        assertBad(m, "    when: { after: 1s }\n    action: reconnect\n    times: 2\n", "usb.2.link",
                "plan.yaml: rule 1 (line 5): times: reconnect at usb.2.link happens once; write one rule per fault");
        assertBad(m, "    action: { type: wrong-residue, value: 0x100000000 }\n", "bot.usb2",
                "plan.yaml: rule 1 (line 3): action.value: 4294967296 does not fit dCSWDataResidue; expected 0 to 0xffffffff");
    }

    private static void assertBad(Machine m, String rest, String point, String message) {
        assertThatThrownBy(() -> FaultPlan.parse("rules:\n  - point: " + point + "\n" + rest, "plan.yaml").applyTo(m))
                .isInstanceOf(FaultPlanException.class).hasMessageStartingWith(message);
    }
}
