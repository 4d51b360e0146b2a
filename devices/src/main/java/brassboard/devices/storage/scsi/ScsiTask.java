package brassboard.devices.storage.scsi;

/**
 * One command in flight, as a transport (the bulk-only transport, a future UAS) sees it: which way
 * its data goes and how much of it the device intends to move, the data itself in pieces of any
 * size, and finally its status.
 *
 * <p>The transport calls {@link #readData} (direction {@link Direction#IN}) or {@link #writeData}
 * ({@link Direction#OUT}) as the host moves data, then {@link #complete()} once. If the transport
 * gives up on the command (a BOT phase error), it calls {@link #abort()} instead: nothing more is
 * written to the medium and no sense is recorded.
 */
public interface ScsiTask {
    /** Which way the data phase goes, from the initiator's point of view. */
    enum Direction {
        /** No data phase. */
        NONE,
        /** Device to host (READ, INQUIRY). */
        IN,
        /** Host to device (WRITE). */
        OUT
    }

    /** The data phase's direction. */
    Direction direction();

    /** Bytes the device intends to move (the BOT's Di or Do); 0 when there is no data phase. */
    long length();

    /**
     * Copies up to {@code max} further data-in bytes into {@code dst}; returns how many. Fewer than
     * {@code max} (possibly 0) means the data has ended: all of it was sent, or an error (a medium
     * error) stopped it, which {@link #complete()} will report.
     */
    int readData(byte[] dst, int offset, int max);

    /**
     * Takes up to {@code length} further data-out bytes from {@code src}; returns how many were
     * accepted. Fewer than offered means the device needs no more (all {@link #length()} bytes
     * arrived, or an error stopped the command).
     */
    int writeData(byte[] src, int offset, int length);

    /** Ends the command after its data phase, however far that got, and returns its status. */
    ScsiResult complete();

    /** Abandons the command: no further effect on the medium, nothing recorded. */
    void abort();

    /**
     * The virtual time (ns) the device has spent on this command since the last call: ATA command
     * overhead, media transfer, seeks, a failing medium's retries. A transport that models time
     * keeps the host waiting (NAK) until it has passed; one that does not ignores it.
     */
    long takeBusyNs();
}
