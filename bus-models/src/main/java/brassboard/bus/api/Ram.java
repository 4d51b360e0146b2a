package brassboard.bus.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Plain read/write memory. The bytes live in chunks of {@link #CHUNK} bytes, one 4 KiB page each,
 * each allocated on its first use: a board with 1 GiB of RAM whose firmware touches 10 MiB costs
 * 10 MiB, and start-up does not wait for the host to fault in and zero memory nobody reads (256 MiB
 * of RAM and flash took about 0.2 s of a 1.5 s U-Boot boot). Untouched memory reads as zero (or as
 * the fill byte given; a chunk is allocated, filled, on its first write or direct use). Masters may
 * use {@link #chunk} directly on hot paths: a page-aligned page's byte at offset {@code o} is at index
 * {@code o & 0xFFF} of its chunk, so a CPU's data fast path needs no per-page base (translated code
 * indexes the chunk with the address's low 12 bits; chunks of 64 KiB cost each load and store a load
 * and an add more).
 */
public class Ram extends Region implements CodeSource {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** log2 of the chunk size. */
    public static final int CHUNK_SHIFT = 12;
    /** Bytes per chunk: one 4 KiB page (a CPU's data fast path relies on it: see the class comment). */
    public static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int IN_CHUNK = CHUNK - 1;

    private final byte[][] chunks;
    private final CodeSource.Watch watch;
    /** What never-written bytes read as. */
    private final byte fill;

    /** {@code size} bytes of zeroed RAM (at most 2 GiB - 1). */
    public Ram(String name, long size) {
        this(name, size, (byte) 0);
    }

    /**
     * {@code size} bytes of memory whose never-written bytes read as {@code fill} (an erased flash
     * array: {@code 0xFF}).
     */
    public Ram(String name, long size, byte fill) {
        super(name, size);
        this.fill = fill;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("RAM region '" + name + "' of " + size + " bytes is too large; at most 2047 MiB per region");
        }
        this.chunks = new byte[(int) ((size + IN_CHUNK) >>> CHUNK_SHIFT)][];
        this.watch = new CodeSource.Watch(this, size);
    }

    /**
     * The array holding {@code offset} (allocated now if it was never used); the byte at
     * {@code offset} is at index {@code offset & (CHUNK - 1)} in it. The last chunk is as long as the
     * region's end needs.
     */
    public final byte[] chunk(long offset) {
        int i = (int) (offset >>> CHUNK_SHIFT);
        byte[] c = chunks[i];
        if (c == null) {
            long left = size() - ((long) i << CHUNK_SHIFT);
            c = new byte[(int) Math.min(CHUNK, left)];
            if (fill != 0) {
                java.util.Arrays.fill(c, fill);
            }
            chunks[i] = c;
        }
        return c;
    }

    /** RAM's reads are always its bytes. */
    @Override
    public final byte[] codeArray(long offset) {
        return chunk(offset);
    }

    @Override
    public final int codeIndex(long offset) {
        return (int) (offset & IN_CHUNK);
    }

    @Override
    public final void addCodeWriteListener(CodeWriteListener listener) {
        watch.add(listener);
    }

    /**
     * Marks the page holding {@code offset} as holding decoded code: the next write to it (by any
     * master, or an image load) tells the listeners once and clears the mark. This is how an
     * instruction cache stays correct under self-modifying code and DMA into code.
     */
    @Override
    public final void watch(long offset) {
        watch.watch(offset);
    }

    /**
     * Registers {@code listener} to hear of each page of this region that starts being watched
     * ({@link CodeSource.Watch#addWatchListener}); closing the returned handle removes it.
     */
    public final AutoCloseable addWatchListener(PageWatchListener listener) {
        return watch.addWatchListener(listener);
    }

    /** Whether the page holding {@code offset} is watched. */
    public final boolean isWatched(long offset) {
        return watch.isWatched(offset);
    }

    /** Call before changing bytes at {@code offset} behind the region's back (a master's direct array access). */
    public final void beforeWrite(long offset, int size) {
        watch.changing(offset, size);
    }

    /** A copy of {@code length} bytes from {@code offset}. */
    public final byte[] copy(long offset, int length) {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int n = (int) Math.min(length - done, CHUNK - (at & IN_CHUNK));
            byte[] c = chunks[(int) (at >>> CHUNK_SHIFT)];
            if (c != null) {
                System.arraycopy(c, (int) (at & IN_CHUNK), out, done, n);
            } else if (fill != 0) {
                java.util.Arrays.fill(out, done, done + n, fill);
            }
            done += n;
        }
        return out;
    }

    @Override
    public long read(long offset, int size) {
        int o = (int) (offset & IN_CHUNK);
        if (o + size > CHUNK) {
            return readAcross(offset, size);
        }
        byte[] c = chunks[(int) (offset >>> CHUNK_SHIFT)];
        if (c == null) {
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                return MemoryBus.BUS_ERROR;
            }
            return fill == 0 ? 0 : -1L >>> (64 - 8 * size);
        }
        switch (size) {
            case 1:
                return c[o] & 0xFFL;
            case 2:
                return ((short) SHORT.get(c, o)) & 0xFFFFL;
            case 4:
                return ((int) INT.get(c, o)) & 0xFFFF_FFFFL;
            case 8:
                return (long) LONG.get(c, o);
            default:
                return MemoryBus.BUS_ERROR;
        }
    }

    /** An unaligned access that crosses a chunk boundary, a byte at a time (little-endian). */
    private long readAcross(long offset, int size) {
        if (size != 2 && size != 4 && size != 8) {
            return MemoryBus.BUS_ERROR;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= read(offset + i, 1) << (8 * i);
        }
        return v;
    }

    @Override
    public boolean write(long offset, int size, long value) {
        int o = (int) (offset & IN_CHUNK);
        if (watch.touches((int) offset, size)) {
            watch.changing(offset, size);
        }
        if (o + size > CHUNK) {
            if (size != 2 && size != 4 && size != 8) {
                return false;
            }
            for (int i = 0; i < size; i++) {
                chunk(offset + i)[(int) ((offset + i) & IN_CHUNK)] = (byte) (value >>> (8 * i));
            }
            return true;
        }
        byte[] c = chunk(offset);
        switch (size) {
            case 1:
                c[o] = (byte) value;
                return true;
            case 2:
                SHORT.set(c, o, (short) value);
                return true;
            case 4:
                INT.set(c, o, (int) value);
                return true;
            case 8:
                LONG.set(c, o, value);
                return true;
            default:
                return false;
        }
    }

    @Override
    public final void load(long offset, byte[] data) {
        load(offset, data, 0, data.length);
    }

    /**
     * Copies {@code length} bytes of {@code data} from {@code from} to {@code offset}; a whole chunk
     * of fill bytes that was never used stays unallocated.
     */
    public final void load(long offset, byte[] data, int from, int length) {
        if (length > 0) {
            beforeWrite(offset, length);
        }
        int done = 0;
        while (done < length) {
            long at = offset + done;
            int n = (int) Math.min(length - done, CHUNK - (at & IN_CHUNK));
            int i = (int) (at >>> CHUNK_SHIFT);
            if (!(chunks[i] == null && (at & IN_CHUNK) == 0 && n == CHUNK && allFill(data, from + done, n))) {
                System.arraycopy(data, from + done, chunk(at), (int) (at & IN_CHUNK), n);
            }
            done += n;
        }
    }

    /** A chunk of zeros to compare loaded data with (never written). */
    private static final byte[] ZEROS = new byte[CHUNK];

    private boolean allFill(byte[] data, int from, int n) {
        if (fill == 0 && n <= CHUNK) { // a vectorised compare: an image's zero padding (a 1 MiB DTB's) is most of what is loaded
            return java.util.Arrays.mismatch(data, from, from + n, ZEROS, 0, n) < 0;
        }
        for (int i = from; i < from + n; i++) {
            if (data[i] != fill) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String kind() {
        return "RAM";
    }
}
