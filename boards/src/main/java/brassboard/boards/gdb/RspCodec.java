package brassboard.boards.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The framing of the GDB remote serial protocol ("Overview" and "Packets" in GDB's manual, appendix
 * E): {@code $payload#cc} with {@code cc} the two hex digits of the payload's byte sum modulo 256;
 * {@code +}/{@code -} acknowledgements; the byte 0x03 alone is an interrupt request (Ctrl-C). In a
 * payload, the bytes {@code $}, {@code #}, 0x7d and {@code *} are escaped as 0x7d followed by the byte XOR 0x20, and {@code *}
 * introduces run-length encoding ({@code X*N}: N - 29 more copies of X), which only a stub sends; this
 * one never does, but decodes it should a peer use it.
 *
 * <p>Payloads are handled as ISO-8859-1 strings: one char per byte.
 */
public final class RspCodec {
    /** The interrupt request byte (Ctrl-C), sent outside any packet. */
    public static final int INTERRUPT = 0x03;

    private RspCodec() {
    }

    /** The checksum of {@code payload} as sent: the sum of its bytes modulo 256. */
    public static int checksum(String payload) {
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            sum += payload.charAt(i) & 0xFF;
        }
        return sum & 0xFF;
    }

    /** {@code payload} framed as a packet, with {@code $}, {@code #}, 0x7d and {@code *} escaped. */
    public static byte[] frame(String payload) {
        StringBuilder body = new StringBuilder(payload.length() + 4);
        for (int i = 0; i < payload.length(); i++) {
            char ch = payload.charAt(i);
            if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
                body.append('}').append((char) (ch ^ 0x20));
            } else {
                body.append(ch);
            }
        }
        String b = body.toString();
        return ("$" + b + "#" + String.format("%02x", checksum(b))).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What a {@link Decoder} found in the byte stream. */
    public interface Listener {
        /** A packet whose checksum matched, unescaped and run-length decoded. */
        void packet(String payload);

        /** A packet whose checksum did not match (the peer should be sent {@code -}). */
        default void badChecksum(String raw) {
        }

        /** An acknowledgement: {@code +} (true) or {@code -} (false). */
        default void ack(boolean positive) {
        }

        /** The interrupt byte 0x03 between packets. */
        default void interrupt() {
        }
    }

    /**
     * Splits a byte stream into packets, acknowledgements and interrupts; tolerant of noise between
     * packets (ignored). Not thread-safe: one reader feeds it.
     */
    public static final class Decoder {
        /** Longest payload accepted (the PacketSize this stub announces, with room for escapes). */
        public static final int MAX_PACKET = 0x4000;
        private final Listener listener;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int state; // 0 between packets, 1 in the body, 2 and 3 in the checksum
        private int sum;
        private int given;
        private boolean overflow;

        public Decoder(Listener listener) {
            this.listener = listener;
        }

        /** Feeds one byte. */
        public void accept(int b) {
            b &= 0xFF;
            switch (state) {
                case 0 -> {
                    if (b == '$') {
                        body.reset();
                        sum = 0;
                        overflow = false;
                        state = 1;
                    } else if (b == '+' || b == '-') {
                        listener.ack(b == '+');
                    } else if (b == INTERRUPT) {
                        listener.interrupt();
                    }
                }
                case 1 -> {
                    if (b == '#') {
                        state = 2;
                    } else if (b == '$') {
                        body.reset(); // a packet restarted: the peer gave up on the one before
                        sum = 0;
                        overflow = false;
                    } else {
                        sum += b;
                        if (body.size() < MAX_PACKET * 2) {
                            body.write(b);
                        } else {
                            overflow = true;
                        }
                    }
                }
                case 2 -> {
                    given = hexDigit(b) << 4;
                    state = 3;
                }
                default -> {
                    given |= hexDigit(b);
                    state = 0;
                    String raw = body.toString(StandardCharsets.ISO_8859_1);
                    if (given >= 0 && given == (sum & 0xFF) && !overflow) {
                        listener.packet(unescape(raw));
                    } else {
                        listener.badChecksum(raw);
                    }
                }
            }
        }

        /** Feeds bytes. */
        public void accept(byte[] data, int off, int len) {
            for (int i = 0; i < len; i++) {
                accept(data[off + i]);
            }
        }
    }

    /** The payload with 0x7d escapes and {@code *} run lengths undone. */
    static String unescape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == '}' && i + 1 < raw.length()) {
                out.append((char) (raw.charAt(++i) ^ 0x20));
            } else if (ch == '*' && i + 1 < raw.length() && out.length() > 0) {
                int n = raw.charAt(++i) - 29;
                char last = out.charAt(out.length() - 1);
                for (int k = 0; k < n; k++) {
                    out.append(last);
                }
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The value of a hex digit, or a large negative number. */
    static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -0x1000;
    }

    /** {@code bytes} as lower-case hex, two digits each. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** {@code value}'s low {@code size} bytes in target (little-endian) order, as hex. */
    public static String hexLe(long value, int size) {
        StringBuilder sb = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            int b = (int) (value >>> (8 * i)) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }

    /** Hex digits to bytes; {@code null} when {@code s} is not an even number of hex digits. */
    public static byte[] unhex(String s) {
        if ((s.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int v = hexDigit(s.charAt(2 * i)) << 4 | hexDigit(s.charAt(2 * i + 1));
            if (v < 0) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** A little-endian value from hex of {@code size} bytes; {@code null} when malformed. */
    public static Long unhexLe(String s, int size) {
        byte[] b = unhex(s);
        if (b == null || b.length != size) {
            return null;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /** A big-endian hex number as GDB writes addresses and lengths ({@code 4001004c}); -1 when malformed or empty. */
    public static long number(String s) {
        if (s.isEmpty() || s.length() > 16) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }
}
