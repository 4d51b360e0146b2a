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

    @Test
    void armedListenersHearEachTurnFromNothingArmedToSomethingArmedUntilRemoved() throws Exception {
        FaultPoints faults = new FaultPoints();
        AddressSpace bus = new AddressSpace(Tracer.none(), faults);
        int[] told = new int[1];
        AutoCloseable listener = bus.onFaultPointsArmed(() -> told[0]++);
        FaultPoint read = faults.find("bus.read").orElseThrow();
        FaultPoint write = faults.find("bus.write").orElseThrow();
        faults.arm(read, (p, s) -> { });
        assertThat(told[0]).isEqualTo(1);
        faults.arm(write, (p, s) -> { });
        AutoCloseable watcher = bus.watchAccesses((a, size, master, w) -> { });
        assertThat(told[0]).as("already armed: nothing new to drop").isEqualTo(1);
        faults.disarmAll();
        watcher.close();
        assertThat(bus.faultPointsArmed()).isFalse();
        watcher = bus.watchAccesses((a, size, master, w) -> { });
        assertThat(told[0]).as("an access watcher arms too").isEqualTo(2);
        watcher.close();
        faults.arm(faults.find("ram").orElseThrow(), (p, s) -> { });
        assertThat(told[0]).as("the ram point watches no access").isEqualTo(2);
        listener.close();
        faults.arm(read, (p, s) -> { });
        assertThat(told[0]).isEqualTo(2);
    }
}
