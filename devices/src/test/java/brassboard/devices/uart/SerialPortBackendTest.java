package brassboard.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host serial-port backend without a port: rate snapping and the one-line errors of a port that
 * cannot be opened. Its traffic over a real pseudo-terminal pair is tested end to end in the cli
 * module ({@code SerialCliTest}), where {@code run --serial} drives it.
 */
class SerialPortBackendTest {
    @Test
    void aGuestRateSnapsToTheNearestHostRateWithinThreePercent() {
        assertThat(SerialPortBackend.nearestHostRate(115_246)).as("the PL011's 115200 at 24 MHz").isEqualTo(115_200);
        assertThat(SerialPortBackend.nearestHostRate(9_600)).isEqualTo(9_600);
        assertThat(SerialPortBackend.nearestHostRate(9_861)).as("2.7% fast").isEqualTo(9_600);
        assertThat(SerialPortBackend.nearestHostRate(250_000)).as("8.5% from 230400, 50% from 500000").isEqualTo(-1);
        assertThat(SerialPortBackend.nearestHostRate(1)).isEqualTo(-1);
        assertThat(SerialPortBackend.nearestHostRate(4_000_000)).isEqualTo(4_000_000);
    }

    @Test
    void aMissingPortIsOneLineNamingIt() {
        assertThatThrownBy(() -> SerialPortBackend.open("/dev/ttyBRASSBOARD-NONE", w -> { }))
                .isInstanceOf(IOException.class)
                .hasMessage("/dev/ttyBRASSBOARD-NONE: no such serial port");
    }

    @Test
    void aFileThatIsNoTerminalIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-tty"), "x");
        assertThatThrownBy(() -> SerialPortBackend.open(file.toString(), w -> { }))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": not a serial port (it has no terminal settings)");
    }
}
