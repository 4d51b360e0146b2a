package brassboard.devices.uart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {
    @TempDir
    Path dir;

    /** Counts flushes so the newline/poll/close flushing can be observed. */
    private static final class CountingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void scriptInputReplaysItsBytesThenIsExhausted() {
        ScriptInput in = ScriptInput.of("hé");
        assertThat(in.exhausted()).isFalse();
        assertThat(in.poll()).isEqualTo('h');
        assertThat(in.poll()).isEqualTo(0xC3);
        assertThat(in.poll()).isEqualTo(0xA9);
        assertThat(in.exhausted()).isTrue();
        assertThat(in.poll()).isEqualTo(-1);
    }

    @Test
    void outputIsFlushedAtNewlinesOnPollAndOnClose() {
        CountingStream stream = new CountingStream();
        CharBackend backend = CharBackend.of(new OutputStreamSink(stream, "test", false), CharSource.none());
        backend.transmit('a');
        assertThat(stream.flushes).isZero();
        backend.transmit('\n');
        assertThat(stream.flushes).isEqualTo(1);
        backend.transmit('>');
        assertThat(backend.poll()).isEqualTo(-1);
        assertThat(stream.flushes).isEqualTo(2);
        assertThat(backend.poll()).isEqualTo(-1);
        assertThat(stream.flushes).as("nothing new to flush").isEqualTo(2);
        assertThat(backend.inputExhausted()).isTrue();
        backend.close();
        assertThat(stream.closed).as("stdout-like streams stay open").isFalse();
        assertThat(stream.bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("a\n>");
    }

    @Test
    void fileSinkWritesTheFile() throws IOException {
        Path file = dir.resolve("console.log");
        OutputStreamSink sink = OutputStreamSink.toFile(file);
        for (byte b : "boot ok\n".getBytes(StandardCharsets.US_ASCII)) {
            sink.write(b);
        }
        sink.close();
        assertThat(Files.readString(file)).isEqualTo("boot ok\n");
        assertThat(sink.error()).isEmpty();
    }

    @Test
    void writeErrorsAreKeptNotThrown() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        OutputStreamSink sink = new OutputStreamSink(broken, "pipe", false);
        sink.write('x');
        sink.write('y');
        assertThat(sink.error()).hasValueSatisfying(e -> assertThat(e).hasMessage("Broken pipe"));
    }

    @Test
    void streamInputForwardsUntilTheStreamEnds() throws InterruptedException {
        StreamInput in = new StreamInput(new ByteArrayInputStream("ab".getBytes(StandardCharsets.US_ASCII)), "test-input");
        StringBuilder got = new StringBuilder();
        for (int spins = 0; !in.exhausted() && spins < 5_000; spins++) {
            int b = in.poll();
            if (b >= 0) {
                got.append((char) b);
            } else {
                Thread.sleep(1);
            }
        }
        assertThat(got).hasToString("ab");
        assertThat(in.exhausted()).isTrue();
    }

    @Test
    void inputOptionSelectsTheSource() throws IOException {
        assertThat(StdioBackend.input(null).exhausted()).isTrue();
        assertThat(StdioBackend.input("-")).isInstanceOf(StreamInput.class);
        Path script = dir.resolve("keys.txt");
        Files.writeString(script, "help\n");
        CharSource file = StdioBackend.input(script.toString());
        assertThat(file.poll()).isEqualTo('h');
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> StdioBackend.input(missing.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("no such file");
    }

    @Test
    void closingAStreamInputEndsAReadItsThreadIsBlockedIn() throws Exception {
        // As the host's stdin (a channel): a reader blocked in read() must not outlive the run, or the
        // JVM's exit waits for it.
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        StreamInput input = new StreamInput(java.nio.channels.Channels.newInputStream(pipe.source()), "test-reader");
        pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {'k'}));
        int b = -1;
        for (int i = 0; i < 10_000 && b < 0; i++) {
            b = input.poll(); // starts the reader; the byte arrives once it has read it
            Thread.sleep(1);
        }
        assertThat(b).isEqualTo('k');
        assertThat(input.exhausted()).isFalse(); // now blocked in read(): nothing more was written
        input.close();
        for (int i = 0; i < 10_000 && !input.exhausted(); i++) {
            Thread.sleep(1);
        }
        assertThat(input.exhausted()).isTrue();
        assertThat(input.error()).isEmpty(); // a close is the end of input, not a read error
        pipe.sink().close();
    }
}
