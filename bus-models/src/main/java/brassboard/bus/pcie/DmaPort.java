package brassboard.bus.pcie;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.Tracer;

/**
 * An endpoint's bus-master port: the memory reads and writes (DMA, and the memory write that is an
 * MSI) a {@link PcieEndpoint} issues, carried to the system bus as accesses of the endpoint's own
 * master id, so they are traced, subject to {@code bus.read}/{@code bus.write} fault rules
 * ({@code match: { master: dmaN }}) and, landing in RAM, drop decoded code from the CPUs' caches
 * exactly as a CPU store does.
 *
 * <p>Nothing here throws: every call says how it ended ({@link Result}). A request is issued only
 * while Command.Bus Master Enable is set and the link is up (PCIe Base §7.5.1.1.3: a function with
 * Bus Master Enable clear issues no memory requests, MSI included); otherwise nothing reaches the bus
 * and the model sees {@link Result#MASTER_DISABLED} or {@link Result#LINK_DOWN}.
 *
 * <p>The endpoint's fault point {@code pcie.<dev>.dma} sees each call (one request, of any length)
 * and may abort it or poison its data; see {@link PcieEndpoint}.
 */
public final class DmaPort {
    /** How a request ended. */
    public enum Result {
        /** Completed; the data moved. */
        OK,
        /** Command.Bus Master Enable is clear (or the function is in D3hot): nothing was issued. */
        MASTER_DISABLED,
        /** The link is down: nothing was issued. */
        LINK_DOWN,
        /** Nothing answered at the address (or the system bus refused it): an Unsupported Request completion. */
        UNSUPPORTED_REQUEST,
        /** The completer aborted the request: a Completer Abort completion. */
        COMPLETER_ABORT,
        /** The data moved but was poisoned (PCIe Base §2.7.2): the model received, or wrote, corrupted data. */
        POISONED;

        /** Whether the request completed cleanly. */
        public boolean ok() {
            return this == OK;
        }
    }

    static final String READ = "read";
    static final String WRITE = "write";

    private final PcieEndpoint owner;
    private final MemoryBus bus;
    private final int master;
    private final Tracer tracer;
    private final FaultPoint point;
    private final FaultSite site = new FaultSite();
    /** The bytes of one {@link #readWord}/{@link #writeWord} (the simulation is single-threaded). */
    private final byte[] word = new byte[4];
    private Result last = Result.OK;

    DmaPort(PcieEndpoint owner, MemoryBus bus, int master, Tracer tracer, FaultPoint point) {
        this.owner = owner;
        this.bus = bus;
        this.master = master;
        this.tracer = tracer;
        this.point = point;
    }

    /** The bus master id the port's accesses carry ({@link Masters}). */
    public int master() {
        return master;
    }

    /** How the last request ended. */
    public Result lastResult() {
        return last;
    }

    /** Reads {@code length} bytes at bus address {@code address} into {@code into[offset..]}. */
    public Result read(long address, byte[] into, int offset, int length) {
        return transfer(address, into, offset, length, false);
    }

    /** Writes {@code length} bytes from {@code from[offset..]} at bus address {@code address}. */
    public Result write(long address, byte[] from, int offset, int length) {
        return transfer(address, from, offset, length, true);
    }

    /**
     * Reads one little-endian value of {@code size} bytes (1, 2 or 4).
     *
     * @return the value, zero-extended, or {@link MemoryBus#BUS_ERROR} unless {@link #lastResult()} is
     *         {@link Result#OK} or {@link Result#POISONED}
     */
    public long readWord(long address, int size) {
        Result r = transfer(address, word, 0, checkSize(size), false);
        if (r != Result.OK && r != Result.POISONED) {
            return MemoryBus.BUS_ERROR;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (word[i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    /** Writes the low {@code size} bytes (1, 2 or 4) of {@code value}, little-endian. */
    public Result writeWord(long address, int size, long value) {
        for (int i = 0; i < checkSize(size); i++) {
            word[i] = (byte) (value >>> (8 * i));
        }
        return transfer(address, word, 0, size, true);
    }

    private static int checkSize(int size) {
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException(size + "-byte DMA word; expected 1, 2 or 4");
        }
        return size;
    }

    private Result transfer(long address, byte[] data, int offset, int length, boolean write) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("DMA buffer range " + offset + "+" + length + " outside a " + data.length + "-byte array");
        }
        Result r;
        if (!owner.linkUp()) {
            r = Result.LINK_DOWN;
        } else if (!owner.config().busMaster() || owner.inD3hot()) {
            r = Result.MASTER_DISABLED;
        } else {
            r = write ? issueWrite(address, data, offset, length) : issueRead(address, data, offset, length);
        }
        last = r;
        if (tracer.enabled()) {
            tracer.emit(owner.name(), "pcie.dma", String.format("%s %s %d bytes at 0x%08x: %s", Masters.name(master),
                    write ? WRITE : READ, length, address, describe(r)));
        }
        return r;
    }

    private String describe(Result r) {
        return switch (r) {
            case OK -> "ok";
            case MASTER_DISABLED -> owner.inD3hot() ? "not issued: the function is in D3hot" : "not issued: Bus Master Enable is clear";
            case LINK_DOWN -> "not issued: link down";
            case UNSUPPORTED_REQUEST -> "unsupported request (nothing answered)";
            case COMPLETER_ABORT -> "completer abort";
            case POISONED -> "poisoned";
        };
    }

    private Result issueWrite(long address, byte[] data, int offset, int length) {
        byte[] out = data;
        boolean poisoned = false;
        if (point.armed()) {
            point.fire(site.access(address, Math.min(length, 4), master, true, firstWord(data, offset, length)).kind(WRITE));
            Result aborted = aborted();
            if (aborted != null) {
                return aborted; // posted: no completion, so no Status bit; the model still learns it
            }
            if (PcieEndpoint.POISON.equals(site.action)) {
                poisoned = true;
                out = corrupted(data, offset, length);
                offset = 0;
                owner.poisonedWrite();
            }
        }
        for (int done = 0; done < length; ) {
            long at = address + done;
            int n = chunk(at, length - done);
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (out[offset + done + i] & 0xFFL) << (8 * i);
            }
            if (!bus.write(at, n, v, master)) {
                return Result.UNSUPPORTED_REQUEST;
            }
            done += n;
        }
        return poisoned ? Result.POISONED : Result.OK;
    }

    private Result issueRead(long address, byte[] into, int offset, int length) {
        for (int done = 0; done < length; ) {
            long at = address + done;
            int n = chunk(at, length - done);
            long v = bus.read(at, n, master);
            if (v == MemoryBus.BUS_ERROR) {
                owner.config().assign(ConfigSpace.STATUS, 2, ConfigSpace.STATUS_RECEIVED_MASTER_ABORT, true);
                return Result.UNSUPPORTED_REQUEST;
            }
            for (int i = 0; i < n; i++) {
                into[offset + done + i] = (byte) (v >>> (8 * i));
            }
            done += n;
        }
        if (point.armed()) {
            point.fire(site.access(address, Math.min(length, 4), master, false, firstWord(into, offset, length)).kind(READ));
            Result aborted = aborted();
            if (aborted != null) {
                owner.config().assign(ConfigSpace.STATUS, 2, aborted == Result.COMPLETER_ABORT
                        ? ConfigSpace.STATUS_RECEIVED_TARGET_ABORT : ConfigSpace.STATUS_RECEIVED_MASTER_ABORT, true);
                return aborted;
            }
            if (PcieEndpoint.POISON.equals(site.action)) {
                byte[] bad = corrupted(into, offset, length);
                System.arraycopy(bad, 0, into, offset, length);
                owner.poisonedCompletion();
                return Result.POISONED;
            }
        }
        return Result.OK;
    }

    /** The abort a fault handler chose for the request, or null. */
    private Result aborted() {
        if (!site.error && !site.dropped) {
            return null;
        }
        return PcieEndpoint.UNSUPPORTED.equals(site.action) ? Result.UNSUPPORTED_REQUEST : Result.COMPLETER_ABORT;
    }

    /** The data with the fault's mask (what the handler turned the first word into, XOR the first word) XORed into every 32-bit word. */
    private byte[] corrupted(byte[] data, int offset, int length) {
        long mask = site.value ^ firstWord(data, offset, length);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (data[offset + i] ^ (mask >>> (8 * (i & 3))));
        }
        return out;
    }

    private static long firstWord(byte[] data, int offset, int length) {
        long v = 0;
        for (int i = 0; i < Math.min(length, 4); i++) {
            v |= (data[offset + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    /** Naturally aligned 4-byte accesses where possible, single bytes at unaligned edges. */
    private static int chunk(long at, int remaining) {
        return (at & 3) == 0 && remaining >= 4 ? 4 : 1;
    }
}
