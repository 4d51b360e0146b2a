package brassboard.boards.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare GDB-protocol client for tests: sends packets, acknowledges and queues the replies. */
final class RspClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> packets = new LinkedBlockingQueue<>();
    /** Acknowledgements received ('+' / '-'), in order. */
    final StringBuffer acks = new StringBuffer();
    private volatile boolean noAck;
    private volatile boolean closedByPeer;

    RspClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        RspCodec.Decoder d = new RspCodec.Decoder(new RspCodec.Listener() {
            @Override
            public void packet(String payload) {
                if (!noAck) {
                    raw(new byte[] {'+'});
                }
                packets.add(payload);
            }

            @Override
            public void ack(boolean positive) {
                acks.append(positive ? '+' : '-');
            }
        });
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    d.accept(buf, 0, n);
                }
            } catch (IOException e) {
                // closed
            }
            closedByPeer = true;
        }, "rsp-client");
        t.setDaemon(true);
        t.start();
    }

    void noAck() {
        noAck = true;
    }

    boolean closedByPeer() {
        return closedByPeer;
    }

    void raw(byte[] data) {
        try {
            synchronized (out) {
                out.write(data);
                out.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a packet without waiting. */
    void post(String payload) {
        raw(RspCodec.frame(payload));
    }

    /** Sends a packet and returns the next packet that is not console output ({@code O...}). */
    String ask(String payload) {
        post(payload);
        return next();
    }

    /** The next packet, waiting up to 20 s; console output packets are skipped. */
    String next() {
        while (true) {
            String p = nextRaw();
            if (!(p.startsWith("O") && !p.equals("OK"))) {
                return p;
            }
        }
    }

    /** The next packet as it came, waiting up to 20 s. */
    String nextRaw() {
        try {
            String p = packets.poll(20, TimeUnit.SECONDS);
            if (p == null) {
                throw new AssertionError("no reply within 20 s");
            }
            return p;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A monitor command's output (the O packets before its OK), as text. */
    String monitor(String command) {
        post("qRcmd," + RspCodec.hex(command.getBytes(StandardCharsets.UTF_8)));
        StringBuilder sb = new StringBuilder();
        while (true) {
            String p = nextRaw();
            if (p.equals("OK")) {
                return sb.toString();
            }
            if (!p.startsWith("O")) {
                throw new AssertionError("expected O packets then OK, got " + p);
            }
            sb.append(new String(RspCodec.unhex(p.substring(1)), StandardCharsets.UTF_8));
        }
    }

    /** A little-endian register value from a {@code p} reply. */
    long register(int n) {
        String r = ask("p" + Integer.toHexString(n));
        return RspCodec.unhexLe(r, r.length() / 2);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
