package brassboard.bus.api;

import java.util.Arrays;

/** Listener arrays replaced (not changed) on each add and removal, so that telling them needs no copy. */
final class ListenerArrays {
    private ListenerArrays() {
    }

    /** {@code listeners} with {@code added} at the end. */
    static <T> T[] with(T[] listeners, T added) {
        T[] grown = Arrays.copyOf(listeners, listeners.length + 1);
        grown[listeners.length] = added;
        return grown;
    }

    /** {@code listeners} without the first occurrence of {@code removed} (itself when it holds none). */
    static <T> T[] without(T[] listeners, T removed) {
        for (int i = 0; i < listeners.length; i++) {
            if (listeners[i] == removed) {
                T[] shrunk = Arrays.copyOf(listeners, listeners.length - 1);
                System.arraycopy(listeners, i + 1, shrunk, i, shrunk.length - i);
                return shrunk;
            }
        }
        return listeners;
    }
}
