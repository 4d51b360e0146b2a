package brassboard.arm.a32;

/**
 * Loads and stores on a RAM page without Java's array bounds check, for translated code.
 *
 * <p>A translated load or store reaches RAM only after its data-TLB probe hit: the entry's tag
 * equals the address's page with its low {@code size - 1} bits (so the address is aligned to the
 * access), and the entry's array is that page's RAM chunk, {@link brassboard.bus.api.Ram#CHUNK}
 * (4096) bytes long ({@code ArmCore} fills an entry only with such a chunk). The index is the
 * address's low 12 bits, so the access lies inside the array by construction, and the bounds check
 * HotSpot compiles into a {@code byte[]} view access (the array's length loaded, compared, a branch
 * to a trap) is dead weight on every translated load and store: measured, CoreMark's 10,000
 * iterations took 15–25 % less time without it (docs/speed.md, round 10).
 *
 * <p>The unchecked accesses are {@code jdk.internal.misc.Unsafe}'s, which HotSpot's C1 and C2 both
 * compile to a single machine load or store. The package is not exported by {@code java.base}: the
 * JVM must be started with {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} (the
 * launcher passes it; the jar's manifest asks for it under {@code java -jar}). Without the export,
 * or with {@code -Dbrassboard.jit.rawPages=false}, {@link #UNSAFE} is null and translations use the
 * checked {@code byte[]} views in {@link A32Translator} instead: the same results, a little slower.
 * {@code sun.misc.Unsafe} is not used: its memory access methods are deprecated for removal and warn
 * from JDK 24 on.
 */
public final class RawPageAccess {

    /** {@code jdk.internal.misc.Unsafe}'s instance, or null when translations use checked accesses. */
    static final Object UNSAFE;

    /** Internal name of Unsafe's class, for the translations' bytecode. */
    static final String CLASS = "jdk/internal/misc/Unsafe";

    /** Offset of a {@code byte[]}'s element 0 from the array's reference, for Unsafe's accesses. */
    static final long BYTE_BASE;

    /** The option that exports Unsafe's package to Brassboard's classes. */
    public static final String JVM_OPTION = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    static {
        Object unsafe = null;
        long base = 0;
        if (wanted(System.getProperty("brassboard.jit.rawPages"), System.err)
                && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN // the guest's RAM is little-endian
                && Object.class.getModule().isExported("jdk.internal.misc", RawPageAccess.class.getModule())) {
            try {
                Class<?> c = Class.forName("jdk.internal.misc.Unsafe");
                unsafe = c.getMethod("getUnsafe").invoke(null);
                base = ((Number) c.getMethod("arrayBaseOffset", Class.class).invoke(unsafe, byte[].class)).longValue();
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null; // a JDK without it: checked accesses
            }
        }
        UNSAFE = unsafe;
        BYTE_BASE = base;
    }

    private RawPageAccess() {
    }

    /**
     * The {@code -Dbrassboard.jit.rawPages} setting {@code value} names (null: on); anything but {@code true}
     * or {@code false} is reported on {@code err} in one line and the setting stays on (a measurement switch
     * must not stop a run).
     */
    static boolean wanted(String value, java.io.PrintStream err) {
        return Switches.on("brassboard.jit.rawPages", value,
                "translations access RAM pages unchecked where the JVM allows it", err);
    }

    /** True when translated loads and stores on RAM pages go without bounds checks in this JVM. */
    public static boolean available() {
        return UNSAFE != null;
    }
}
