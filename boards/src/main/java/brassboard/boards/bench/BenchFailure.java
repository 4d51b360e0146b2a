package brassboard.boards.bench;

/** A benchmark run did not end as its loop must: the wrong instruction count, no power-off, qemu-arm failing. */
public final class BenchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchFailure(String message) {
        super(message);
    }

    public BenchFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
