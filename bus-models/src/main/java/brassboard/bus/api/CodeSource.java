package brassboard.bus.api;

/**
 * A region an instruction cache may decode from directly: RAM and ROM always, and devices whose reads
 * are plain memory at times (a NOR flash bank in read-array mode). The cache watches each page it
 * decodes; the region tells it, once per watched page, when that page's bytes may have changed or its
 * reads stopped being plain memory, and the cache drops what it decoded there.
 */
public interface CodeSource {
    /**
     * The array holding the page at {@code offset} (little-endian words, the page's bytes at
     * {@link #codeIndex}), while reads there return its bytes unchanged; {@code null} while they do
     * not (a flash bank answering status or CFI queries).
     */
    byte[] codeArray(long offset);

    /** Where in {@link #codeArray} the byte at {@code offset} is. */
    int codeIndex(long offset);

    /** Marks the page holding {@code offset} as decoded: its next change tells the listeners once. */
    void watch(long offset);

    /** Registers a listener for changes to watched pages. */
    void addCodeWriteListener(CodeWriteListener listener);

    /** Told when a watched page changes: caches of decoded instructions drop that page. */
    @FunctionalInterface
    interface CodeWriteListener {
        /** The page holding {@code offset} (within {@code source}) changed; it is no longer watched. */
        void pageWritten(CodeSource source, long offset);
    }

    /** Told when a page starts being watched (a cache decoded code from it). */
    @FunctionalInterface
    interface PageWatchListener {
        /** The page holding {@code offset} (within {@code source}) is watched from now on. */
        void pageWatched(CodeSource source, long offset);
    }

    /** The watched-page marks and listeners a {@link CodeSource} keeps; one per region. */
    final class Watch {
        /** Per 4 KiB page: non-zero while some cache holds decoded code from it. */
        private final byte[] watched;
        private final CodeSource source;
        private CodeWriteListener[] listeners = new CodeWriteListener[0];
        private PageWatchListener[] watchListeners = new PageWatchListener[0];
        /** How many pages are marked, so that dropping them all costs nothing when none is. */
        private int count;

        /** Marks for a region of {@code size} bytes. */
        public Watch(CodeSource source, long size) {
            this.source = source;
            this.watched = new byte[(int) ((size + 0xFFF) >>> 12)];
        }

        public void add(CodeWriteListener listener) {
            listeners = ListenerArrays.with(listeners, listener);
        }

        /**
         * Registers {@code listener} to hear of each page that starts being watched: a master that
         * writes straight into the region's arrays without testing {@link #isWatched} on every write
         * (a CPU's data TLB) stops doing so for that page. Closing the returned handle removes it.
         */
        public AutoCloseable addWatchListener(PageWatchListener listener) {
            watchListeners = ListenerArrays.with(watchListeners, java.util.Objects.requireNonNull(listener, "listener"));
            return () -> watchListeners = ListenerArrays.without(watchListeners, listener);
        }

        public void watch(long offset) {
            int p = (int) (offset >>> 12);
            if (watched[p] == 0) {
                watched[p] = 1;
                count++;
                for (PageWatchListener l : watchListeners) {
                    l.pageWatched(source, (long) p << 12);
                }
            }
        }

        public boolean isWatched(long offset) {
            return watched[(int) (offset >>> 12)] != 0;
        }

        /** Whether either end of [offset, offset + size) lies in a watched page (the fast test before a write). */
        public boolean touches(int offset, int size) {
            return watched[offset >>> 12] != 0 || watched[(offset + size - 1) >>> 12] != 0;
        }

        /** [offset, offset + size) is about to change: tells the listeners of each watched page in it. */
        public void changing(long offset, long size) {
            int first = (int) (offset >>> 12);
            int last = (int) ((offset + size - 1) >>> 12);
            for (int p = first; p <= last && p < watched.length && count > 0; p++) {
                if (watched[p] != 0) {
                    watched[p] = 0;
                    count--;
                    for (CodeWriteListener l : listeners) {
                        l.pageWritten(source, (long) p << 12);
                    }
                }
            }
        }

        /** Every watched page changes (a mode change: reads are no longer the array's bytes). */
        public void changingAll() {
            changing(0, (long) watched.length << 12);
        }
    }
}
