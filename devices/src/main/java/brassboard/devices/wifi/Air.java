package brassboard.devices.wifi;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The air around the WiFi baseband (docs/devices/wifi.md "The air"): frames from a deterministic
 * source — a pcap recording or a seeded generator — reach the baseband on one channel at their
 * virtual times, and the frames the baseband transmits go to a pcap file. One event is pending at a
 * time (the next arrival), so a long traffic source costs nothing until its frames come.
 */
public final class Air implements WifiBaseband.TxSink, Closeable {
    /** Where received frames come from, in time order. */
    public interface Traffic {
        /** Virtual time of the next frame, or {@link Long#MAX_VALUE} when there are no more. */
        long nextArrivalNs();

        /** The next frame (then {@link #nextArrivalNs} moves on). */
        byte[] take();
    }

    /** Generated frames' fixed header bytes (docs/devices/wifi.md "Generated frames"). */
    public static final int GENERATED_HEADER = 36;
    /** The largest 802.11 MPDU. */
    public static final int MAX_FRAME = 2346;
    private static final long SEED_STEP = 0x9E37_79B9_7F4A_7C15L;
    private static final byte[] BSSID = {0x02, 0, 0, 0, 0x01, 0x00};
    private static final byte[] SOURCE = {0x02, 0, 0, 0, 0x01, 0x01};

    private final Scheduler scheduler;
    private final Tracer tracer;
    private final int channel;
    private final Traffic rx;
    private final Pcap.Writer tx;
    private WifiBaseband baseband;
    private long onAir;
    private long delivered;
    private long transmitted;
    private boolean txFailed;

    /**
     * An air on {@code channel} with frames from {@code rx} (null: quiet) and transmitted frames written to
     * {@code tx} (null: they vanish).
     */
    public Air(Scheduler scheduler, Tracer tracer, int channel, Traffic rx, Pcap.Writer tx) {
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.channel = channel;
        this.rx = rx;
        this.tx = tx;
        WifiChannels.frequencyHz(channel); // checks it
    }

    /** Puts {@code bb} in this air: frames start arriving. */
    public void attach(WifiBaseband bb) {
        this.baseband = bb;
        scheduleNext();
    }

    private void scheduleNext() {
        if (rx == null) {
            return;
        }
        long at = rx.nextArrivalNs();
        if (at == Long.MAX_VALUE) {
            return;
        }
        scheduler.scheduleAt(Math.max(at, scheduler.now()), "air.rx", () -> {
            byte[] frame = rx.take();
            onAir++;
            if (baseband != null && baseband.receive(frame, channel)) {
                delivered++;
            }
            scheduleNext();
        });
    }

    @Override
    public void transmitted(long timeNs, byte[] frame) {
        transmitted++;
        if (tx == null || txFailed) {
            return;
        }
        try {
            tx.write(timeNs, frame);
        } catch (IOException e) {
            txFailed = true;
            tracer.warn("air", "cannot write the TX pcap (" + e.getMessage() + "); further transmitted frames are not recorded");
        }
    }

    /** The channel the traffic is on. */
    public int channel() {
        return channel;
    }

    /** Frames that came over the air so far. */
    public long framesOnAir() {
        return onAir;
    }

    /** Of those, frames the baseband put into its RX ring. */
    public long framesDelivered() {
        return delivered;
    }

    /** Frames the baseband transmitted. */
    public long framesTransmitted() {
        return transmitted;
    }

    /** Closes the TX pcap (the file is complete after this). */
    @Override
    public void close() throws IOException {
        if (tx != null) {
            tx.close();
        }
    }

    // ================================================================ sources

    /** A recording: frame i at {@code startNs} + (its timestamp − the first one's); out-of-order timestamps arrive with the previous frame. */
    public static Traffic recording(List<Pcap.Frame> frames, long startNs) {
        return new Traffic() {
            private int next;
            private long last = startNs;

            @Override
            public long nextArrivalNs() {
                if (next >= frames.size()) {
                    return Long.MAX_VALUE;
                }
                last = Math.max(last, startNs + frames.get(next).timeNs() - frames.get(0).timeNs());
                return last;
            }

            @Override
            public byte[] take() {
                return frames.get(next++).data();
            }
        };
    }

    /**
     * A generator: {@code perSecond} frames per second of virtual time, the k-th (from 1) at
     * {@code startNs} + k / perSecond, each {@code size} bytes ({@link #frame}), {@code count} of them
     * ({@link Long#MAX_VALUE}: no end).
     */
    public static Traffic generator(long perSecond, int size, long seed, long count, long startNs) {
        if (perSecond < 1 || size < GENERATED_HEADER || size > MAX_FRAME || count < 0) {
            throw new IllegalArgumentException("generator " + perSecond + "/s, " + size + " bytes, " + count + " frames");
        }
        return new Traffic() {
            private long n;

            @Override
            public long nextArrivalNs() {
                return n >= count ? Long.MAX_VALUE : startNs + (n + 1) * 1_000_000_000L / perSecond;
            }

            @Override
            public byte[] take() {
                return frame(n++, size, seed);
            }
        };
    }

    /** Generated frame {@code n} (from 0) of {@code size} bytes under {@code seed} (docs/devices/wifi.md "Generated frames"). */
    public static byte[] frame(long n, int size, long seed) {
        byte[] f = new byte[size];
        f[0] = 0x08; // Frame Control: type data
        f[1] = 0x02; // From DS
        for (int i = 0; i < 6; i++) {
            f[4 + i] = (byte) 0xFF;
            f[10 + i] = BSSID[i];
            f[16 + i] = SOURCE[i];
        }
        int seq = (int) (n & 0xFFF) << 4;
        f[22] = (byte) seq;
        f[23] = (byte) (seq >>> 8);
        byte[] snap = {(byte) 0xAA, (byte) 0xAA, 0x03, 0, 0, 0, (byte) 0x88, (byte) 0xB5};
        System.arraycopy(snap, 0, f, 24, 8);
        for (int i = 0; i < 4; i++) {
            f[32 + i] = (byte) (n >>> (8 * i));
        }
        SplittableRandom random = new SplittableRandom(seed + n * SEED_STEP);
        for (int i = GENERATED_HEADER; i < size; i++) {
            f[i] = (byte) random.nextInt(256);
        }
        return f;
    }
}
