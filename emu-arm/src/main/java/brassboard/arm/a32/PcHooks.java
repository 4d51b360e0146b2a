package brassboard.arm.a32;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The addresses at which a core calls its observer's {@code onPcHook} before executing the
 * instruction there. Lookups (once per step of the run loop, and while translating a block) go
 * to an open-addressing table rebuilt on every change; changes are rare next to lookups.
 */
public final class PcHooks {
    /** Never a hooked address: hooks are on instructions, which are at even addresses. */
    private static final int EMPTY = 1;

    private final TreeSet<Integer> addresses = new TreeSet<>();
    private int[] table = {EMPTY, EMPTY};

    boolean isEmpty() {
        return addresses.isEmpty();
    }

    Set<Integer> addresses() {
        return java.util.Collections.unmodifiableSet(new TreeSet<>(addresses));
    }

    /** Adds {@code address}; whether it was new. */
    boolean add(int address) {
        if (!addresses.add(address & ~1)) {
            return false;
        }
        rebuild();
        return true;
    }

    boolean remove(int address) {
        if (!addresses.remove(address & ~1)) {
            return false;
        }
        rebuild();
        return true;
    }

    /** Replaces the set; returns the addresses that were not in it before. */
    int[] replace(Collection<Integer> with) {
        TreeSet<Integer> next = new TreeSet<>();
        for (int a : with) {
            next.add(a & ~1);
        }
        int[] added = next.stream().filter(a -> !addresses.contains(a)).mapToInt(Integer::intValue).toArray();
        addresses.clear();
        addresses.addAll(next);
        rebuild();
        return added;
    }

    public boolean contains(int pc) {
        int[] t = table;
        int mask = t.length - 1;
        int i = slot(pc) & mask;
        while (true) {
            int v = t[i];
            if (v == pc) {
                return true;
            }
            if (v == EMPTY) {
                return false;
            }
            i = (i + 1) & mask;
        }
    }

    private static int slot(int pc) {
        return ((pc >>> 2) * 0x9E3779B9) >>> 8;
    }

    private void rebuild() {
        int size = Integer.highestOneBit(Math.max(2, addresses.size() * 2)) << 1;
        int[] t = new int[size];
        java.util.Arrays.fill(t, EMPTY);
        for (int a : addresses) {
            int i = slot(a) & (size - 1);
            while (t[i] != EMPTY) {
                i = (i + 1) & (size - 1);
            }
            t[i] = a;
        }
        table = t;
    }
}
