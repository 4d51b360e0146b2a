package brassboard.bus.api;

/** Bus master ids: CPUs are 0..63, DMA engines from {@link #DMA_BASE}. Debug/loader accesses use {@link #DEBUG}. */
public final class Masters {
    /** First id given to DMA-capable devices (EHCI, PCIe endpoints). */
    public static final int DMA_BASE = 64;
    /** The debugger / image loader: not a real master, never subject to fault rules. */
    public static final int DEBUG = -1;

    private Masters() {
    }

    /** The id of CPU core {@code n}. */
    public static int cpu(int n) {
        return n;
    }

    /** A readable name for a master id: {@code cpu0}, {@code dma2}, {@code debug}. */
    public static String name(int master) {
        if (master == DEBUG) {
            return "debug";
        }
        return master < DMA_BASE ? "cpu" + master : "dma" + (master - DMA_BASE);
    }
}
