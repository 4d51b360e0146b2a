package brassboard.boards.api;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.bus.api.TextTraceSink;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@link Machine#runUntilPaused} and {@link Machine#requestPause}, under the test API. */
class PauseTest {
    @Test
    void aPauseRequestedByAConsoleListenerEndsTheRoundNotTheRun() throws Exception {
        TestImages.Rig rig = TestImages.rig("ticker.elf"); // ticks forever
        Machine m = rig.machine();
        m.console().addListener(b -> {
            if (b == '\n') {
                m.requestPause();
            }
        });
        assertThat(m.runUntilPaused(RunLimits.none(), Long.MAX_VALUE)).isEmpty();
        assertThat(rig.text()).isEqualTo("tick 0\r\n"); // paused in the round that printed it
        assertThat(m.runUntilPaused(RunLimits.none(), Long.MAX_VALUE)).isEmpty();
        assertThat(rig.text()).isEqualTo("tick 0\r\ntick 1\r\n");
        // A plain run ignores pause requests: it goes on to its limit.
        RunResult r = m.run(RunLimits.none().withMaxTimeNs(m.scheduler().now() + 5_000_000));
        assertThat(r.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(rig.text()).contains("tick 3\r\n");
        // Once ended, a run stays ended.
        assertThat(m.runUntilPaused(RunLimits.none(), Long.MAX_VALUE)).contains(r);
    }

    @Test
    void anIdleMachinePausesExactlyAtTheTimeAskedForAndTheTraceSaysStartOnce() throws Exception {
        TestImages.Rig rig = TestImages.rig("ticker.elf"); // waits for its timer between ticks
        Machine m = rig.machine();
        StringWriter trace = new StringWriter();
        m.tracer().addSink(new TextTraceSink(trace));
        int exact = 0;
        for (long t = 100_000; t <= 5_000_000; t += 100_000) {
            assertThat(m.runUntilPaused(RunLimits.none(), t)).isEmpty();
            long now = m.scheduler().now();
            // A running core pauses at the end of its round (at most a quantum of 1 ns instructions later).
            assertThat(now).isBetween(t, t + Machine.QUANTUM);
            exact += now == t ? 1 : 0;
        }
        assertThat(exact).as("pauses that found the core idle").isPositive();
        RunResult end = m.run(RunLimits.none().withMaxTimeNs(6_000_000));
        m.tracer().close();
        assertThat(end.outcome()).isEqualTo(RunResult.Outcome.LIMIT);
        assertThat(trace.toString().split("machine.start", -1)).hasSize(2);
        assertThat(trace.toString().split("machine.stop", -1)).hasSize(2);
    }
}
