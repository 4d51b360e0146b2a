package brassboard.arm.a32;

import java.util.function.IntFunction;

/**
 * Handlers indexed by a decoder's encoding number, each bound the first time an instruction of its
 * encoding is decoded rather than all when the core is made.
 *
 * <p>A binding is a method reference, and the first evaluation of each method reference expression
 * links an {@code invokedynamic} call site (LambdaMetafactory, method types, a proxy class from the
 * class-data archive or a new one). The A32 table has some 430 encodings and the T32 one some 250 more;
 * binding them all when a core was made cost every start about 0.075 s of a hello-world run's 0.66 s
 * (median of 10 alternated runs, and 12 % of its CPU time, much of it HotSpot compiling the JDK's
 * method-handle code), while a run meets a few dozen encodings. {@code HandlerTableTest} binds every
 * entry, so an encoding without a handler still fails the build rather than the run that first meets it.
 *
 * <p>One table belongs to one core, which one thread runs at a time. A table shared by all the cores in the JVM
 * (T32's rewrites into A32 words, which need no core) may bind an entry twice when two threads meet it
 * first together; both results are equivalent and immutable, so either may stay.
 */
public final class HandlerTable<T> {
    private final Object[] bound;
    private final IntFunction<T> binder;

    /** A table of {@code size} entries; entry {@code e} is {@code binder.apply(e)}, made when first asked for. */
    public HandlerTable(int size, IntFunction<T> binder) {
        this.bound = new Object[size];
        this.binder = binder;
    }

    /** Entry {@code e}, bound now if this is its first use. */
    @SuppressWarnings("unchecked")
    public T get(int e) {
        Object h = bound[e];
        if (h == null) {
            h = binder.apply(e);
            if (h == null) {
                throw new IllegalStateException("encoding " + e + " has no binding");
            }
            bound[e] = h;
        }
        return (T) h;
    }

    /** How many encodings the table covers. */
    public int size() {
        return bound.length;
    }

    /** How many entries are bound so far (a statistic for tests). */
    public int boundCount() {
        int n = 0;
        for (Object h : bound) {
            if (h != null) {
                n++;
            }
        }
        return n;
    }
}
