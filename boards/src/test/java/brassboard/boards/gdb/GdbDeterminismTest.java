package brassboard.boards.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * A run GDB stops and resumes is the run without GDB: the same trace, console output, instruction
 * count and virtual time, whatever the stops (breakpoints on both cores, single steps, a watchpoint,
 * a Ctrl-C at a host-chosen moment).
 */
class GdbDeterminismTest {
    private static final RunLimits ENDING = RunLimits.none().withMaxTimeNs(1_000_000_000L);
    /** irq-demo.elf: irq_enter (both cores take interrupts) and jiffies (the tick's counter). */
    private static final int IRQ_ENTER = 0x4001_0E34;
    private static final int JIFFIES = 0x4001_53D0;

    private static TestImages.Rig irqDemo() throws Exception {
        return TestImages.rig(MachineConfig.of(TestImages.image("irq-demo.elf")).withCpus(2), null);
    }

    @Test
    void breakpointsStepsWatchesAndInterruptsChangeNothing() throws Exception {
        TestImages.Rig plain = irqDemo();
        StringWriter plainTrace = new StringWriter();
        plain.machine().tracer().addSink(new TextTraceSink(plainTrace));
        RunResult expected = plain.machine().run(ENDING);
        plain.machine().tracer().close();

        TestImages.Rig rig = irqDemo();
        StringWriter trace = new StringWriter();
        rig.machine().tracer().addSink(new TextTraceSink(trace));
        int stops = 0;
        java.util.Set<String> threads = new java.util.TreeSet<>();
        try (Debugged d = new Debugged(rig.machine(), ENDING); RspClient c = d.connect()) {
            assertThat(c.ask("Z2," + Integer.toHexString(JIFFIES) + ",4")).isEqualTo("OK");
            for (int i = 0; i < 3; i++) {
                assertThat(c.ask("c")).startsWith("T05watch:" + Integer.toHexString(JIFFIES));
                stops++;
            }
            assertThat(c.ask("z2," + Integer.toHexString(JIFFIES) + ",4")).isEqualTo("OK");
            assertThat(c.ask("Z0," + Integer.toHexString(IRQ_ENTER) + ",4")).isEqualTo("OK");
            for (int i = 0; i < 20; i++) {
                String stop = c.ask("vCont;c");
                assertThat(stop).startsWith("T05swbreak:;thread:");
                threads.add(stop.substring(stop.indexOf("thread:")));
                stops++;
                if (i % 5 == 0) {
                    int core = Integer.parseInt(stop.substring(stop.indexOf("thread:") + 7, stop.length() - 1), 16);
                    for (int s = 0; s < 3; s++) {
                        assertThat(c.ask("vCont;s:" + core + ";c")).startsWith("T05");
                        stops++;
                    }
                }
            }
            assertThat(c.ask("z0," + Integer.toHexString(IRQ_ENTER) + ",4")).isEqualTo("OK");
            c.post("c");
            Thread.sleep(30);
            try {
                c.raw(new byte[] {RspCodec.INTERRUPT});
            } catch (IllegalStateException e) {
                // the run ended (W00 sent, the stub closed the connection) before the interrupt was written:
                // on a loaded host 30 ms of host time can be the rest of the run
                assertThat(e).hasCauseInstanceOf(java.io.IOException.class);
            }
            String after = c.next();
            if (after.startsWith("T02")) { // the run may have ended before the interrupt
                stops++;
                c.post("c");
                after = c.next();
            }
            assertThat(after).isEqualTo("W00");
            RunResult got = d.awaitEnd();
            rig.machine().tracer().close();
            assertThat(threads).as("both cores stopped at the breakpoint").hasSize(2);
            assertThat(stops).isGreaterThan(30);
            assertThat(got.message()).isEqualTo(expected.message());
            assertThat(got.virtualTimeNs()).isEqualTo(expected.virtualTimeNs());
            assertThat(got.instructions()).isEqualTo(expected.instructions());
            assertThat(rig.text()).isEqualTo(plain.text()).contains("10 ticks");
            assertThat(trace.toString()).isEqualTo(plainTrace.toString());
        }
    }
}
