package brassboard.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PromptPacedInputTest {
    private static final Pattern PROMPT = Pattern.compile("=> $");

    private static void print(PromptPacedInput in, String text) {
        text.chars().forEach(in);
    }

    private static String drain(PromptPacedInput in) {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.poll()) >= 0; ) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void holdsEachLineUntilThePromptSinceThePreviousOne() {
        PromptPacedInput in = PromptPacedInput.of("version\nreset\npoweroff", PROMPT);
        assertThat(in.poll()).isEqualTo(-1);
        assertThat(in.exhausted()).isFalse();
        print(in, "U-Boot\r\n=>");
        assertThat(in.poll()).isEqualTo(-1);
        print(in, " ");
        assertThat(drain(in)).isEqualTo("version\n");
        // The prompt seen before the line was taken does not release the next one.
        assertThat(in.poll()).isEqualTo(-1);
        print(in, "version\r\nU-Boot 2023.01\r\n");
        assertThat(in.poll()).isEqualTo(-1);
        print(in, "=> ");
        assertThat(drain(in)).isEqualTo("reset\n");
        print(in, "=> ");
        assertThat(drain(in)).isEqualTo("poweroff"); // a last line without a newline is sent as it is
        assertThat(in.exhausted()).isTrue();
        assertThat(in.linesLeft()).isZero();
    }

    @Test
    void anEmptyFirstLineStopsTheAutobootCountdown() {
        PromptPacedInput in = PromptPacedInput.of("\nversion\n", Pattern.compile("(=> |autoboot: +\\d+ )$"));
        print(in, "Hit any key to stop autoboot: ");
        assertThat(in.poll()).isEqualTo(-1);
        print(in, " 2 ");
        assertThat(drain(in)).isEqualTo("\n");
        print(in, "\b\b\b 0 \r\n");
        assertThat(in.poll()).isEqualTo(-1);
        print(in, "=> ");
        assertThat(drain(in)).isEqualTo("version\n");
    }
}
