package brassboard.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.uart.ConsoleEscape.Action;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleEscapeTest {
    /** Feeds {@code keys}; the guest's bytes as a string, other actions as {@code <HELP>} / {@code <EXIT>}. */
    private static String run(ConsoleEscape e, String keys) {
        StringBuilder out = new StringBuilder();
        for (char c : keys.toCharArray()) {
            Action a = e.feed(c);
            switch (a) {
                case SEND -> out.append((char) e.byteToSend());
                case HELP -> out.append("<HELP>");
                case EXIT -> out.append("<EXIT>");
                case NONE -> { }
            }
        }
        return out.toString();
    }

    @Test
    void ordinaryKeysPassIncludingCtrlC() {
        assertThat(run(new ConsoleEscape(), "ls\r\u0003\u007f\u001b[A")).isEqualTo("ls\r\u0003\u007f\u001b[A");
    }

    @Test
    void ctrlAxExitsAndCtrlAhHelps() {
        assertThat(run(new ConsoleEscape(), "a\u0001hb\u0001?\u0001xc")).isEqualTo("a<HELP>b<HELP><EXIT>c");
        assertThat(run(new ConsoleEscape(), "\u0001X")).isEqualTo("<EXIT>");
    }

    @Test
    void ctrlACtrlASendsOneCtrlA() {
        ConsoleEscape e = new ConsoleEscape();
        assertThat(run(e, "\u0001\u0001\u0001\u0001")).isEqualTo("\u0001\u0001");
        assertThat(e.escapePending()).isFalse();
    }

    @Test
    void unknownCommandsAreDroppedAsInQemu() {
        ConsoleEscape e = new ConsoleEscape();
        assertThat(run(e, "\u0001cq\u0001z\u0001")).isEqualTo("q");
        assertThat(e.escapePending()).isTrue();
        assertThat(run(e, "x")).isEqualTo("<EXIT>");
    }

    @Test
    void streamInputAppliesTheEscapesOnItsReaderThread() throws Exception {
        List<String> events = new ArrayList<>();
        StreamInput in = new StreamInput(new ByteArrayInputStream("ab\u0001h\u0001\u0001c\u0001xzz".getBytes(StandardCharsets.ISO_8859_1)),
                "test-console", new StreamInput.EscapeHandler() {
                    @Override
                    public synchronized void help(String text) {
                        events.add("help:" + text.contains("C-a x"));
                    }

                    @Override
                    public synchronized void exit() {
                        events.add("exit");
                    }
                });
        in.start();
        StringBuilder got = new StringBuilder();
        for (int spins = 0; !in.exhausted() && spins < 5_000; spins++) {
            int b = in.poll();
            if (b >= 0) {
                got.append((char) b);
            } else {
                Thread.sleep(1);
            }
        }
        assertThat(got).hasToString("ab\u0001c"); // nothing after Ctrl-A x is read
        synchronized (events) {
            assertThat(events).containsExactly("help:true", "exit");
        }
    }
}
