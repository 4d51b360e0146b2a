package brassboard.firmware.fit;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.api.Segment;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds a FIT as U-Boot's {@code doc/usage/fit/source_file_format.rst} lays it out: {@code
 * /images/kernel-1}, {@code fdt-1}, {@code ramdisk-1}, each with {@code description}, {@code data},
 * {@code type}, {@code arch}, {@code os}, {@code compression}, {@code load}/{@code entry} where they
 * apply and a {@code hash-1} node ({@code algo = "sha256"}, {@code value}); and {@code
 * /configurations} with {@code default = "conf-1"} and {@code conf-1} naming the images. The same
 * inputs give the same bytes: the root's {@code timestamp} (which U-Boot's host tools and any
 * U-Boot built with {@code CMD_DATE} require) is the one given, 0 by default, never the clock.
 */
public final class FitBuilder {
    /** The largest ELF kernel {@link Spec#elfKernel} flattens. */
    static final long MAX_KERNEL = 256L << 20;
    /** The hash every image gets. */
    public static final String HASH_ALGO = "sha256";

    /**
     * What goes into the FIT.
     *
     * @param kernel      the kernel's bytes, stored as they are
     * @param dtb         a device-tree blob for the kernel
     * @param ramdisk     an initial ramdisk
     * @param arch        U-Boot's architecture name ({@code arm})
     * @param os          U-Boot's OS name ({@code linux})
     * @param load        where U-Boot copies the kernel; without it, U-Boot runs it in place
     * @param entry       where U-Boot jumps; defaults to {@code load}
     * @param compression the kernel's compression as U-Boot names it ({@code none})
     * @param description the FIT's description
     * @param timestamp   seconds since 1970 for the root's {@code timestamp}
     * @param compatible  the configuration's {@code compatible}: a U-Boot built with {@code
     *                    FIT_BEST_MATCH} (Debian's {@code qemu_arm} is) boots, for {@code bootm ADDR},
     *                    the configuration whose {@code compatible} (else its fdt's root {@code
     *                    compatible}) matches its control DTB's, such as {@code linux,dummy-virt}
     */
    public record Spec(byte[] kernel, Optional<byte[]> dtb, Optional<byte[]> ramdisk, String arch, String os,
                       OptionalLong load, OptionalLong entry, String compression, String description, long timestamp,
                       Optional<String> compatible) {
        public Spec {
            if (timestamp < 0 || timestamp > 0xffff_ffffL) {
                throw new IllegalArgumentException("timestamp " + timestamp + ": expected 0..4294967295 (a 32-bit time)");
            }
            for (OptionalLong a : List.of(load, entry)) {
                if (a.isPresent() && (a.getAsLong() < 0 || a.getAsLong() > 0xffff_ffffL)) {
                    throw new IllegalArgumentException("address 0x" + Long.toHexString(a.getAsLong())
                            + " does not fit in 32 bits (the FIT has #address-cells = <1>)");
                }
            }
        }

        /** A kernel alone, for {@code arm}/{@code linux}, uncompressed, loaded and entered at {@code load}. */
        public static Spec kernel(byte[] kernel, long load) {
            return new Spec(kernel, Optional.empty(), Optional.empty(), "arm", "linux", OptionalLong.of(load),
                    OptionalLong.of(load), "none", "Brassboard FIT", 0, Optional.empty());
        }

        /**
         * An ELF kernel, stored as its loadable bytes from its lowest to its highest address (gaps
         * zeroed, {@code .bss} left for the kernel to clear), loaded there and entered at the ELF's
         * entry point.
         */
        public static Spec elfKernel(LoadedImage elf) throws ImageException {
            long low = Long.MAX_VALUE;
            long high = Long.MIN_VALUE;
            for (Segment s : elf.segments()) {
                if (s.data().length > 0) {
                    low = Math.min(low, s.address());
                    high = Math.max(high, s.address() + s.data().length);
                }
            }
            if (low == Long.MAX_VALUE) {
                throw new ImageException(elf.source() + ": the ELF has no loadable bytes");
            }
            if (high - low > MAX_KERNEL || high > 0x1_0000_0000L) {
                throw new ImageException(elf.source() + ": the ELF's segments span [0x" + Long.toHexString(low) + ", 0x"
                        + Long.toHexString(high) + "); expected a 32-bit kernel under 256 MiB");
            }
            byte[] out = new byte[(int) (high - low)];
            for (Segment s : elf.segments()) {
                if (s.data().length == 0) {
                    continue; // .bss and stacks: U-Boot copies bytes, the kernel clears its own
                }
                System.arraycopy(s.data(), 0, out, (int) (s.address() - low), s.data().length);
            }
            return new Spec(out, Optional.empty(), Optional.empty(), "arm", "linux", OptionalLong.of(low),
                    OptionalLong.of(elf.entry()), "none", "Brassboard FIT", 0, Optional.empty());
        }

        public Spec withDtb(byte[] blob) {
            return new Spec(kernel, Optional.of(blob), ramdisk, arch, os, load, entry, compression, description, timestamp,
                    compatible);
        }

        public Spec withRamdisk(byte[] data) {
            return new Spec(kernel, dtb, Optional.of(data), arch, os, load, entry, compression, description, timestamp,
                    compatible);
        }

        public Spec withCompatible(String value) {
            return new Spec(kernel, dtb, ramdisk, arch, os, load, entry, compression, description, timestamp,
                    Optional.of(value));
        }
    }

    private FitBuilder() {
    }

    /** The FIT's tree. */
    public static FdtNode tree(Spec spec) {
        FdtNode root = FdtNode.root()
                .prop("description", spec.description())
                .propCells("timestamp", spec.timestamp())
                .prop("#address-cells", 1);
        FdtNode images = root.child("images");
        FdtNode kernel = image(images, "kernel-1", "Kernel", spec.kernel(), "kernel", spec.arch())
                .prop("os", spec.os())
                .prop("compression", spec.compression());
        spec.load().ifPresent(a -> kernel.propCells("load", a));
        OptionalLong entry = spec.entry().isPresent() ? spec.entry() : spec.load();
        entry.ifPresent(a -> kernel.propCells("entry", a));
        hash(kernel, spec.kernel());
        spec.dtb().ifPresent(d -> hash(image(images, "fdt-1", "Flattened device tree", d, "flat_dt", spec.arch())
                .prop("compression", "none"), d));
        spec.ramdisk().ifPresent(r -> hash(image(images, "ramdisk-1", "Ramdisk", r, "ramdisk", spec.arch())
                .prop("os", spec.os())
                .prop("compression", "none"), r));

        FdtNode configurations = root.child("configurations").prop("default", "conf-1");
        FdtNode conf = configurations.child("conf-1").prop("description", spec.description())
                .prop("kernel", "kernel-1");
        spec.compatible().ifPresent(c -> conf.prop("compatible", c));
        spec.dtb().ifPresent(d -> conf.prop("fdt", "fdt-1"));
        spec.ramdisk().ifPresent(r -> conf.prop("ramdisk", "ramdisk-1"));
        return root;
    }

    /** The FIT as a blob. */
    public static byte[] build(Spec spec) {
        return Fdt.write(tree(spec), List.of(), 0);
    }

    private static FdtNode image(FdtNode images, String name, String description, byte[] data, String type, String arch) {
        return images.child(name)
                .prop("description", description)
                .prop("data", data)
                .prop("type", type)
                .prop("arch", arch);
    }

    private static void hash(FdtNode image, byte[] data) {
        image.child("hash-1")
                .prop("algo", HASH_ALGO)
                .prop("value", FitAlgorithms.hash(HASH_ALGO, data).orElseThrow());
    }
}
