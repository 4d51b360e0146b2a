package brassboard.boards.board;

import brassboard.boards.api.KernelBoot;
import brassboard.firmware.api.Hex;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.api.Segment;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtBlob;
import brassboard.firmware.fdt.FdtException;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.linux.KernelImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a Linux boot puts things in RAM, as QEMU's {@code arm_setup_direct_kernel_boot} does for a
 * 32-bit guest: the kernel where {@link KernelImage} says; the initrd at RAM base + min(RAM / 2,
 * 128 MiB), or after the kernel if that is higher, page-aligned; the device tree at the next 4 KiB
 * boundary after the initrd. The CPU then enters the kernel with r0 = 0, r1 = ~0 (no machine type:
 * a device tree boot) and r2 = the tree's address, in SVC mode with interrupts masked, MMU off.
 *
 * <p>The tree is the board's own with {@code /chosen} completed: {@code bootargs} (the command line),
 * {@code linux,initrd-start} and {@code -end} (cells as wide as the root's {@code #address-cells}),
 * besides {@code stdout-path}, {@code kaslr-seed} and {@code rng-seed}. With {@code --dtb} it is the
 * user's, with its memory node's {@code reg} set to the board's RAM and the same {@code /chosen}
 * properties, padded as QEMU pads a loaded tree.
 */
final class LinuxBoot {
    /** The largest initrd or DTB offset into RAM QEMU uses for the initrd: 128 MiB. */
    private static final long INITRD_MAX_OFFSET = 128L << 20;
    private static final long PAGE = 4096;

    private final LoadedImage image;
    private final byte[] dtb;
    private final long dtbAddress;

    private LinuxBoot(LoadedImage image, byte[] dtb, long dtbAddress) {
        this.image = image;
        this.dtb = dtb;
        this.dtbAddress = dtbAddress;
    }

    /** The kernel (and initrd) as segments; the entry is the kernel's. */
    LoadedImage image() {
        return image;
    }

    byte[] dtb() {
        return dtb;
    }

    long dtbAddress() {
        return dtbAddress;
    }

    static LinuxBoot prepare(Path kernelFile, KernelBoot boot, FdtNode boardTree, long ramBase, long ramBytes) throws ImageException {
        long ramEnd = ramBase + ramBytes;
        KernelImage kernel = KernelImage.load(kernelFile, ramBase);
        long kernelEnd = kernel.loadAddress() + kernel.data().length;
        if (kernel.loadAddress() < ramBase || kernelEnd > ramEnd) {
            throw new ImageException("--kernel " + kernelFile + ": the " + kernel.format() + " of " + kernel.data().length
                    + " bytes at " + Hex.addr(kernel.loadAddress()) + " does not fit in RAM " + Hex.range(ramBase, ramEnd - 1)
                    + "; give the machine more --ram");
        }
        String append = boot.append().orElse("");
        if (append.length() >= KernelBoot.COMMAND_LINE_SIZE) {
            throw new ImageException("--append: the command line is " + append.length() + " characters; the kernel takes at most "
                    + (KernelBoot.COMMAND_LINE_SIZE - 1) + " (ARM's COMMAND_LINE_SIZE)");
        }
        List<Segment> segments = new ArrayList<>();
        segments.add(new Segment(kernel.loadAddress(), kernel.data(), kernel.data().length));

        long initrdStart = alignUp(Math.max(ramBase + Math.min(ramBytes / 2, INITRD_MAX_OFFSET), kernelEnd), PAGE);
        long initrdSize = 0;
        if (boot.initrd().isPresent()) {
            Path file = boot.initrd().get();
            byte[] initrd = KernelImage.loadInitrd(file);
            initrdSize = initrd.length;
            if (initrdStart + initrdSize > ramEnd) {
                throw new ImageException("--initrd " + file + ": " + initrdSize + " bytes do not fit in RAM after the kernel ("
                        + Hex.addr(initrdStart) + " to the end of RAM at " + Hex.addr(ramEnd) + " holds " + Math.max(0, ramEnd - initrdStart)
                        + "); give the machine more --ram");
            }
            segments.add(new Segment(initrdStart, initrd, initrd.length));
        }

        FdtNode root;
        int padTo;
        List<long[]> reserve = List.of();
        if (boot.dtb().isPresent()) {
            Path file = boot.dtb().get();
            byte[] bytes = readDtb(file);
            FdtBlob blob;
            try {
                blob = Fdt.readBlob(bytes);
            } catch (FdtException e) {
                throw new ImageException("--dtb " + file + ": not a valid device tree blob: " + e.getMessage());
            }
            root = blob.root();
            reserve = blob.memReserve();
            setMemory(root, ramBase, ramBytes);
            padTo = (bytes.length + 10_000) * 2; // QEMU's load_device_tree leaves this much room to edit in
        } else {
            root = boardTree;
            padTo = 0;
        }
        int addressCells = cells(root, "#address-cells", 2);
        FdtNode chosen = root.child("chosen");
        if (!append.isEmpty()) {
            chosen.prop("bootargs", append);
        }
        if (boot.initrd().isPresent()) {
            chosen.prop("linux,initrd-start", sized(initrdStart, addressCells));
            chosen.prop("linux,initrd-end", sized(initrdStart + initrdSize, addressCells));
        }
        byte[] dtb = padTo == 0 ? DeviceTreeWriter.blob(root, DeviceTreeWriter.firmwareBlobSize(ramBytes)) : Fdt.write(root, reserve, 0, padTo);
        long dtbAddress = alignUp(initrdStart + initrdSize, PAGE);
        if (dtbAddress + dtb.length > ramEnd) {
            throw new ImageException("--kernel " + kernelFile + ": no room for the " + dtb.length + "-byte device tree after the kernel"
                    + (boot.initrd().isPresent() ? " and initrd" : "") + " (it would end at " + Hex.addr(dtbAddress + dtb.length)
                    + ", RAM ends at " + Hex.addr(ramEnd) + "); give the machine more --ram");
        }
        LoadedImage image = new LoadedImage(kernelFile, kernel.format().name().toLowerCase(java.util.Locale.ROOT), kernel.entry(), segments, Map.of());
        return new LinuxBoot(image, dtb, dtbAddress);
    }

    private static byte[] readDtb(Path file) throws ImageException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImageException("--dtb " + file + ": is a directory, expected a device tree blob");
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ImageException("--dtb " + file + ": no such file, expected a device tree blob", e);
        } catch (IOException e) {
            throw new ImageException("--dtb " + file + ": cannot read the device tree blob (" + e.getMessage() + ")", e);
        }
    }

    /** Points every memory node at the board's RAM (QEMU rewrites {@code /memory/reg} of a loaded tree), or adds one. */
    private static void setMemory(FdtNode root, long base, long size) {
        int ac = cells(root, "#address-cells", 2);
        int sc = cells(root, "#size-cells", 1);
        boolean found = false;
        for (FdtNode n : root.children()) {
            boolean memory = n.property("device_type").map(p -> "memory".equals(p.asString())).orElse(false);
            if (memory) {
                n.prop("reg", concat(sized(base, ac), sized(size, sc)));
                found = true;
            }
        }
        if (!found) {
            root.child("memory@" + Long.toHexString(base)).prop("device_type", "memory").prop("reg", concat(sized(base, ac), sized(size, sc)));
        }
    }

    private static int cells(FdtNode node, String name, int fallback) {
        return node.property(name).map(p -> (int) p.asU32()).orElse(fallback);
    }

    /** {@code value} as {@code cells} big-endian 32-bit cells. */
    private static byte[] sized(long value, int cells) {
        byte[] b = new byte[cells * 4];
        for (int i = 0; i < cells; i++) {
            long word = cells - 1 - i >= 2 ? 0 : (value >>> (32 * (cells - 1 - i)));
            int at = i * 4;
            b[at] = (byte) (word >>> 24);
            b[at + 1] = (byte) (word >>> 16);
            b[at + 2] = (byte) (word >>> 8);
            b[at + 3] = (byte) word;
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
