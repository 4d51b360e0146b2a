package brassboard.boards.testkit;

/**
 * A test machine cannot be built or used as asked: an unknown board, a missing image, a bad fault
 * plan, a read of an address nothing answers. The message is one line for a person, naming what
 * was wrong and what was expected.
 */
public final class TestkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A problem described by {@code message} (one line). */
    public TestkitException(String message) {
        super(message);
    }

    /** A problem described by {@code message} (one line), caused by {@code cause}. */
    public TestkitException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A step that fails with a checked exception whose message is already one line for a person. */
    interface Step<T> {
        T run() throws Exception;
    }

    /** Runs {@code step}, turning its checked exception (a bad board, image, plan) into a TestkitException. */
    static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new TestkitException(e.getMessage(), e);
        }
    }
}
