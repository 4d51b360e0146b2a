package brassboard.boards.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each command of the stub against ticker.elf (one core) and irq-demo.elf (two), through a socket. */
class GdbStubTest {
    /** ticker.elf: its entry, uart_puts, the counter's last digit and the STRB / LDRB that write and read it. */
    static final int START = 0x4001_0000;
    static final int UART_PUTS = 0x4001_018C;
    static final int DIGIT = 0x4001_0461;
    static final int STRB_DIGIT = 0x4001_0408;
    static final int LDRB_DIGITS = 0x4001_03BC;

    static Debugged ticker(long maxInsns) throws Exception {
        return new Debugged(TestImages.rig("ticker.elf").machine(), RunLimits.none().withMaxInsns(maxInsns));
    }

    @Test
    void noAckModeHoldsFromThePacketRightAfterTheOk() throws Exception {
        // the client sends its next packet the moment the OK arrives: the server must not acknowledge it
        // (it did when the mode changed after the OK was sent, now and then: a race with the reader thread)
        for (int i = 0; i < 40; i++) {
            try (Debugged d = ticker(1_000_000); RspClient c = d.connect()) {
                c.post("QStartNoAckMode");
                assertThat(c.next()).isEqualTo("OK");
                c.noAck();
                int acks = c.acks.length();
                c.post("?");
                c.post("qAttached");
                assertThat(c.next()).isEqualTo("T05thread:1;");
                assertThat(c.next()).isEqualTo("1");
                assertThat(c.acks.length()).as("round %d: no '+' after QStartNoAckMode", i).isEqualTo(acks);
            }
        }
    }

    @Test
    void handshakeAnnouncesTheFeaturesAndNoAckModeStopsTheAcks() throws Exception {
        try (Debugged d = ticker(1_000_000); RspClient c = d.connect()) {
            assertThat(c.ask("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386"))
                    .contains("PacketSize=4000", "qXfer:features:read+", "swbreak+", "hwbreak+", "vContSupported+", "QStartNoAckMode+");
            assertThat(c.ask("QStartNoAckMode")).isEqualTo("OK");
            c.noAck();
            int acks = c.acks.length();
            assertThat(c.ask("?")).isEqualTo("T05thread:1;");
            assertThat(c.ask("qAttached")).isEqualTo("1");
            assertThat(c.acks.length()).as("no '+' after QStartNoAckMode").isEqualTo(acks);
            assertThat(c.acks.toString()).matches("\\++");
            assertThat(c.ask("vMustReplyEmpty")).isEmpty();
            assertThat(c.ask("qC")).isEqualTo("QC1");
            assertThat(c.ask("qfThreadInfo")).isEqualTo("m1");
            assertThat(c.ask("qsThreadInfo")).isEqualTo("l");
            assertThat(c.ask("vCont?")).isEqualTo("vCont;c;C;s;S;t");
        }
    }

    @Test
    void theTargetDescriptionReadsInPiecesAndNamesArmCoreAndVfp() throws Exception {
        try (Debugged d = ticker(1_000_000); RspClient c = d.connect()) {
            StringBuilder xml = new StringBuilder();
            while (true) {
                String r = c.ask("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",100");
                xml.append(r.substring(1));
                if (r.startsWith("l")) {
                    break;
                }
                assertThat(r).startsWith("m");
            }
            assertThat(xml.toString()).isEqualTo(TargetDescription.XML)
                    .contains("<architecture>arm</architecture>", "org.gnu.gdb.arm.core", "org.gnu.gdb.arm.vfp",
                            "name=\"cpsr\" bitsize=\"32\" regnum=\"25\"", "name=\"d31\"", "name=\"fpscr\"");
            assertThat(c.ask("qXfer:features:read:other.xml:0,100")).isEqualTo("E00");
            assertThat(c.ask("qXfer:features:read:target.xml:zz,100")).isEqualTo("E01");
        }
    }

    @Test
    void registersReadAndWriteSingleAndAll() throws Exception {
        try (Debugged d = ticker(1_000_000); RspClient c = d.connect()) {
            String g = c.ask("g");
            assertThat(g).hasSize(2 * (16 * 4 + 4 + 32 * 8 + 4));
            assertThat(g.substring(15 * 8, 16 * 8)).isEqualTo("00000140"); // pc = 0x40010000, little-endian
            assertThat(c.register(15)).isEqualTo(START);
            assertThat(c.register(25)).isEqualTo(0x1D3); // cpsr at reset: SVC, A I F masked
            assertThat(c.ask("P3=78563412")).isEqualTo("OK");
            assertThat(c.register(3)).isEqualTo(0x12345678L);
            assertThat(c.ask("P1b=0100000000000080")).isEqualTo("OK"); // d1
            assertThat(d.machine.cpu().vfp().d[1]).isEqualTo(0x8000_0000_0000_0001L);
            assertThat(c.ask("P3a=04000000")).isEqualTo("OK"); // fpscr
            assertThat(d.machine.cpu().vfp().fpscr).isEqualTo(4);
            String changed = c.ask("g");
            String g2 = changed.substring(0, 8) + "efbeadde" + changed.substring(16);
            assertThat(c.ask("G" + g2)).isEqualTo("OK");
            assertThat(c.register(1)).isEqualTo(0xDEADBEEFL);
            assertThat(c.ask("g")).isEqualTo(g2);
            assertThat(c.ask("p10")).as("16-24: the FPA registers, absent").isEqualTo("E01");
            assertThat(c.ask("p3b")).isEqualTo("E01");
            assertThat(c.ask("P3=1234")).isEqualTo("E01");
            assertThat(c.ask("G1234")).isEqualTo("E01");
            assertThat(c.ask("pzz")).isEqualTo("E01");
        }
    }

    @Test
    void memoryReadsAndWritesRamAndRefusesDevicesAndHoles() throws Exception {
        try (Debugged d = ticker(1_000_000); RspClient c = d.connect()) {
            assertThat(c.ask("m40010000,8")).isEqualTo("0040a0e10150a0e1"); // mov r4, r0; mov r5, r1
            assertThat(c.ask("M40100000,4:11223344")).isEqualTo("OK");
            assertThat(c.ask("m40100000,4")).isEqualTo("11223344");
            // X: binary, with $ # } * escaped as } and the byte ^ 0x20
            assertThat(c.ask("X40100000,4:#$}*")).isEqualTo("OK"); // framed with } escapes
            assertThat(c.ask("m40100000,4")).isEqualTo("23247d2a");
            assertThat(c.ask("m09000000,4")).as("the UART: reads have side effects").isEqualTo("E14");
            assertThat(c.ask("M09000000,1:41")).isEqualTo("E14");
            assertThat(c.ask("m20000000,4")).as("nothing mapped").isEqualTo("E14");
            assertThat(c.ask("m47fffffe,4")).as("RAM's last two bytes, then nothing").isEqualTo("0000");
            assertThat(c.ask("m00000000,4")).as("flash, read-array mode").hasSize(8);
            assertThat(c.ask("mzz,4")).isEqualTo("E01");
            assertThat(c.ask("m40000000")).isEqualTo("E01");
            assertThat(c.ask("m40000000,100000")).isEqualTo("E01");
            assertThat(c.ask("M40100000,4:1122")).isEqualTo("E01");
            assertThat(c.ask("M40100000,2:zzzz")).isEqualTo("E01");
            String out = c.monitor("phys 0x40010000 8");
            assertThat(out).isEqualTo("0x40010000: 00 40 a0 e1 01 50 a0 e1\n");
            assertThat(c.monitor("phys 0x09000000 4")).contains("0x09000000: -- -- -- --", "a device, 'uart0'");
            assertThat(c.monitor("help")).contains("monitor phys ADDR", "monitor time");
            assertThat(c.monitor("phys")).startsWith("usage: monitor phys");
            assertThat(c.monitor("frobnicate")).contains("unknown monitor command 'frobnicate'");
            assertThat(c.monitor("time")).contains("virtual time 0 ns", "cpu0: 0 instructions");
        }
    }

    @Test
    void aBreakpointStopsBeforeItsInstructionEveryTimeAndContinueRunsIt() throws Exception {
        try (Debugged d = ticker(2_000_000); RspClient c = d.connect()) {
            assertThat(c.ask("Z0," + Integer.toHexString(UART_PUTS) + ",4")).isEqualTo("OK");
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertThat(c.ask("vCont;c")).isEqualTo("T05swbreak:;thread:1;");
                assertThat(c.register(15)).isEqualTo(UART_PUTS);
                counts.add(d.machine.cpu().instructionsRetired());
            }
            assertThat(counts).isSorted().doesNotHaveDuplicates();
            assertThat(c.ask("z0," + Integer.toHexString(UART_PUTS) + ",4")).isEqualTo("OK");
            assertThat(c.ask("Z1," + Integer.toHexString(UART_PUTS) + ",4")).as("hardware").isEqualTo("OK");
            assertThat(c.ask("c")).isEqualTo("T05hwbreak:;thread:1;");
            assertThat(c.ask("z1," + Integer.toHexString(UART_PUTS) + ",4")).isEqualTo("OK");
            assertThat(d.machine.cpu().pcHooks()).isEmpty();
            assertThat(c.ask("Z0,40010000,5")).as("kind 5 is no ARM breakpoint").isEqualTo("E01");
            assertThat(c.ask("Z0,zz,4")).isEqualTo("E01");
            assertThat(c.ask("Z9,40010000,4")).isEqualTo("E01");
            c.post("vCont;c");
            assertThat(c.next()).isEqualTo("W04"); // --max-insns: exit status 4
            assertThat(d.awaitEnd().outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        }
    }

    /**
     * Stepping with translation on (every block translated at its first run) visits the same PCs as
     * the interpreter alone, one retired instruction a step.
     */
    @Test
    void singleStepIsExactOnTranslatedCode() throws Exception {
        int steps = 400;
        TestImages.Rig reference = TestImages.rig("ticker.elf");
        reference.machine().cpu().setCompileBlocks(false);
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            reference.machine().cpu().run(1);
            expected.add(reference.machine().cpu().pc() & 0xFFFF_FFFFL);
        }
        TestImages.Rig rig = TestImages.rig("ticker.elf");
        rig.machine().cpu().setCompileThreshold(1);
        try (Debugged d = new Debugged(rig.machine(), RunLimits.none().withMaxInsns(10_000_000)); RspClient c = d.connect()) {
            // run a while first, so that the code stepped through is translated
            assertThat(c.ask("Z0," + Integer.toHexString(UART_PUTS) + ",4")).isEqualTo("OK");
            assertThat(c.ask("vCont;c")).startsWith("T05");
            assertThat(c.ask("z0," + Integer.toHexString(UART_PUTS) + ",4")).isEqualTo("OK");
            assertThat(d.machine.cpu().blocksCompiled()).isPositive();
            long before = d.machine.cpu().instructionsRetired();
            TestImages.Rig ref2 = TestImages.rig("ticker.elf");
            ref2.machine().cpu().setCompileBlocks(false);
            while (ref2.machine().cpu().instructionsRetired() < before) {
                ref2.machine().cpu().run(1);
            }
            List<Long> expected2 = new ArrayList<>();
            List<Long> got = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                ref2.machine().cpu().run(1);
                expected2.add(ref2.machine().cpu().pc() & 0xFFFF_FFFFL);
                assertThat(c.ask(i % 2 == 0 ? "vCont;s:1" : "s")).isEqualTo("T05thread:1;");
                got.add(c.register(15));
            }
            assertThat(got).isEqualTo(expected2);
            assertThat(d.machine.cpu().instructionsRetired()).isEqualTo(before + steps);
            assertThat(expected).hasSize(steps);
        }
    }

    @Test
    void watchpointsStopRightAfterTheAccessAndSayWhichKind() throws Exception {
        try (Debugged d = ticker(5_000_000); RspClient c = d.connect()) {
            String at = Integer.toHexString(DIGIT);
            assertThat(c.ask("Z2," + at + ",1")).isEqualTo("OK");
            // _start clears .bss a word at a time (STRCC at 0x40010034), counter_init writes '0', counter_inc '1'
            assertThat(c.ask("vCont;c")).isEqualTo("T05watch:" + at + ";thread:1;");
            assertThat(c.register(15)).isEqualTo(0x4001_0038L);
            assertThat(c.ask("m40010460,4")).isEqualTo("00000000");
            assertThat(c.ask("vCont;c")).isEqualTo("T05watch:" + at + ";thread:1;");
            assertThat(c.ask("m" + at + ",1")).isEqualTo("30");
            assertThat(c.ask("vCont;c")).isEqualTo("T05watch:" + at + ";thread:1;");
            assertThat(c.register(15)).isEqualTo(STRB_DIGIT + 4);
            assertThat(c.ask("m" + at + ",1")).isEqualTo("31");
            assertThat(c.ask("z2," + at + ",1")).isEqualTo("OK");
            assertThat(c.ask("z2," + at + ",1")).as("not set").isEqualTo("E01");
            assertThat(c.ask("Z3,40010460,4")).isEqualTo("OK");
            // counter_str reads the digits from the left: the range's first byte is read first
            assertThat(c.ask("c")).isEqualTo("T05rwatch:40010460;thread:1;");
            assertThat(c.register(15)).isEqualTo(LDRB_DIGITS + 4);
            assertThat(c.ask("z3,40010460,4")).isEqualTo("OK");
            assertThat(c.ask("Z4," + at + ",1")).isEqualTo("OK");
            assertThat(c.ask("c")).isEqualTo("T05awatch:" + at + ";thread:1;");
            assertThat(c.register(15)).isEqualTo(LDRB_DIGITS + 4);
            assertThat(c.ask("z4," + at + ",1")).isEqualTo("OK");
            assertThat(d.machine.cpu().hooksEveryInstruction()).as("until resumed").isTrue();
            // a device register: the UART's data register, written by uart_puts
            assertThat(c.ask("Z2,9000000,4")).isEqualTo("OK");
            assertThat(c.ask("c")).isEqualTo("T05watch:9000000;thread:1;");
            assertThat(c.register(15)).isBetween(UART_PUTS + 0L, UART_PUTS + 0x40L);
            assertThat(c.ask("z2,9000000,4")).isEqualTo("OK");
            assertThat(c.ask("Z2,40000000,0")).isEqualTo("E01");
            assertThat(c.ask("D")).isEqualTo("OK");
            assertThat(d.awaitEnd().outcome()).isEqualTo(RunResult.Outcome.LIMIT);
            assertThat(d.machine.cpu().hooksEveryInstruction()).isFalse();
            assertThat(d.machine.cpu().pcHooks()).isEmpty();
        }
    }

    @Test
    void ctrlCStopsARunningMachine() throws Exception {
        try (Debugged d = ticker(Long.MAX_VALUE); RspClient c = d.connect()) {
            assertThat(c.ask("?")).startsWith("T05");
            c.post("vCont;c");
            Thread.sleep(200);
            c.raw(new byte[] {RspCodec.INTERRUPT});
            assertThat(c.next()).isEqualTo("T02thread:1;");
            long held = d.machine.scheduler().now();
            Thread.sleep(100);
            assertThat(d.machine.scheduler().now()).as("virtual time stands still while held").isEqualTo(held);
            assertThat(held).isPositive();
            c.post("k");
            assertThat(d.awaitEnd().outcome()).isEqualTo(RunResult.Outcome.TERMINATED);
            assertThat(d.awaitEnd().message()).startsWith("killed by GDB");
        }
    }

    @Test
    void malformedPacketsGetErrorsAndTheStubCarriesOn() throws Exception {
        try (Debugged d = ticker(1_000_000); RspClient c = d.connect()) {
            for (String bad : List.of("m", "M4", "X", "Z", "z0", "P", "Hx1", "Hg99", "Hgzz", "T9", "vCont;q", "vCont;", "vCont;c:7",
                    "vCont;Czz", "qThreadExtraInfo,9", "qRcmd,zz", "c zz")) {
                assertThat(c.ask(bad)).as(bad).startsWith("E");
            }
            for (String unknown : List.of("J", "qUnknownThing", "QThing", "vFile:open:x", "!")) {
                assertThat(c.ask(unknown)).as(unknown).isEmpty();
            }
            c.raw("$?#00".getBytes(StandardCharsets.ISO_8859_1)); // wrong checksum
            Thread.sleep(100);
            assertThat(c.acks.toString()).endsWith("-");
            c.raw(new byte[] {'x', 'y', '#', '1'}); // noise between packets
            assertThat(c.ask("?")).isEqualTo("T05thread:1;");
            assertThat(d.log).noneMatch(l -> l.contains("failed"));
        }
    }

    @Test
    void aSecondClientIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (Debugged d = ticker(1_000_000); RspClient first = d.connect()) {
            assertThat(first.ask("?")).startsWith("T05");
            try (RspClient second = d.connect()) {
                assertThat(second.ask("qSupported")).startsWith("E.brassboard: one GDB at a time");
                for (int i = 0; i < 50 && !second.closedByPeer(); i++) {
                    Thread.sleep(20);
                }
                assertThat(second.closedByPeer()).isTrue();
            }
            assertThat(first.ask("qC")).isEqualTo("QC1");
            assertThat(d.log).anyMatch(l -> l.startsWith("gdb: refused a client"));
        }
    }

    @Test
    void detachLetsTheRunFinishAndAnotherClientAttachLater() throws Exception {
        try (Debugged d = ticker(Long.MAX_VALUE)) {
            try (RspClient c = d.connect()) {
                assertThat(c.ask("Z0," + Integer.toHexString(UART_PUTS) + ",4")).isEqualTo("OK");
                assertThat(c.ask("D;1")).isEqualTo("OK");
            }
            Thread.sleep(200);
            try (RspClient c = d.connect()) {
                assertThat(c.ask("?")).startsWith("T05");
                assertThat(d.machine.cpu().instructionsRetired()).as("it ran while no one was attached").isPositive();
                assertThat(d.machine.cpu().pcHooks()).as("the first client's breakpoint went with it").isEmpty();
                assertThat(c.ask("vKill;1")).isEqualTo("OK");
                assertThat(d.awaitEnd().outcome()).isEqualTo(RunResult.Outcome.TERMINATED);
            }
        }
    }

    @Test
    void eachCoreIsAThread() throws Exception {
        TestImages.Rig rig = TestImages.rig(MachineConfig.of(TestImages.image("irq-demo.elf")).withCpus(2), null);
        try (Debugged d = new Debugged(rig.machine(), RunLimits.none().withMaxTimeNs(1_000_000_000L)); RspClient c = d.connect()) {
            assertThat(c.ask("qfThreadInfo")).isEqualTo("m1,2");
            assertThat(c.ask("T2")).isEqualTo("OK");
            assertThat(c.ask("T3")).isEqualTo("E01");
            assertThat(new String(RspCodec.unhex(c.ask("qThreadExtraInfo,2")), StandardCharsets.US_ASCII)).isEqualTo("cpu1 powered off");
            // a breakpoint only core 1 reaches: its work function
            assertThat(c.ask("Z0,4001301c,4")).isEqualTo("OK");
            assertThat(c.ask("vCont;c")).isEqualTo("T05swbreak:;thread:2;");
            assertThat(c.ask("qC")).isEqualTo("QC2");
            assertThat(c.register(15)).isEqualTo(0x4001301CL);
            assertThat(c.ask("Hg1")).isEqualTo("OK");
            assertThat(c.register(15)).isNotEqualTo(0x4001301CL);
            assertThat(c.ask("Hg2")).isEqualTo("OK");
            assertThat(c.register(15)).isEqualTo(0x4001301CL);
            assertThat(c.ask("z0,4001301c,4")).isEqualTo("OK");
            long core0 = d.machine.cpus().get(0).instructionsRetired();
            assertThat(c.ask("vCont;s:2;c")).isEqualTo("T05thread:2;");
            assertThat(c.register(15)).isNotEqualTo(0x4001301CL);
            assertThat(d.machine.cpus().get(0).instructionsRetired()).as("core 0 ran on meanwhile").isGreaterThanOrEqualTo(core0);
            assertThat(c.monitor("cores")).contains("cpu0 (thread 1): powered", "cpu1 (thread 2): powered");
            c.post("c");
            assertThat(c.next()).isEqualTo("W00");
            assertThat(d.awaitEnd().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        }
    }
}
