package brassboard.devices.uart;

import static brassboard.devices.uart.Pl011.*;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Register-level tests of the PL011 with virtual time stepped, in the manner of QEMU's qtest. */
class Pl011Test {
    /** 115200 baud from a 24 MHz UARTCLK: BAUDDIV = 13 + 1/64. */
    private static final int IBRD_115200 = 13;
    private static final int FBRD_115200 = 1;
    /** 10 bits × 833 / (4 × 24 MHz), rounded. */
    private static final long CHAR_NS_115200 = 86_771;
    /** 32 bits × 833 / (4 × 24 MHz), rounded. */
    private static final long TIMEOUT_NS_115200 = 277_667;
    private static final int WLEN_8 = 3 << LCRH_WLEN_SHIFT;
    private static final int ENABLED = CR_UARTEN | CR_TXE | CR_RXE;

    private final Scheduler scheduler = new Scheduler();
    private final Tracer tracer = new Tracer(scheduler);
    private final List<String> warnings = new ArrayList<>();
    private final List<TraceEvent> events = new ArrayList<>();
    private final CaptureSink output = new CaptureSink();
    private Pl011 uart;

    Pl011Test() {
        tracer.setWarningListener(warnings::add);
        tracer.addSink(events::add);
        uart = new Pl011("uart0", scheduler, tracer, CharBackend.of(output, CharSource.none()));
    }

    private Pl011 withInput(CharSource input) {
        uart = new Pl011("uart0", scheduler, tracer, CharBackend.of(output, input));
        return uart;
    }

    private long read(int offset) {
        return uart.mmio().read(offset, 4);
    }

    private void write(int offset, long value) {
        uart.mmio().write(offset, 4, value);
    }

    /** What a driver does: 115200 baud, 8 bits, FIFOs on or off, UART enabled. */
    private void setUp(boolean fifos) {
        write(UARTIBRD, IBRD_115200);
        write(UARTFBRD, FBRD_115200);
        write(UARTLCR_H, WLEN_8 | (fifos ? LCRH_FEN : 0));
        write(UARTCR, ENABLED);
    }

    private List<String> rxTrace() {
        List<String> lines = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.kind().startsWith("uart.rx")) {
                lines.add(e.timeNs() + " " + e.kind() + " " + e.detail());
            }
        }
        return lines;
    }

    // ------------------------------------------------------------ reset and identification

    @Test
    void everyRegisterHasItsResetValue() {
        assertResetValues();
        setUp(true);
        write(UARTIMSC, INT_RX | INT_TX);
        write(UARTIFLS, 0);
        write(UARTDR, 'x');
        uart.receive('y');
        uart.reset();
        assertResetValues();
        assertThat(uart.irq().level()).isFalse();
        assertThat(scheduler.hasPendingEvents()).isFalse();
    }

    private void assertResetValues() {
        assertThat(read(UARTDR)).isZero();
        assertThat(read(UARTRSR)).isZero();
        assertThat(read(UARTFR)).isEqualTo(FR_TXFE | FR_RXFE).isEqualTo(0x90);
        assertThat(read(UARTILPR)).isZero();
        assertThat(read(UARTIBRD)).isZero();
        assertThat(read(UARTFBRD)).isZero();
        assertThat(read(UARTLCR_H)).isZero();
        assertThat(read(UARTCR)).isEqualTo(CR_TXE | CR_RXE).isEqualTo(0x300);
        assertThat(read(UARTIFLS)).isEqualTo(0x12);
        assertThat(read(UARTIMSC)).isZero();
        assertThat(read(UARTRIS)).isZero();
        assertThat(read(UARTMIS)).isZero();
        assertThat(read(UARTICR)).isZero();
        assertThat(read(UARTDMACR)).isZero();
    }

    @Test
    void identificationRegistersMatchQemusArmPl011() {
        long[] expected = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < expected.length; i++) {
            assertThat(read(0xFE0 + 4 * i)).as("ID register at 0x%03x", 0xFE0 + 4 * i).isEqualTo(expected[i]);
        }
        write(0xFE0, 0xFF);
        assertThat(read(0xFE0)).isEqualTo(0x11);
    }

    @Test
    void theIrqLineIsNamedAfterTheDevice() {
        assertThat(uart.irq().name()).isEqualTo("uart0");
    }

    // ------------------------------------------------------------ FIFO and flags

    @Test
    void flagsFollowTheFifoAsItFillsAndEmpties() {
        setUp(true);
        assertThat(read(UARTFR) & (FR_RXFE | FR_RXFF)).isEqualTo(FR_RXFE);
        for (int i = 0; i < FIFO_DEPTH; i++) {
            uart.receive('a' + i);
            assertThat(read(UARTFR) & FR_RXFE).isZero();
            assertThat(read(UARTFR) & FR_RXFF).isEqualTo(i == FIFO_DEPTH - 1 ? FR_RXFF : 0);
        }
        assertThat(uart.rxFifoLevel()).isEqualTo(FIFO_DEPTH);
        for (int i = 0; i < FIFO_DEPTH; i++) {
            assertThat(read(UARTDR)).isEqualTo('a' + i);
            assertThat(read(UARTFR) & FR_RXFF).isZero();
        }
        assertThat(read(UARTFR) & FR_RXFE).isEqualTo(FR_RXFE);
        assertThat(read(UARTFR) & (FR_TXFE | FR_TXFF | FR_BUSY)).isEqualTo(FR_TXFE);
        assertThat(read(UARTRIS) & INT_OE).isZero();
    }

    @Test
    void withFifosDisabledTheReceiverHoldsOneCharacter() {
        setUp(false);
        uart.receive('a');
        assertThat(read(UARTFR) & (FR_RXFE | FR_RXFF)).isEqualTo(FR_RXFF);
        uart.receive('b'); // overruns the holding register
        assertThat(read(UARTRIS) & INT_OE).isEqualTo(INT_OE);
        assertThat(read(UARTRSR)).isEqualTo(RSR_OE);
        assertThat(read(UARTDR)).isEqualTo('a' | DR_OE);
        assertThat(read(UARTFR) & (FR_RXFE | FR_RXFF)).isEqualTo(FR_RXFE);
        assertThat(read(UARTDR)).isZero();
    }

    @Test
    void togglingFenEmptiesTheFifo() {
        setUp(true);
        uart.receive('a');
        uart.receive('b');
        write(UARTLCR_H, WLEN_8);
        assertThat(uart.rxFifoLevel()).isZero();
        assertThat(read(UARTFR) & FR_RXFE).isEqualTo(FR_RXFE);
    }

    @Test
    void dataRegisterReadsPopWithTheirErrorBits() {
        setUp(true);
        uart.receive('x' | DR_FE);
        uart.receive('y' | DR_PE);
        uart.receive(DR_BE);
        uart.receive('z');
        assertThat(read(UARTRIS) & (INT_FE | INT_PE | INT_BE)).isEqualTo(INT_FE | INT_PE | INT_BE);
        assertThat(read(UARTDR)).isEqualTo('x' | DR_FE);
        assertThat(read(UARTRSR)).isEqualTo(RSR_FE);
        assertThat(read(UARTDR)).isEqualTo('y' | DR_PE);
        assertThat(read(UARTRSR)).isEqualTo(RSR_PE);
        assertThat(read(UARTDR)).isEqualTo(DR_BE);
        assertThat(read(UARTRSR)).isEqualTo(RSR_BE);
        write(UARTRSR, 0); // UARTECR: any write clears
        assertThat(read(UARTRSR)).isZero();
        assertThat(read(UARTDR)).isEqualTo('z');
        assertThat(read(UARTRSR)).isZero();
        write(UARTICR, INT_FE | INT_PE | INT_BE);
        assertThat(read(UARTRIS)).isZero();
    }

    @Test
    void overrunLosesTheCharacterAndFlagsIt() {
        setUp(true);
        for (int i = 0; i < FIFO_DEPTH + 1; i++) {
            uart.receive('A' + i);
        }
        assertThat(read(UARTRIS) & INT_OE).isEqualTo(INT_OE);
        assertThat(read(UARTRSR) & RSR_OE).isEqualTo(RSR_OE);
        for (int i = 0; i < FIFO_DEPTH - 1; i++) {
            assertThat(read(UARTDR)).isEqualTo('A' + i);
        }
        // The newest character kept carries OE: the stream broke after it.
        assertThat(read(UARTDR)).isEqualTo(('A' + FIFO_DEPTH - 1) | DR_OE);
        assertThat(read(UARTFR) & FR_RXFE).isEqualTo(FR_RXFE);
        assertThat(read(UARTRSR) & RSR_OE).isEqualTo(RSR_OE); // sticky until UARTECR
        write(UARTRSR, 0);
        assertThat(read(UARTRSR)).isZero();
        write(UARTICR, INT_OE);
        assertThat(read(UARTRIS) & INT_OE).isZero();
        assertThat(events).anyMatch(e -> e.kind().equals("uart.overrun"));
    }

    // ------------------------------------------------------------ receive interrupt

    @Test
    void receiveInterruptRisesAtTheTriggerLevelAndIsMaskedByImsc() {
        setUp(true); // IFLS reset: RX at 1/2 of 16 = 8
        for (int i = 0; i < 7; i++) {
            uart.receive('0' + i);
        }
        assertThat(read(UARTRIS) & INT_RX).isZero();
        uart.receive('7');
        assertThat(read(UARTRIS) & INT_RX).isEqualTo(INT_RX);
        assertThat(read(UARTMIS)).isZero();
        assertThat(uart.irq().level()).isFalse();

        write(UARTIMSC, INT_RX);
        assertThat(read(UARTMIS)).isEqualTo(INT_RX);
        assertThat(uart.irq().level()).isTrue();

        read(UARTDR); // 7 left: below the trigger level
        assertThat(read(UARTRIS) & INT_RX).isZero();
        assertThat(uart.irq().level()).isFalse();

        uart.receive('8');
        assertThat(uart.irq().level()).isTrue();
        write(UARTICR, INT_RX);
        assertThat(read(UARTRIS) & INT_RX).isZero();
        assertThat(read(UARTMIS)).isZero();
        assertThat(uart.irq().level()).isFalse();
    }

    @Test
    void triggerLevelFollowsIfls() {
        setUp(true);
        write(UARTIFLS, 0); // RX at 1/8 of 16 = 2
        uart.receive('a');
        assertThat(read(UARTRIS) & INT_RX).isZero();
        uart.receive('b');
        assertThat(read(UARTRIS) & INT_RX).isEqualTo(INT_RX);
        write(UARTIFLS, 4 << IFLS_RXIFLSEL_SHIFT); // 7/8 = 14: two characters are now below it
        assertThat(read(UARTRIS) & INT_RX).isZero();
    }

    @Test
    void withFifosDisabledOneCharacterRaisesTheReceiveInterrupt() {
        setUp(false);
        write(UARTIMSC, INT_RX);
        uart.receive('a');
        assertThat(uart.irq().level()).isTrue();
        read(UARTDR);
        assertThat(uart.irq().level()).isFalse();
    }

    @Test
    void receiveTimeoutFiresAfter32QuietBitPeriods() {
        setUp(true);
        write(UARTIMSC, INT_RT);
        assertThat(uart.bitTimeNs()).isEqualTo(8_677);
        assertThat(uart.characterTimeNs()).isEqualTo(CHAR_NS_115200);
        uart.receive('a');
        uart.receive('b');
        scheduler.step(TIMEOUT_NS_115200 - 1);
        assertThat(read(UARTRIS) & INT_RT).isZero();
        uart.receive('c'); // new data restarts the timeout
        scheduler.step(TIMEOUT_NS_115200 - 1);
        assertThat(read(UARTRIS) & INT_RT).isZero();
        scheduler.step(1);
        assertThat(read(UARTRIS) & INT_RT).isEqualTo(INT_RT);
        assertThat(uart.irq().level()).isTrue();
        read(UARTDR);
        read(UARTDR);
        assertThat(read(UARTRIS) & INT_RT).isEqualTo(INT_RT);
        read(UARTDR); // empty now: cleared
        assertThat(read(UARTRIS) & INT_RT).isZero();
        assertThat(uart.irq().level()).isFalse();
    }

    @Test
    void receiveTimeoutIsClearedByIcrAndUsesTheDefaultRateBeforeTheDivisorIsSet() {
        write(UARTLCR_H, LCRH_FEN);
        write(UARTCR, ENABLED);
        uart.receive('a');
        scheduler.step(277_777); // 32 × 10^9 / 115200 = 277 777.8
        assertThat(read(UARTRIS) & INT_RT).isZero();
        scheduler.step(1);
        assertThat(read(UARTRIS) & INT_RT).isEqualTo(INT_RT);
        write(UARTICR, INT_RT);
        assertThat(read(UARTRIS) & INT_RT).isZero();
        assertThat(uart.rxFifoLevel()).isEqualTo(1);
    }

    @Test
    void baudDivisorTakesEffectAtTheLineControlWrite() {
        write(UARTIBRD, 1);
        write(UARTFBRD, 0);
        assertThat(uart.bitTimeNs()).isEqualTo(8_681); // 10^9 / 115200: still the default
        write(UARTLCR_H, WLEN_8);
        assertThat(uart.bitTimeNs()).isEqualTo(667); // 16 / 24 MHz = 666.7 ns: 1.5 Mbaud
    }

    // ------------------------------------------------------------ transmit

    @Test
    void transmitGoesToTheBackendAndTheListeners() {
        setUp(true);
        StringBuilder seen = new StringBuilder();
        Pl011.Hook hook = uart.addTxListener(b -> seen.append((char) b));
        write(UARTDR, 'h');
        write(UARTDR, 0x100 | 'i'); // only DATA is sent
        hook.close();
        write(UARTDR, '\n');
        assertThat(output.text()).isEqualTo("hi\n");
        assertThat(seen).hasToString("hi");
        assertThat(read(UARTFR) & (FR_TXFE | FR_TXFF | FR_BUSY)).isEqualTo(FR_TXFE);
        assertThat(events).anyMatch(e -> e.kind().equals("uart.tx") && e.detail().equals("hi"));
    }

    @Test
    void transmitInterruptFollowsQemu() {
        setUp(true);
        write(UARTIMSC, INT_TX);
        assertThat(read(UARTRIS) & INT_TX).isZero(); // not raised by enabling alone
        assertThat(uart.irq().level()).isFalse();
        write(UARTDR, 'a');
        assertThat(read(UARTRIS) & INT_TX).isEqualTo(INT_TX);
        assertThat(read(UARTMIS)).isEqualTo(INT_TX);
        assertThat(uart.irq().level()).isTrue();
        write(UARTICR, INT_TX);
        assertThat(read(UARTRIS) & INT_TX).isZero();
        assertThat(uart.irq().level()).isFalse();
        write(UARTIMSC, 0);
        write(UARTDR, 'b');
        assertThat(read(UARTRIS) & INT_TX).isEqualTo(INT_TX);
        assertThat(uart.irq().level()).isFalse();
    }

    @Test
    void transmitWhileDisabledStillSendsAndWarnsOnce() {
        write(UARTCR, 0);
        write(UARTDR, 'o');
        write(UARTDR, 'k');
        assertThat(output.text()).isEqualTo("ok");
        assertThat(warnings).hasSize(2)
                .anyMatch(w -> w.contains("UARTEN"))
                .anyMatch(w -> w.contains("TXE"));
    }

    // ------------------------------------------------------------ receive from the backend

    @Test
    void nothingIsReceivedWhileTheReceiverIsDisabled() {
        ScriptInput script = ScriptInput.of("abc");
        withInput(script);
        write(UARTIBRD, IBRD_115200);
        write(UARTFBRD, FBRD_115200);
        write(UARTLCR_H, WLEN_8 | LCRH_FEN);
        write(UARTCR, CR_TXE | CR_RXE); // UARTEN clear
        scheduler.step(100 * CHAR_NS_115200);
        uart.receive('z');
        assertThat(uart.rxFifoLevel()).isZero();
        assertThat(script.remaining()).isEqualTo(3);

        write(UARTCR, CR_UARTEN | CR_TXE); // RXE clear
        scheduler.step(100 * CHAR_NS_115200);
        assertThat(script.remaining()).isEqualTo(3);

        write(UARTCR, ENABLED);
        scheduler.step(CHAR_NS_115200 - 1);
        assertThat(uart.rxFifoLevel()).isZero();
        scheduler.step(1);
        assertThat(uart.rxFifoLevel()).isEqualTo(1);
        write(UARTCR, CR_UARTEN | CR_TXE);
        scheduler.step(100 * CHAR_NS_115200);
        assertThat(script.remaining()).isEqualTo(2); // nothing was pulled, nothing was lost
        write(UARTCR, ENABLED);
        scheduler.step(100 * CHAR_NS_115200);
        assertThat(read(UARTDR)).isEqualTo('a');
        assertThat(read(UARTDR)).isEqualTo('b');
        assertThat(read(UARTDR)).isEqualTo('c');
    }

    @Test
    void aScriptIsDeliveredInFullAndInOrderAtTheSameTimesEveryRun() {
        String script = "The quick brown fox jumps over the lazy dog, then sleeps. 0123456789\n".repeat(3);
        List<String> first = runScript(script, true);
        List<String> second = runScript(script, true);
        assertThat(second).isEqualTo(first);
        List<String> oneDeep = runScript(script, false);
        assertThat(oneDeep).isEqualTo(runScript(script, false));
    }

    /**
     * A guest that polls the UART only every 40 character times, so the FIFO fills and the
     * sender is held off; returns the receive trace and checks what arrived.
     */
    private List<String> runScript(String script, boolean fifos) {
        events.clear();
        output.clear();
        Scheduler s = new Scheduler();
        Tracer t = new Tracer(s);
        List<TraceEvent> trace = new ArrayList<>();
        t.addSink(trace::add);
        Pl011 u = new Pl011("uart0", s, t, CharBackend.of(output, ScriptInput.of(script)));
        u.mmio().write(UARTIBRD, 4, IBRD_115200);
        u.mmio().write(UARTFBRD, 4, FBRD_115200);
        u.mmio().write(UARTLCR_H, 4, WLEN_8 | (fifos ? LCRH_FEN : 0));
        u.mmio().write(UARTCR, 4, ENABLED);
        StringBuilder received = new StringBuilder();
        List<String> reads = new ArrayList<>();
        int polls = 0;
        while (received.length() < script.length() && polls++ < 10_000) {
            s.step(40 * CHAR_NS_115200);
            while ((u.mmio().read(UARTFR, 4) & FR_RXFE) == 0) {
                long c = u.mmio().read(UARTDR, 4);
                assertThat(c & ~DR_DATA_MASK).as("error bits").isZero();
                received.append((char) c);
                reads.add(s.now() + " read " + (char) c);
            }
        }
        assertThat(received).hasToString(script);
        assertThat(u.mmio().read(UARTRIS, 4) & INT_OE).isZero();
        assertThat(s.hasPendingEvents()).as("no polling once the script is exhausted").isFalse();
        List<String> lines = new ArrayList<>();
        long firstArrival = -1;
        long previous = 0;
        for (TraceEvent e : trace) {
            if (e.kind().equals("uart.rx")) {
                if (firstArrival < 0) {
                    firstArrival = e.timeNs();
                }
                assertThat(e.timeNs() - previous).as("characters a character time apart at least").isGreaterThanOrEqualTo(CHAR_NS_115200);
                previous = e.timeNs();
                lines.add(e.timeNs() + " " + e.detail());
            }
        }
        assertThat(firstArrival).isEqualTo(CHAR_NS_115200);
        String full = "level " + (fifos ? FIFO_DEPTH : 1);
        assertThat(trace).as("the FIFO filled and held the sender off")
                .anyMatch(e -> e.kind().equals("uart.rx") && e.detail().endsWith(full));
        assertThat(lines).hasSize(script.length());
        lines.addAll(reads);
        return lines;
    }

    @Test
    void inputKeepsComingWhileTheGuestKeepsUp() {
        withInput(ScriptInput.of("ping"));
        setUp(true);
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            scheduler.step(CHAR_NS_115200);
            got.append((char) read(UARTDR));
        }
        assertThat(got).hasToString("ping");
        assertThat(rxTrace()).containsExactly(
                CHAR_NS_115200 + " uart.rx 0x070 level 1",
                2 * CHAR_NS_115200 + " uart.rx 0x069 level 1",
                3 * CHAR_NS_115200 + " uart.rx 0x06e level 1",
                4 * CHAR_NS_115200 + " uart.rx 0x067 level 1");
    }

    // ------------------------------------------------------------ bus details

    @Test
    void byteAndHalfwordAccessesReachDataAndFlags() {
        setUp(true);
        uart.mmio().write(UARTDR, 1, 'B');
        uart.mmio().write(UARTDR, 2, 'H');
        assertThat(output.text()).isEqualTo("BH");
        uart.receive('r');
        uart.receive('s' | DR_PE);
        assertThat(uart.mmio().read(UARTFR, 1)).isEqualTo(FR_TXFE);
        assertThat(uart.mmio().read(UARTFR, 2)).isEqualTo(FR_TXFE);
        assertThat(uart.mmio().read(UARTDR, 1)).isEqualTo('r');
        assertThat(uart.mmio().read(UARTDR, 2)).isEqualTo('s' | DR_PE);
        assertThat(uart.mmio().read(UARTFR, 1)).isEqualTo(FR_TXFE | FR_RXFE);
    }

    @Test
    void unknownOffsetsReadZeroAndWarnOnce() {
        assertThat(read(0x04C)).isZero();
        assertThat(read(0x04C)).isZero();
        write(0x04C, 1);
        assertThat(read(0x008)).isZero();
        assertThat(warnings).hasSize(2).allMatch(w -> w.startsWith("uart0: "));
    }

    @Test
    void unimplementedFieldsWarnOnce() {
        write(UARTCR, ENABLED | CR_SIREN);
        write(UARTCR, ENABLED | CR_SIREN);
        assertThat(warnings).hasSize(1).allMatch(w -> w.contains("SIREN"));
        assertThat(read(UARTCR)).isEqualTo(ENABLED | CR_SIREN); // stored, no effect
        write(UARTDMACR, DMACR_RXDMAE | DMACR_TXDMAE);
        assertThat(warnings).hasSize(3).anyMatch(w -> w.contains("RXDMAE")).anyMatch(w -> w.contains("TXDMAE"));
        write(UARTDMACR, DMACR_RXDMAE | DMACR_TXDMAE);
        assertThat(warnings).hasSize(3);
    }

    /** A source that records when it was polled and answers from a script of (time, byte) pairs. */
    private final class TimedSource implements CharSource {
        final List<Long> polls = new ArrayList<>();
        final boolean live;
        long byteAt = Long.MAX_VALUE;

        TimedSource(boolean live) {
            this.live = live;
        }

        @Override
        public int poll() {
            polls.add(scheduler.now());
            if (scheduler.now() >= byteAt) {
                byteAt = Long.MAX_VALUE;
                return 'k';
            }
            return -1;
        }

        @Override
        public boolean exhausted() {
            return false;
        }

        @Override
        public boolean live() {
            return live;
        }

        /** What the UART asked to be told on arrival (run by the test as the host's reader would). */
        Runnable arrival;

        @Override
        public void onArrival(Runnable arrived) {
            this.arrival = arrived;
        }
    }

    @Test
    void anIdleLiveSourceIsPulledLessOftenUntilAByteComesAScriptEveryCharacterTime() {
        TimedSource live = new TimedSource(true);
        withInput(live);
        setUp(true);
        scheduler.step(10_000_000); // 10 ms of nothing typed
        long c = uart.characterTimeNs();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < live.polls.size(); i++) {
            gaps.add(live.polls.get(i) - live.polls.get(i - 1));
        }
        assertThat(gaps.subList(0, 4)).containsExactly(2 * c, 4 * c, 8 * c, Pl011.LIVE_IDLE_PULL_NS);
        assertThat(gaps.subList(4, gaps.size())).containsOnly(Pl011.LIVE_IDLE_PULL_NS);
        // a key: it arrives at the next pull, and the pace starts again from one character time
        long last = live.polls.get(live.polls.size() - 1);
        live.byteAt = scheduler.now();
        int before = live.polls.size();
        scheduler.step(Pl011.LIVE_IDLE_PULL_NS);
        assertThat(uart.rxFifoLevel()).isEqualTo(1);
        assertThat(live.polls.get(before)).isEqualTo(last + Pl011.LIVE_IDLE_PULL_NS); // delivered the key
        assertThat(live.polls.get(before + 1) - live.polls.get(before)).isEqualTo(c);
        assertThat(live.polls.get(before + 2) - live.polls.get(before + 1)).isEqualTo(2 * c);

        TimedSource script = new TimedSource(false);
        withInput(script);
        setUp(true);
        scheduler.step(10 * c);
        assertThat(script.polls).hasSize(10); // every character time, nothing ever given
    }

    @Test
    void aByteTheHostReportsIsPulledOneCharacterTimeOnNotAtTheIdlePace() {
        TimedSource live = new TimedSource(true);
        withInput(live);
        setUp(true);
        scheduler.step(10_000_000); // 10 ms of nothing typed: pulled every LIVE_IDLE_PULL_NS now
        long c = uart.characterTimeNs();
        // on past the next idle pull, to a quarter of the way to the one after
        scheduler.step(live.polls.get(live.polls.size() - 1) + Pl011.LIVE_IDLE_PULL_NS + Pl011.LIVE_IDLE_PULL_NS / 4 - scheduler.now());
        long last = live.polls.get(live.polls.size() - 1);
        assertThat(scheduler.now()).isEqualTo(last + Pl011.LIVE_IDLE_PULL_NS / 4);
        long typed = scheduler.now();
        live.byteAt = typed;
        // the host's reader thread reports the byte; the machine runs what it posted at its next round
        live.arrival.run();
        assertThat(live.polls.get(live.polls.size() - 1)).as("nothing is pulled on the host's thread").isEqualTo(last);
        scheduler.runHostPosts();
        scheduler.step(c);
        assertThat(uart.rxFifoLevel()).isEqualTo(1);
        assertThat(live.polls.get(live.polls.size() - 1)).as("pulled one character time after it came").isEqualTo(typed + c);
        assertThat(typed + c).isLessThan(last + Pl011.LIVE_IDLE_PULL_NS);
        // and the pace starts again from one character time
        scheduler.step(c);
        assertThat(live.polls.get(live.polls.size() - 1)).isEqualTo(typed + 2 * c);
    }

    @Test
    void aSourceFixedInAdvanceIsNeverWokenByTheHost() {
        TimedSource script = new TimedSource(false);
        withInput(script);
        setUp(true);
        // CharBackend.of hands the UART's wake-up to every source; only a live one calls it
        assertThat(script.arrival).isNotNull();
        scheduler.step(10 * uart.characterTimeNs());
        assertThat(script.polls).hasSize(10);
        scheduler.runHostPosts(); // nothing posted: nothing changes
        scheduler.step(uart.characterTimeNs());
        assertThat(script.polls).hasSize(11);
    }

    // ------------------------------------------------------------ the line handed to the backend

    @Test
    void theProgrammedLineReachesTheBackendAtEachUartlcrHWriteThatChangesIt() {
        List<brassboard.devices.api.LineSettings> told = new ArrayList<>();
        uart = new Pl011("uart0", scheduler, tracer, new CharBackend() {
            @Override
            public void transmit(int b) {
            }

            @Override
            public int poll() {
                return -1;
            }

            @Override
            public boolean inputExhausted() {
                return true;
            }

            @Override
            public void lineSettings(brassboard.devices.api.LineSettings settings) {
                told.add(settings);
            }
        });
        write(UARTLCR_H, WLEN_8 | LCRH_FEN); // no divisor yet: the rate is not programmed
        write(UARTIBRD, IBRD_115200);
        write(UARTFBRD, FBRD_115200);
        assertThat(told).as("IBRD/FBRD take effect at the next UARTLCR_H write (TRM 3.3.7)").hasSize(1);
        write(UARTLCR_H, WLEN_8 | LCRH_FEN);
        write(UARTLCR_H, WLEN_8 | LCRH_FEN); // unchanged: not told again
        // 9600 baud: BAUDDIV = 24 MHz / (16 x 9600) = 156.25 = 156 + 16/64; 7 bits, even parity, 2 stop bits.
        write(UARTIBRD, 156);
        write(UARTFBRD, 16);
        write(UARTLCR_H, (2 << LCRH_WLEN_SHIFT) | LCRH_PEN | LCRH_EPS | LCRH_STP2);
        write(UARTLCR_H, (0 << LCRH_WLEN_SHIFT) | LCRH_PEN); // 5 bits, odd
        write(UARTLCR_H, (1 << LCRH_WLEN_SHIFT) | LCRH_PEN | LCRH_SPS); // 6 bits, stick 1
        write(UARTLCR_H, (1 << LCRH_WLEN_SHIFT) | LCRH_PEN | LCRH_SPS | LCRH_EPS); // 6 bits, stick 0
        assertThat(told).extracting(Object::toString)
                .containsExactly("- 8N1", "115246 8N1", "9600 7E2", "9600 5O1", "9600 6M1", "9600 6S1");
        uart.reset();
        write(UARTLCR_H, WLEN_8);
        assertThat(told).as("after a reset the line is told again").hasSize(7).last().hasToString("- 8N1");
    }
}
