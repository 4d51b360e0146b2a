package brassboard.bus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AddressSpace#watchAccesses}: every master's accesses but the debugger's, and the fast paths off meanwhile. */
class AccessWatcherTest {
    @Test
    void seesReadsAndWritesButNotFetchesOrTheDebuggerAndCanBeRemoved() throws Exception {
        AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
        bus.map(0x4000_0000L, new Ram("ram", 0x1000));
        List<String> seen = new ArrayList<>();
        assertThat(bus.faultPointsArmed()).isFalse();
        AutoCloseable handle = bus.watchAccesses((a, size, master, write) ->
                seen.add((write ? "W" : "R") + size + "@" + Long.toHexString(a) + " by " + Masters.name(master)));
        assertThat(bus.faultPointsArmed()).as("masters take the slow path").isTrue();
        bus.write(0x4000_0010L, 4, 7, Masters.cpu(1));
        bus.read(0x4000_0010L, 2, Masters.cpu(0));
        bus.read(0x4000_0010L, 4, Masters.DEBUG);
        bus.fetch(0x4000_0000L, 4, Masters.cpu(0));
        bus.read(0x5000_0000L, 1, Masters.DMA_BASE); // nothing there: still an access
        assertThat(seen).containsExactly("W4@40000010 by cpu1", "R2@40000010 by cpu0", "R1@50000000 by dma0");
        assertThatThrownBy(() -> bus.watchAccesses((a, s, m, w) -> { })).isInstanceOf(IllegalStateException.class);
        handle.close();
        assertThat(bus.faultPointsArmed()).isFalse();
        bus.write(0x4000_0010L, 4, 7, Masters.cpu(1));
        assertThat(seen).hasSize(3);
    }
}
