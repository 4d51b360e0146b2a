package brassboard.boards.board;

/** For tests in other packages: a small valid board file ({@link BoardReaderTest#BASE}). */
public final class BoardReaderTestAccess {
    private BoardReaderTestAccess() {
    }

    public static String base() {
        return BoardReaderTest.BASE;
    }
}
