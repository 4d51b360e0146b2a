package brassboard.boards.api;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSink;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.StreamInput;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** The console passes the host's input through, including whether it is live (the UART paces its pulls by it). */
class ConsoleTest {
    @Test
    void liveInputStaysLiveThroughTheConsole() {
        Console live = new Console(CharBackend.of(CharSink.discard(), new StreamInput(new ByteArrayInputStream(new byte[0]), "test")));
        assertThat(live.inputLive()).isTrue();
        Console none = new Console(CharBackend.of(CharSink.discard(), CharSource.none()));
        assertThat(none.inputLive()).isFalse();
    }
}
