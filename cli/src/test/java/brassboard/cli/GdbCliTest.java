package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.gdb.RspCodec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code run --gdb tcp:[HOST]:PORT [--wait-gdb]}: a session through the command, and bad values as one line, exit 2. */
class GdbCliTest {
    private static final String HELLO = Path.of("..", "firmware", "images", "hello.elf").toString();

    @Test
    void badValuesAreOneLineAndExitTwo() throws Exception {
        for (String bad : new String[] {"1234", "tcp:1234", "tcp::99999", "tcp::port", "udp::1234"}) {
            CliTest.Outcome o = brassboard("run", HELLO, "--gdb", bad).oneLineError();
            assertThat(o.status()).as(bad).isEqualTo(2);
            assertThat(o.err()).startsWith("brassboard: --gdb " + bad + ": ").contains("expected tcp::PORT or tcp:HOST:PORT");
        }
        CliTest.Outcome o = brassboard("run", HELLO, "--wait-gdb").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("brassboard: --wait-gdb waits for a debugger: it needs --gdb tcp::PORT\n");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            o = brassboard("run", HELLO, "--gdb", "tcp::" + taken.getLocalPort()).oneLineError();
            assertThat(o.status()).isEqualTo(2);
            assertThat(o.err()).startsWith("brassboard: --gdb tcp:127.0.0.1:" + taken.getLocalPort() + ": cannot listen on");
        }
        o = brassboard("run", HELLO, "--gdb", "tcp:no-such-host.invalid:1234").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("unknown host 'no-such-host.invalid'");
    }

    @Test
    void aSessionBreaksAtMainAndTheRunEndsAsWithoutGdb() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CliTest.Outcome[] outcome = new CliTest.Outcome[1];
        Thread run = new Thread(() -> outcome[0] = brassboard("run", HELLO, "--gdb", "tcp::" + port, "--wait-gdb"));
        run.start();
        Socket s = null;
        for (int i = 0; i < 100 && s == null; i++) {
            try {
                s = new Socket("127.0.0.1", port);
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        assertThat(s).as("the stub listens").isNotNull();
        try (Socket socket = s) {
            BlockingQueue<String> replies = new LinkedBlockingQueue<>();
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            RspCodec.Decoder d = new RspCodec.Decoder(replies::add);
            Thread reader = new Thread(() -> {
                try {
                    int b;
                    while ((b = in.read()) >= 0) {
                        d.accept(b);
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            reader.setDaemon(true);
            reader.start();
            java.util.function.Function<String, String> ask = p -> {
                try {
                    out.write(RspCodec.frame(p));
                    out.flush();
                    return replies.poll(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            assertThat(ask.apply("?")).isEqualTo("T05thread:1;");
            assertThat(ask.apply("Z0,4001034c,4")).isEqualTo("OK");
            assertThat(ask.apply("c")).isEqualTo("T05swbreak:;thread:1;");
            assertThat(ask.apply("p f")).isNotNull();
            assertThat(ask.apply("pf")).isEqualTo("4c030140");
            assertThat(ask.apply("c")).isEqualTo("W00");
        }
        run.join(30_000);
        assertThat(outcome[0].status()).isZero();
        assertThat(outcome[0].out()).contains("Brassboard hello: ARMv7-A on the virt board");
        assertThat(outcome[0].err()).contains("brassboard: gdb: listening on 127.0.0.1:" + port, "gdb: client connected from");
    }
}
