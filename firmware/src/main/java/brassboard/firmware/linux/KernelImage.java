package brassboard.firmware.linux;

import brassboard.firmware.api.Hex;
import brassboard.firmware.api.ImageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/**
 * A 32-bit ARM Linux kernel as {@code --kernel} takes it, and where it goes in RAM (the ARM Linux
 * boot protocol, Documentation/arm/booting.rst, as QEMU's {@code hw/arm/boot.c} applies it):
 *
 * <ul>
 *   <li><b>zImage</b> (magic 0x016f2818 at offset 0x24): loaded at RAM base + 0x10000 and entered
 *       there, as QEMU's KERNEL_LOAD_ADDR; the decompressor moves the kernel where it wants it.</li>
 *   <li><b>uImage</b> (U-Boot legacy image, magic 0x27051956; header and data CRC-32 checked; ARM,
 *       Linux, type kernel or kernel_noload, uncompressed or gzip): loaded at the header's load
 *       address and entered at its entry point; a kernel_noload image at RAM base + 32 MiB
 *       (QEMU's KERNEL_NOLOAD_ADDR), entry relative to its data.</li>
 *   <li><b>Image</b> (uncompressed, no header): at RAM base + 0x8000 (TEXT_OFFSET). Here Brassboard
 *       differs from QEMU, which loads any headerless file at + 0x10000, where an uncompressed kernel
 *       cannot start (its physical-to-virtual offset must be 16 MiB-aligned, so stext must sit at
 *       a 16 MiB boundary + 0x8000). Recognised by its first word being an always-executed A32
 *       instruction, as every ARM kernel's stext is.</li>
 * </ul>
 */
public record KernelImage(Path source, Format format, byte[] data, long loadAddress, long entry) {
    /** The kernel formats {@code --kernel} takes. */
    public enum Format { ZIMAGE, UIMAGE, IMAGE }

    /** zImage: magic word at 0x24 (arch/arm/boot/compressed/head.S), and the endianness marker at 0x30. */
    static final int ZIMAGE_MAGIC = 0x016F2818;
    static final int ZIMAGE_LE = 0x04030201;
    /** Where QEMU loads a zImage or other headerless kernel: RAM base + KERNEL_LOAD_ADDR. */
    public static final long ZIMAGE_OFFSET = 0x10000;
    /** TEXT_OFFSET of an ARM kernel: an uncompressed Image runs from RAM base + 0x8000. */
    public static final long IMAGE_OFFSET = 0x8000;
    /** QEMU's KERNEL_NOLOAD_ADDR: where a uImage of type kernel_noload goes. */
    public static final long NOLOAD_OFFSET = 0x0200_0000;
    /** The largest kernel read: 256 MiB. */
    static final long MAX_SIZE = 256L << 20;

    /** Reads {@code file} as a kernel for a board whose RAM starts at {@code ramBase}. */
    public static KernelImage load(Path file, long ramBase) throws ImageException {
        byte[] bytes = read(file, "--kernel", "kernel image (zImage, Image or uImage)");
        return parse(file, bytes, ramBase);
    }

    /** Like {@link #load} for bytes already read; {@code file} names them in messages. */
    public static KernelImage parse(Path file, byte[] bytes, long ramBase) throws ImageException {
        String name = "--kernel " + file;
        if (bytes.length < 64) {
            throw new ImageException(name + ": " + bytes.length + " bytes is too short for a kernel; expected a zImage, Image or uImage");
        }
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (le.getInt(0x24) == ZIMAGE_MAGIC) {
            if (le.getInt(0x30) != ZIMAGE_LE && Integer.reverseBytes(le.getInt(0x30)) == ZIMAGE_LE) {
                throw new ImageException(name + ": is a big-endian zImage; the virt board boots little-endian kernels");
            }
            long at = ramBase + ZIMAGE_OFFSET;
            return new KernelImage(file, Format.ZIMAGE, bytes, at, at);
        }
        if (UImage.hasMagic(bytes)) {
            UImage u = UImage.parse(name, bytes);
            if (u.type() != UImage.TYPE_KERNEL && u.type() != UImage.TYPE_KERNEL_NOLOAD) {
                throw new ImageException(name + ": is a uImage of type " + u.type() + " (" + u.typeName()
                        + "); expected a kernel (type 2) or kernel_noload (type 14)");
            }
            if (u.os() != UImage.OS_LINUX) {
                throw new ImageException(name + ": is a uImage for OS " + u.os() + "; expected Linux (5)");
            }
            if (u.type() == UImage.TYPE_KERNEL_NOLOAD) {
                long at = ramBase + NOLOAD_OFFSET;
                return new KernelImage(file, Format.UIMAGE, u.payload(), at, at + u.entry());
            }
            return new KernelImage(file, Format.UIMAGE, u.payload(), u.load(), u.entry());
        }
        String other = knownOther(bytes);
        if (other != null) {
            throw new ImageException(name + ": is " + other + ", not a kernel; expected a zImage (magic 0x016f2818 at 0x24), a uImage or an uncompressed Image");
        }
        int first = le.getInt(0);
        if ((first >>> 28) != 0xE) {
            throw new ImageException(name + ": not a zImage (no magic 0x016f2818 at offset 0x24), not a uImage (no magic 0x27051956)"
                    + " and not an uncompressed Image (its first word " + word(first) + " is not an always-executed A32 instruction)");
        }
        long at = ramBase + IMAGE_OFFSET;
        return new KernelImage(file, Format.IMAGE, bytes, at, at);
    }

    /** An initial ramdisk: the file as it is (a cpio archive, compressed or not), or the data of a uImage ramdisk. */
    public static byte[] loadInitrd(Path file) throws ImageException {
        byte[] bytes = read(file, "--initrd", "initial ramdisk");
        if (bytes.length == 0) {
            throw new ImageException("--initrd " + file + ": empty file; expected an initial ramdisk (a cpio archive, possibly compressed)");
        }
        if (UImage.hasMagic(bytes)) {
            UImage u = UImage.parse("--initrd " + file, bytes);
            if (u.type() != UImage.TYPE_RAMDISK) {
                throw new ImageException("--initrd " + file + ": is a uImage of type " + u.type() + " (" + u.typeName() + "); expected a ramdisk (type 3)");
            }
            return u.payload();
        }
        return bytes;
    }

    /** Names well-known non-kernel formats by their magic, so the message says what the file is. */
    private static String knownOther(byte[] b) {
        int be = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (be == 0x7F454C46) {
            return "an ELF file (a vmlinux? run an ELF as IMAGE, or boot the kernel's zImage)";
        }
        if (be == 0xD00DFEED) {
            return "a device tree blob (give it with --dtb)";
        }
        if ((be >>> 16) == 0x1F8B) {
            return "gzip data";
        }
        if (be == 0xFD377A58) {
            return "xz data";
        }
        if (new String(b, 0, 6, java.nio.charset.StandardCharsets.US_ASCII).startsWith("07070")) {
            return "a cpio archive (an initramfs? give it with --initrd)";
        }
        return null;
    }

    static byte[] read(Path file, String flag, String what) throws ImageException {
        try {
            if (Files.isDirectory(file)) {
                throw new ImageException(flag + " " + file + ": is a directory, expected a " + what + " file");
            }
            long size = Files.size(file);
            if (size > MAX_SIZE) {
                throw new ImageException(flag + " " + file + ": file is " + Hex.num(size) + " bytes, expected a " + what + " of at most 256 MiB");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageException(flag + " " + file + ": no such file, expected a " + what, e);
        } catch (AccessDeniedException e) {
            throw new ImageException(flag + " " + file + ": permission denied, cannot read the " + what, e);
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ImageException(flag + " " + file + ": cannot read the " + what + " (" + why + ")", e);
        }
    }

    /**
     * A U-Boot legacy image (U-Boot include/image.h: a 64-byte big-endian header, then the data).
     * Header CRC-32 over the header with its CRC field zeroed; data CRC-32 over the data.
     */
    record UImage(int os, int arch, int type, int comp, long load, long entry, byte[] payload) {
        static final int MAGIC = 0x27051956;
        static final int HEADER = 64;
        static final int OS_LINUX = 5;
        static final int ARCH_ARM = 2;
        static final int TYPE_KERNEL = 2;
        static final int TYPE_RAMDISK = 3;
        static final int TYPE_KERNEL_NOLOAD = 14;
        static final int COMP_NONE = 0;
        static final int COMP_GZIP = 1;

        static boolean hasMagic(byte[] b) {
            return b.length >= 4 && ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).getInt(0) == MAGIC;
        }

        String typeName() {
            return switch (type) {
                case 1 -> "standalone";
                case 2 -> "kernel";
                case 3 -> "ramdisk";
                case 4 -> "multi";
                case 5 -> "firmware";
                case 6 -> "script";
                case 8 -> "flat_dt";
                case 14 -> "kernel_noload";
                default -> "unknown";
            };
        }

        static UImage parse(String name, byte[] b) throws ImageException {
            if (b.length < HEADER) {
                throw new ImageException(name + ": uImage of " + b.length + " bytes is shorter than its 64-byte header");
            }
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
            long hcrc = h.getInt(4) & 0xFFFF_FFFFL;
            byte[] header = java.util.Arrays.copyOf(b, HEADER);
            java.util.Arrays.fill(header, 4, 8, (byte) 0);
            if (crc(header, 0, HEADER) != hcrc) {
                throw new ImageException(name + ": uImage header CRC-32 is " + word((int) crc(header, 0, HEADER))
                        + ", the header says " + word((int) hcrc) + "; the header is corrupt");
            }
            long size = h.getInt(12) & 0xFFFF_FFFFL;
            if (HEADER + size > b.length) {
                throw new ImageException(name + ": uImage header says " + size + " data bytes but the file holds " + (b.length - HEADER));
            }
            long dcrc = h.getInt(24) & 0xFFFF_FFFFL;
            if (crc(b, HEADER, (int) size) != dcrc) {
                throw new ImageException(name + ": uImage data CRC-32 does not match its header (" + word((int) dcrc) + "); the image is corrupt");
            }
            int os = b[28] & 0xFF;
            int arch = b[29] & 0xFF;
            int type = b[30] & 0xFF;
            int comp = b[31] & 0xFF;
            if (arch != ARCH_ARM) {
                throw new ImageException(name + ": uImage for architecture " + arch + "; expected ARM (2)");
            }
            byte[] data = java.util.Arrays.copyOfRange(b, HEADER, HEADER + (int) size);
            if (comp == COMP_GZIP) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
                    data = in.readNBytes((int) MAX_SIZE);
                } catch (IOException e) {
                    throw new ImageException(name + ": uImage gzip data does not decompress (" + e.getMessage() + ")");
                }
            } else if (comp != COMP_NONE) {
                throw new ImageException(name + ": uImage compression " + comp + " is not supported; expected none (0) or gzip (1)");
            }
            return new UImage(os, arch, type, comp, h.getInt(16) & 0xFFFF_FFFFL, h.getInt(20) & 0xFFFF_FFFFL, data);
        }

        private static long crc(byte[] b, int off, int len) {
            CRC32 c = new CRC32();
            c.update(b, off, len);
            return c.getValue();
        }
    }

    private static String word(int v) {
        return String.format("0x%08x", v);
    }

    @Override
    public String toString() {
        return format + " " + source + " (" + data.length + " bytes at " + Hex.addr(loadAddress) + ", entry " + Hex.addr(entry) + ")";
    }
}
