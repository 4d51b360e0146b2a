package brassboard.boards.api;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import org.junit.jupiter.api.Test;

class RequestStopTest {
    @Test
    void aStopRequestedFromAnotherThreadEndsTheRunWithStatusZero() throws Exception {
        TestImages.Rig rig = TestImages.rig("ticker.elf"); // ticks forever
        Machine m = rig.machine();
        int[] lines = {0};
        m.console().addListener(b -> {
            if (b == '\n' && ++lines[0] == 3) {
                Thread t = new Thread(() -> m.requestStop("terminated (Ctrl-A x)"));
                t.start();
                try {
                    t.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        RunResult r = m.run(RunLimits.none().withMaxInsns(50_000_000L));
        assertThat(r.outcome()).as(r.message()).isEqualTo(RunResult.Outcome.TERMINATED);
        assertThat(r.exitCode()).isZero();
        assertThat(r.message()).startsWith("terminated (Ctrl-A x) at ");
        assertThat(lines[0]).isEqualTo(3); // the run ended within the quantum that printed the third line
    }
}
