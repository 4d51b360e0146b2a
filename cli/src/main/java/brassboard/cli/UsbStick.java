package brassboard.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The disk image {@code bench --uboot --usb} loads from: a FAT16 file system (no partition table)
 * made by Debian's {@code mkfs.vfat}, holding {@link UbootBench#USB_FILE} of seeded random bytes put
 * there by {@code mcopy}. The same seed every time, so U-Boot's {@code crc32} of it is known.
 */
final class UsbStick {
    /** The image's size: room for the file and the FAT. */
    static final long IMAGE_KIB = 24 << 10;
    private static final long SEED = 20261207L;

    private UsbStick() {
    }

    /** The file's bytes. */
    static byte[] content() {
        byte[] b = new byte[UbootBench.USB_FILE_BYTES];
        new Random(SEED).nextBytes(b);
        return b;
    }

    /** The line U-Boot's {@code crc32 ${loadaddr} ${filesize}} prints for the file at 0x40200000. */
    static String crcLine() {
        CRC32 crc = new CRC32();
        crc.update(content());
        return String.format("crc32 for 40200000 ... %08x ==> %08x", 0x40200000L + UbootBench.USB_FILE_BYTES - 1, crc.getValue());
    }

    /**
     * Makes the image in {@code dir}.
     *
     * @throws IOException one line: a tool missing or failing
     */
    static Path make(Path dir) throws IOException, InterruptedException {
        Path mkfs = BenchCommand.findOnPath("mkfs.vfat").orElseThrow(() -> new IOException("mkfs.vfat not found: the USB bench makes its FAT image with "
                + "Debian's dosfstools and mtools (apt-get install dosfstools mtools)"));
        Path mcopy = BenchCommand.findOnPath("mcopy").orElseThrow(() -> new IOException("mcopy not found: the USB bench makes its FAT image with "
                + "Debian's dosfstools and mtools (apt-get install dosfstools mtools)"));
        Path image = dir.resolve("stick.img");
        Path file = Files.write(dir.resolve("big.bin"), content());
        run(mkfs.toString(), "-F", "16", "-i", "B4A55B0A", "-n", "BENCH", "-C", image.toString(), String.valueOf(IMAGE_KIB));
        run(mcopy.toString(), "-i", image.toString(), file.toString(), "::" + UbootBench.USB_FILE);
        Files.delete(file);
        return image;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(command[0] + " failed: " + Main.oneLine(out));
        }
    }
}
