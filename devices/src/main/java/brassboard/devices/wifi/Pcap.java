package brassboard.devices.wifi;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classic libpcap files (the tcpdump format: a 24-byte global header, then a 16-byte header per
 * record): reading 802.11 captures (link type 105, or 127 with a radiotap header, which is skipped by
 * its length field) and writing link type 105 with nanosecond timestamps.
 */
public final class Pcap {
    /** LINKTYPE_IEEE802_11: 802.11 frames without FCS. */
    public static final int LINKTYPE_IEEE802_11 = 105;
    /** LINKTYPE_IEEE802_11_RADIOTAP: a radiotap header, then the 802.11 frame. */
    public static final int LINKTYPE_RADIOTAP = 127;
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    /** Longest record the reader takes (the largest 802.11 frame with room for a radiotap header). */
    static final int MAX_RECORD = 65535;

    /** One frame and its capture time in nanoseconds (from the file's epoch). */
    public record Frame(long timeNs, byte[] data) {
    }

    /** A file that is not a pcap we can read; the message is one line naming the problem and what was expected. */
    public static final class FormatException extends Exception {
        public FormatException(String message) {
            super(message);
        }
    }

    private Pcap() {
    }

    /**
     * Reads every frame of {@code file}.
     *
     * @throws FormatException naming what is wrong (not a pcap, another link type, a truncated record)
     * @throws IOException     when the file cannot be read
     */
    public static List<Frame> read(Path file) throws IOException, FormatException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 24) {
            throw new FormatException("only " + all.length + " bytes; expected a pcap file (a 24-byte header, then records)");
        }
        int magic = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            b.order(ByteOrder.BIG_ENDIAN);
            magic = b.getInt(0);
        }
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            throw new FormatException(String.format("magic number 0x%08x is not a pcap file's; expected a classic libpcap file "
                    + "(a1b2c3d4 or a1b23c4d; pcapng is not read: convert it with editcap -F pcap)", b.order(ByteOrder.LITTLE_ENDIAN).getInt(0)));
        }
        long unit = magic == MAGIC_NANOS ? 1 : 1000;
        int linktype = b.getInt(20) & 0x0FFF_FFFF;
        if (linktype != LINKTYPE_IEEE802_11 && linktype != LINKTYPE_RADIOTAP) {
            throw new FormatException("link type " + linktype + "; expected 105 (IEEE 802.11) or 127 (802.11 with radiotap)");
        }
        List<Frame> frames = new ArrayList<>();
        int at = 24;
        int record = 1;
        while (at < all.length) {
            if (all.length - at < 16) {
                throw new FormatException("record " + record + " is cut short: " + (all.length - at) + " bytes left of its 16-byte header");
            }
            long sec = b.getInt(at) & 0xFFFF_FFFFL;
            long frac = b.getInt(at + 4) & 0xFFFF_FFFFL;
            int incl = b.getInt(at + 8);
            if (incl < 0 || incl > MAX_RECORD) {
                throw new FormatException("record " + record + " claims " + (incl & 0xFFFF_FFFFL) + " bytes; expected at most " + MAX_RECORD);
            }
            if (all.length - at - 16 < incl) {
                throw new FormatException("record " + record + " is cut short: " + incl + " bytes announced, " + (all.length - at - 16) + " present");
            }
            int start = at + 16;
            int len = incl;
            if (linktype == LINKTYPE_RADIOTAP) {
                if (len < 4) {
                    throw new FormatException("record " + record + " is too short for a radiotap header (" + len + " bytes)");
                }
                int rt = (all[start + 2] & 0xFF) | (all[start + 3] & 0xFF) << 8; // it_len, little-endian always
                if (rt < 8 || rt > len) {
                    throw new FormatException("record " + record + ": radiotap length " + rt + " does not fit its " + len + "-byte record");
                }
                start += rt;
                len -= rt;
            }
            byte[] data = new byte[len];
            System.arraycopy(all, start, data, 0, len);
            frames.add(new Frame(sec * 1_000_000_000L + frac * unit, data));
            at += 16 + incl;
            record++;
        }
        return frames;
    }

    /** Writes link type 105 records with nanosecond timestamps as frames come; each record is flushed, so the file is complete at any time. */
    public static final class Writer implements Closeable {
        private final OutputStream out;
        private final byte[] header = new byte[16];
        private long frames;

        /** Creates (or truncates) {@code file} and writes the global header. */
        public Writer(Path file) throws IOException {
            this(new BufferedOutputStream(Files.newOutputStream(file)));
        }

        /** Writes to {@code stream}, which this writer closes. */
        public Writer(OutputStream stream) throws IOException {
            this.out = stream;
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(MAX_RECORD).putInt(LINKTYPE_IEEE802_11);
            out.write(h.array());
            out.flush();
        }

        /** One frame at virtual time {@code timeNs}. */
        public void write(long timeNs, byte[] frame) throws IOException {
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt((int) (timeNs / 1_000_000_000L)).putInt((int) (timeNs % 1_000_000_000L)).putInt(frame.length).putInt(frame.length);
            out.write(header);
            out.write(frame);
            out.flush();
            frames++;
        }

        /** Frames written so far. */
        public long frames() {
            return frames;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
