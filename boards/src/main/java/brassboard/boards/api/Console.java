package brassboard.boards.api;

import brassboard.devices.api.CharBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The machine's console: the host end of the UART, shared with semihosting output. Every byte
 * the firmware prints passes here on its way to the host backend, so listeners (the
 * {@code --until} matcher, tests) see UART and semihosting output alike, in order.
 */
public final class Console implements CharBackend {
    private final CharBackend host;
    private final List<IntConsumer> listeners = new ArrayList<>();

    /** A console in front of {@code host} (stdout/stdin, a file, a script, a test buffer). */
    public Console(CharBackend host) {
        this.host = host;
    }

    /** Sees every output byte after the host backend has. */
    public void addListener(IntConsumer listener) {
        listeners.add(listener);
    }

    @Override
    public void transmit(int b) {
        host.transmit(b);
        for (int i = 0; i < listeners.size(); i++) {
            listeners.get(i).accept(b);
        }
    }

    @Override
    public int poll() {
        return host.poll();
    }

    @Override
    public boolean inputExhausted() {
        return host.inputExhausted();
    }

    @Override
    public boolean inputLive() {
        return host.inputLive();
    }

    @Override
    public void onInput(Runnable arrived) {
        host.onInput(arrived);
    }

    /** The guest's line goes on to the host backend (a serial port applies it). */
    @Override
    public void lineSettings(brassboard.devices.api.LineSettings settings) {
        host.lineSettings(settings);
    }

    @Override
    public void close() {
        host.close();
    }
}
