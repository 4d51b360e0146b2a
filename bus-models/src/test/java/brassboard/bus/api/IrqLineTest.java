package brassboard.bus.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IrqLineTest {
    @Test
    void sinksSeeLevelChangesOnlyOnChange() {
        Scheduler clock = new Scheduler();
        Tracer tracer = new Tracer(clock);
        StringWriter out = new StringWriter();
        tracer.addSink(new TextTraceSink(out));
        IrqLine line = new IrqLine("uart0", tracer);
        List<String> seen = new ArrayList<>();
        line.connect((l, level) -> seen.add(l.name() + "=" + level));
        line.raise();
        line.raise();
        clock.step(7);
        line.lower();
        tracer.close();
        assertThat(seen).containsExactly("uart0=true", "uart0=false");
        assertThat(out.toString()).contains("irq.raise").contains("irq.lower").contains("7 ns");
    }

    @Test
    void pulseIsARiseAndFallForLevelSinksAndLeavesTheLevel() {
        IrqLine line = new IrqLine("edge", Tracer.none());
        List<Boolean> seen = new ArrayList<>();
        line.connect((l, level) -> seen.add(level));
        line.pulse();
        assertThat(seen).containsExactly(true, false);
        assertThat(line.level()).isFalse();
    }

    @Test
    void aSinkConnectedToAHighLineIsToldAtOnce() {
        IrqLine line = new IrqLine("x", Tracer.none());
        line.raise();
        List<Boolean> seen = new ArrayList<>();
        line.connect((l, level) -> seen.add(level));
        assertThat(seen).containsExactly(true);
    }
}
