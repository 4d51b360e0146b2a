package brassboard.boards.board;

import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the device tree a board hands its firmware from the board's description: the root,
 * {@code /chosen}, the memory node and the cores as QEMU's {@code create_fdt()} writes them, then
 * each present device's node(s), written by its catalogue entry, in file order (a device's
 * {@code parent} puts its node under the parent's). phandles are handed out from 0x8000 in file
 * order to the devices whose type needs one, as QEMU allocates its own (clock, GIC, v2m on virt).
 */
public final class DeviceTreeWriter {
    /** The first phandle given out. */
    static final int FIRST_PHANDLE = 0x8000;
    /** Interrupt specifier types and flags (GIC binding). */
    static final int GIC_SPI = 0;
    static final int GIC_PPI = 1;
    static final int IRQ_TYPE_LEVEL_HIGH = 4;
    /**
     * QEMU's FDT_MAX_SIZE: the blob QEMU hands firmware is this big, mostly free space that firmware
     * (U-Boot's {@code bootz}, {@code fdt resize}) grows the tree into in place.
     */
    public static final int QEMU_FDT_SIZE = 1 << 20;
    /**
     * The blob's size for an image that runs from RAM (a bare-metal program, which QEMU hands no tree
     * at all) and on boards with under 16 MiB of RAM: 64 KiB, the room below an image linked at
     * RAM base + 0x10000, where QEMU puts a kernel.
     */
    public static final int SMALL_FDT_SIZE = 64 << 10;

    private DeviceTreeWriter() {
    }

    /** What node writers see: the board, the run's shape, phandles, and the nodes written so far. */
    public static final class Context {
        private final BoardDescription board;
        private final int ncpus;
        private final Set<String> options;
        private final Map<String, Integer> phandles = new HashMap<>();
        private final Map<String, FdtNode> nodes = new HashMap<>();
        private final Map<String, DeviceSpec> byName;

        Context(BoardDescription board, int ncpus, Set<String> options) {
            this.board = board;
            this.ncpus = ncpus;
            this.options = options;
            this.byName = board.byName();
            int next = FIRST_PHANDLE;
            for (DeviceSpec d : board.allDevices()) {
                if (d.type().hasPhandle() && present(d)) {
                    phandles.put(d.name(), next++);
                }
            }
        }

        public BoardDescription board() {
            return board;
        }

        public int cpus() {
            return ncpus;
        }

        /** Whether the device is on the board in this run (its {@code when} option given, if it has one). */
        public boolean present(DeviceSpec d) {
            return d.when().map(options::contains).orElse(true);
        }

        public DeviceSpec device(String name) {
            return byName.get(name);
        }

        /** The phandle of device {@code name}. */
        public int phandle(String name) {
            Integer p = phandles.get(name);
            if (p == null) {
                throw new IllegalStateException("device " + name + " has no phandle");
            }
            return p;
        }

        /** Records {@code node} as {@code spec}'s (children and /chosen refer to it); returns it. */
        public FdtNode node(DeviceSpec spec, FdtNode node) {
            nodes.put(spec.name(), node);
            return node;
        }

        /** Device {@code name}'s node. */
        public FdtNode nodeOf(String name) {
            return nodes.get(name);
        }

        /**
         * The {@code interrupts} cells for these outputs of {@code spec}: type, number, flags per
         * output, level-high; a PPI's flags also carry the mask of cores it goes to (bits 15:8).
         */
        public int[] interrupts(DeviceSpec spec, String... outputs) {
            int[] cells = new int[outputs.length * 3];
            for (int i = 0; i < outputs.length; i++) {
                DeviceSpec.IrqTarget t = controllerInput(spec.irq(outputs[i]));
                cells[3 * i] = t.isPpi() ? GIC_PPI : GIC_SPI;
                cells[3 * i + 1] = t.first();
                cells[3 * i + 2] = t.isPpi() ? ppiFlags() : IRQ_TYPE_LEVEL_HIGH;
            }
            return cells;
        }

        /**
         * The interrupt controller's input {@code t} ends at: {@code t} itself, or, for a device's
         * input (a wired-OR combiner), where that device's output goes — the tree names the
         * controller's input, as the hardware's sharing is invisible to software.
         */
        DeviceSpec.IrqTarget controllerInput(DeviceSpec.IrqTarget t) {
            for (int hops = 0; t != null && t.device() != null && !t.isSpi() && !t.isPpi() && hops < byName.size(); hops++) {
                DeviceSpec via = byName.get(t.device());
                t = via.irqs().isEmpty() ? null : via.irqs().values().iterator().next();
            }
            return t;
        }

        /** Level-high with every core's bit in the GICv2 binding's CPU mask. */
        public int ppiFlags() {
            return (((1 << ncpus) - 1) << 8) | IRQ_TYPE_LEVEL_HIGH;
        }

        /** {@code reg} cells (two address and two size cells each) of {@code spec}'s windows, in order. */
        public static int[] reg(DeviceSpec.Region... regions) {
            int[] cells = new int[regions.length * 4];
            for (int i = 0; i < regions.length; i++) {
                cells[4 * i] = hi(regions[i].base());
                cells[4 * i + 1] = lo(regions[i].base());
                cells[4 * i + 2] = hi(regions[i].size());
                cells[4 * i + 3] = lo(regions[i].size());
            }
            return cells;
        }
    }

    /**
     * The tree of {@code board} for a machine with {@code ramBytes} of RAM and {@code ncpus} cores,
     * the command-line {@code options} given (which bring in the devices whose {@code when} names
     * them). {@code /chosen} carries QEMU's {@code kaslr-seed} (8 bytes) and {@code rng-seed} (32
     * bytes) — random on QEMU, here derived from the run's {@code seed} with SHA-256, so a run stays a
     * pure function of its inputs.
     */
    public static FdtNode tree(BoardDescription board, long ramBytes, int ncpus, long seed, Set<String> options) {
        Context dt = new Context(board, ncpus, options);
        FdtNode root = FdtNode.root()
                .prop("#address-cells", 2)
                .prop("#size-cells", 2)
                .prop("compatible", board.compatible().get(0), board.compatible().subList(1, board.compatible().size()).toArray(String[]::new))
                .prop("model", board.model());
        board.allDevices().stream().filter(d -> d.type().isInterruptController() && dt.present(d)).findFirst()
                .ifPresent(gic -> root.prop("interrupt-parent", dt.phandle(gic.name())));

        FdtNode chosen = root.child("chosen");
        if (board.stdout() != null) {
            chosen.prop("stdout-path", "/"); // set below, once the console's node exists
        }
        chosen.prop("kaslr-seed", seedBytes("kaslr-seed", seed, 8))
                .prop("rng-seed", seedBytes("rng-seed", seed, 32));

        long ramBase = board.ram().base();
        root.child("memory@" + Long.toHexString(ramBase))
                .prop("device_type", "memory")
                .propCells("reg", hi(ramBase), lo(ramBase), hi(ramBytes), lo(ramBytes));

        boolean psci = board.allDevices().stream().anyMatch(d -> d.type().name().equals("psci") && dt.present(d));
        FdtNode cpus = root.child("cpus").prop("#address-cells", 1).prop("#size-cells", 0);
        for (int i = 0; i < ncpus; i++) {
            FdtNode cpu = cpus.child("cpu@" + i)
                    .prop("device_type", "cpu")
                    .prop("compatible", BoardDescription.CPU_MODELS.get(board.cpuModel()))
                    .propCells("reg", i);
            if (ncpus > 1 && psci) {
                cpu.prop("enable-method", "psci"); // as QEMU's fdt_add_cpu_nodes for an SMP virt
            }
        }
        for (DeviceSpec d : board.allDevices()) {
            write(dt, root, d);
        }
        if (board.stdout() != null && dt.nodeOf(board.stdout()) != null) {
            chosen.prop("stdout-path", dt.nodeOf(board.stdout()).path());
        } else {
            chosen.remove("stdout-path");
        }
        return root;
    }

    /** Adds device {@code d}'s node(s) to {@code root} (under its parent's node when it has a parent). */
    static void write(Context dt, FdtNode root, DeviceSpec d) {
        if (!dt.present(d) || d.type().node().isEmpty()) {
            return;
        }
        FdtNode parent = d.parent() == null ? root : dt.nodeOf(d.parent());
        if (parent == null) {
            return; // the parent writes no node (a PCI device is found by probing)
        }
        d.type().node().get().write(dt, d, parent);
    }

    /**
     * Adds to an existing tree of {@code board} the nodes of the devices that {@code options} bring
     * in (those with a {@code when}), as a run with those options writes them.
     */
    public static void addOptional(FdtNode root, BoardDescription board, int ncpus, Set<String> options) {
        Context dt = new Context(board, ncpus, options);
        for (DeviceSpec d : board.allDevices()) {
            if (d.when().isPresent() || (d.parent() != null && dt.device(d.parent()).when().isPresent())) {
                write(dt, root, d);
            }
        }
    }

    /** {@code root} as a blob of {@code totalSize} bytes, the tree followed by free space. */
    public static byte[] blob(FdtNode root, int totalSize) {
        return Fdt.write(root, List.of(), 0, totalSize);
    }

    /** QEMU's blob size, or the small one on a board with under 16 MiB of RAM. */
    public static int firmwareBlobSize(long ramBytes) {
        return ramBytes >= (16L << 20) ? QEMU_FDT_SIZE : SMALL_FDT_SIZE;
    }

    /** {@code n} bytes for {@code /chosen/<what>}, a function of the run's seed alone. */
    static byte[] seedBytes(String what, long seed, int n) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("brassboard " + what + " " + seed).getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(sha.digest(), n);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** {@code kind@base}, as device nodes are named. */
    public static String nodeName(String kind, long base) {
        return kind + "@" + Long.toHexString(base);
    }

    static int hi(long v) {
        return (int) (v >>> 32);
    }

    static int lo(long v) {
        return (int) v;
    }
}
