package brassboard.devices.storage.scsi;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The common part of every {@link ScsiTask}: completion happens once, and its result is handed to
 * the logical unit (which keeps the sense for REQUEST SENSE); an aborted task records nothing.
 */
abstract class Task implements ScsiTask {
    /** A task that takes no time. */
    static final LongSupplier INSTANT = () -> 0;

    private final Consumer<ScsiResult> recorder;
    private final LongSupplier busy;
    private boolean ended;

    Task(Consumer<ScsiResult> recorder, LongSupplier busy) {
        this.recorder = recorder;
        this.busy = busy;
    }

    @Override
    public long takeBusyNs() {
        return busy.getAsLong();
    }

    @Override
    public int readData(byte[] dst, int offset, int max) {
        return 0;
    }

    @Override
    public int writeData(byte[] src, int offset, int length) {
        return 0;
    }

    @Override
    public final ScsiResult complete() {
        if (ended) {
            throw new IllegalStateException("SCSI task completed or aborted twice");
        }
        ended = true;
        ScsiResult r = finish();
        recorder.accept(r);
        return r;
    }

    @Override
    public final void abort() {
        ended = true;
        dropped();
    }

    /** The command's result once its data phase is over. */
    abstract ScsiResult finish();

    /** Called on {@link #abort()}: forget buffered data. */
    void dropped() {
    }

    /**
     * A command whose outcome is settled when it is submitted: no data, or data-in bytes prepared
     * in advance (INQUIRY, MODE SENSE, REQUEST SENSE, ...).
     */
    static final class Settled extends Task {
        private final byte[] data;
        private final ScsiResult result;
        private int sent;

        Settled(Consumer<ScsiResult> recorder, LongSupplier busy, byte[] data, ScsiResult result) {
            super(recorder, busy);
            this.data = data;
            this.result = result;
        }

        @Override
        public Direction direction() {
            // An allocation length of 0 leaves nothing to send: no data phase (BOT case 1, not 2).
            return data == null || data.length == 0 ? Direction.NONE : Direction.IN;
        }

        @Override
        public long length() {
            return data == null ? 0 : data.length;
        }

        @Override
        public int readData(byte[] dst, int offset, int max) {
            if (data == null) {
                return 0;
            }
            int n = Math.min(max, data.length - sent);
            System.arraycopy(data, sent, dst, offset, n);
            sent += n;
            return n;
        }

        @Override
        ScsiResult finish() {
            return result;
        }
    }
}
