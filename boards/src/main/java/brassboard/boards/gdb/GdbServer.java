package brassboard.boards.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The transport side of the stub: a TCP listener that takes one GDB at a time, acknowledges its
 * packets (until {@code QStartNoAckMode}) and hands them, with interrupts and connection changes, to
 * the simulation thread as {@link Event}s. A second client is told it is refused and disconnected;
 * the first keeps working. Its threads never touch the machine.
 */
public final class GdbServer implements AutoCloseable {
    /** Where to listen: {@code tcp:HOST:PORT}, host optional (loopback). */
    public record Endpoint(String host, int port) {
        /**
         * Parses {@code tcp::1234}, {@code tcp:HOST:1234} (port 0: any free port).
         *
         * @throws IllegalArgumentException with a message saying what was expected
         */
        public static Endpoint parse(String spec) {
            String expected = "expected tcp::PORT or tcp:HOST:PORT (PORT 0-65535; 0 picks a free one), like tcp::1234";
            if (spec == null || !spec.startsWith("tcp:")) {
                throw new IllegalArgumentException(expected);
            }
            String rest = spec.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(expected);
            }
            String host = rest.substring(0, colon);
            String port = rest.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port '" + port + "' is not a number; " + expected);
            }
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is out of range; " + expected);
            }
            return new Endpoint(host.isEmpty() ? "127.0.0.1" : host, p);
        }
    }

    /** What the client did, in order. */
    public record Event(Kind kind, String payload) {
        public enum Kind { CONNECTED, PACKET, INTERRUPT, DISCONNECTED }
    }

    private final ServerSocket listener;
    private final Consumer<String> log;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Object sendLock = new Object();
    private volatile Socket client;
    private volatile OutputStream out;
    private volatile boolean noAck;
    /** Set when an event arrives that the simulation thread should look at soon. */
    private volatile boolean attention;
    private volatile boolean closed;
    private byte[] lastSent;
    private final Thread acceptor;

    /**
     * Listens at {@code at}; {@code log} gets one line per connection change (for the user's stderr).
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public GdbServer(Endpoint at, Consumer<String> log) throws IOException {
        this.log = log;
        InetAddress address;
        try {
            address = InetAddress.getByName(at.host());
        } catch (UnknownHostException e) {
            throw new IOException("unknown host '" + at.host() + "'");
        }
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(address, at.port()), 1);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen on " + at.host() + ":" + at.port() + ": " + e.getMessage());
        }
        acceptor = new Thread(this::acceptLoop, "gdb-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port listened on (the one picked, for port 0). */
    public int port() {
        return listener.getLocalPort();
    }

    /** The address listened on, as {@code host:port}. */
    public String address() {
        return listener.getInetAddress().getHostAddress() + ":" + port();
    }

    /** Whether a client is connected. */
    public boolean connected() {
        return client != null;
    }

    /** Whether something arrived that the simulation thread has not looked at ({@link #poll} clears it). */
    public boolean attention() {
        return attention;
    }

    /** The next event, waiting at most {@code timeoutMs} (0: not at all); {@code null} if none. */
    public Event poll(long timeoutMs) throws InterruptedException {
        attention = false;
        Event e = timeoutMs <= 0 ? events.poll() : events.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (!events.isEmpty()) {
            attention = true;
        }
        return e;
    }

    /** Sends a packet to the client (nothing if none is connected). */
    public void send(String payload) {
        byte[] framed = RspCodec.frame(payload);
        synchronized (sendLock) {
            lastSent = framed;
            write(framed);
        }
    }

    /** Stops acknowledging packets ({@code QStartNoAckMode}, after its reply). */
    public void noAckMode() {
        noAck = true;
    }

    /** Drops the current client (after {@code D} or {@code k}); the listener stays open for another. */
    public void disconnect() {
        Socket s = client;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }

    private void write(byte[] data) {
        OutputStream o = out;
        if (o == null) {
            return;
        }
        try {
            o.write(data);
            o.flush();
        } catch (IOException e) {
            disconnect(); // the reader sees the end and reports it
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket attached = client;
            if (attached != null) {
                refuse(s, attached);
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                synchronized (sendLock) {
                    out = s.getOutputStream();
                    noAck = false;
                    lastSent = null;
                    client = s;
                }
            } catch (IOException e) {
                continue;
            }
            log.accept("gdb: client connected from " + s.getRemoteSocketAddress());
            offer(new Event(Event.Kind.CONNECTED, null)); // before any of its packets
            Thread reader = new Thread(() -> readLoop(s), "gdb-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Tells a second client, in reply to its first packet, that another one is attached, and hangs up. */
    private void refuse(Socket s, Socket attached) {
        String why = "one GDB at a time: a debugger from " + attached.getRemoteSocketAddress() + " is attached";
        log.accept("gdb: refused a client from " + s.getRemoteSocketAddress() + " (" + why + ")");
        Thread t = new Thread(() -> {
            try (s) {
                s.setSoTimeout(5_000);
                InputStream in = s.getInputStream();
                OutputStream o = s.getOutputStream();
                boolean[] answered = {false};
                RspCodec.Decoder d = new RspCodec.Decoder(payload -> {
                    try {
                        o.write('+');
                        o.write(RspCodec.frame("E.brassboard: " + why));
                        o.flush();
                    } catch (IOException e) {
                        // it hung up already
                    }
                    answered[0] = true;
                });
                while (!answered[0]) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    d.accept(b);
                }
            } catch (IOException e) {
                // timed out or gone: it is refused either way
            }
        }, "gdb-refuse");
        t.setDaemon(true);
        t.start();
    }

    private void readLoop(Socket s) {
        RspCodec.Decoder decoder = new RspCodec.Decoder(new RspCodec.Listener() {
            @Override
            public void packet(String payload) {
                if (!noAck) {
                    write(new byte[] {'+'});
                }
                offer(new Event(Event.Kind.PACKET, payload));
            }

            @Override
            public void badChecksum(String raw) {
                if (!noAck) {
                    write(new byte[] {'-'});
                }
            }

            @Override
            public void ack(boolean positive) {
                if (!positive && !noAck) {
                    synchronized (sendLock) {
                        if (lastSent != null) {
                            write(lastSent);
                        }
                    }
                }
            }

            @Override
            public void interrupt() {
                offer(new Event(Event.Kind.INTERRUPT, null));
            }
        });
        byte[] buf = new byte[4096];
        try (s) {
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                decoder.accept(buf, 0, n);
            }
        } catch (IOException e) {
            // the connection ended
        }
        synchronized (sendLock) {
            if (client == s) {
                out = null;
                client = null;
            }
        }
        log.accept("gdb: client disconnected");
        offer(new Event(Event.Kind.DISCONNECTED, null));
    }

    private void offer(Event e) {
        events.add(e);
        attention = true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing
        }
        disconnect();
    }
}
