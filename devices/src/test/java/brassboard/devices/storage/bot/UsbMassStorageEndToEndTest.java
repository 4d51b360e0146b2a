package brassboard.devices.storage.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.storage.bot.BulkOnlyTransport.ExcessPolicy;
import brassboard.devices.storage.bot.Csw.Status;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BOT -> SCSI -> ATA -> raw image file, end to end: Debian's mkfs.vfat and mtools make a FAT16
 * image holding a file; a host reads the file back through the bulk-only transport with the
 * commands U-Boot's usb_storage sends (INQUIRY, TEST UNIT READY, REQUEST SENSE, READ CAPACITY (10),
 * READ (10)), walking the FAT itself, and writes through the transport leave the image untouched.
 */
class UsbMassStorageEndToEndTest {
    @TempDir
    Path dir;

    private static Path tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (System.getenv("CI") != null) {
            fail(name + " not found: .ci/run must install dosfstools and mtools");
        }
        Assumptions.abort(name + " not installed (apt-get install dosfstools mtools); skipped outside CI");
        return null;
    }

    private static void run(Path dir, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    static byte[] read10(long lba, int blocks) {
        return new byte[] {0x28, 0, (byte) (lba >> 24), (byte) (lba >> 16), (byte) (lba >> 8), (byte) lba, 0,
                (byte) (blocks >> 8), (byte) blocks, 0};
    }

    /** Sectors read through the transport with READ (10), checking each CSW. */
    private static byte[] readSectors(TestHost host, long lba, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, 64); // 32 KiB per command, as U-Boot's EHCI path might
            TestHost.Outcome o = host.in(0, n * 512L, read10(lba + done, n));
            assertThat(o.csw()).isEqualTo(new Csw(host.lastTag(), 0, Status.COMMAND_PASSED));
            out.writeBytes(o.data());
            done += n;
        }
        return out.toByteArray();
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }

    @Test
    void fileOnAFatImageReadsBackThroughBotScsiAtaAndTheBackend() throws Exception {
        Path mkfs = tool("mkfs.vfat");
        Path mcopy = tool("mcopy");
        Path img = dir.resolve("fat16.img");
        run(dir, mkfs.toString(), "-F", "16", "-i", "B4A55B0A", "-n", "BRASSBOARD", "-C", img.toString(), "16384");
        byte[] content = new byte[70_000]; // several clusters, the last one partly used
        new Random(20260101).nextBytes(content);
        Path src = Files.write(dir.resolve("hello.bin"), content);
        run(dir, mcopy.toString(), "-i", img.toString(), src.toString(), "::HELLO.BIN");
        String imageHash = sha256(img);

        try (RawImageBackend backend = RawImageBackend.open(img)) {
            BulkOnlyTransport bot = new BulkOnlyTransport(new ScsiTarget(new ScsiDisk(new AtaDisk(backend))),
                    512, 0, ExcessPolicy.PAD);
            TestHost host = new TestHost(bot, 512);

            // What U-Boot's usb_stor_scan sends: Get Max LUN, INQUIRY, TEST UNIT READY until ready (with
            // REQUEST SENSE after a failure), READ CAPACITY (10).
            assertThat(bot.classRequest(0xA1, 0xFE, 0, 0, 1).data()).containsExactly(0);
            TestHost.Outcome inquiry = host.in(0, 36, new byte[] {0x12, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0});
            assertThat(new String(inquiry.data(), 8, 28, StandardCharsets.US_ASCII)).isEqualTo("QEMU    QEMU HARDDISK   2.5+");
            assertThat(host.in(0, 0, new byte[6]).csw().status()).isEqualTo(Status.COMMAND_FAILED);
            byte[] sense = host.in(0, 18, new byte[] {0x03, 0, 0, 0, 18, 0}).data();
            assertThat(sense[2]).isEqualTo((byte) 0x06);
            assertThat(sense[12]).isEqualTo((byte) 0x29);
            assertThat(host.in(0, 0, new byte[6]).csw().status()).isEqualTo(Status.COMMAND_PASSED);
            byte[] capacity = host.in(0, 8, new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}).data();
            assertThat(capacity).containsExactly(0, 0, 0x7F, (byte) 0xFF, 0, 0, 2, 0); // 16 MiB: last LBA 32767

            // Walk FAT16 through the transport: boot sector, root directory, FAT, clusters.
            byte[] boot = readSectors(host, 0, 1);
            assertThat(u16(boot, 510)).isEqualTo(0xAA55);
            assertThat(new String(boot, 54, 8, StandardCharsets.US_ASCII)).isEqualTo("FAT16   ");
            int bytesPerSector = u16(boot, 11);
            int sectorsPerCluster = boot[13] & 0xFF;
            int reserved = u16(boot, 14);
            int fats = boot[16] & 0xFF;
            int rootEntries = u16(boot, 17);
            int fatSectors = u16(boot, 22);
            assertThat(bytesPerSector).isEqualTo(512);
            long rootStart = reserved + (long) fats * fatSectors;
            int rootSectors = (rootEntries * 32 + 511) / 512;
            long dataStart = rootStart + rootSectors;

            byte[] root = readSectors(host, rootStart, rootSectors);
            int entry = -1;
            for (int at = 0; at < root.length; at += 32) {
                if (new String(root, at, 11, StandardCharsets.US_ASCII).equals("HELLO   BIN")) {
                    entry = at;
                    break;
                }
            }
            assertThat(entry).as("HELLO.BIN in the root directory").isNotNegative();
            int cluster = u16(root, entry + 26);
            long size = u32(root, entry + 28);
            assertThat(size).isEqualTo(content.length);

            byte[] fat = readSectors(host, reserved, fatSectors);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            int clusters = 0;
            while (cluster >= 2 && cluster < 0xFFF8) {
                file.writeBytes(readSectors(host, dataStart + (long) (cluster - 2) * sectorsPerCluster, sectorsPerCluster));
                cluster = u16(fat, cluster * 2);
                clusters++;
            }
            assertThat(clusters).isGreaterThan(1);
            byte[] read = java.util.Arrays.copyOf(file.toByteArray(), (int) size);
            assertThat(read).isEqualTo(content);

            // A write through the transport lands in the copy-on-write overlay: readable back, image untouched.
            byte[] junk = new byte[1024];
            java.util.Arrays.fill(junk, (byte) 0xE5);
            TestHost.Outcome w = host.out(0, 1024, junk, new byte[] {0x2A, 0, 0, 0, 0, 0, 0, 0, 2, 0});
            assertThat(w.csw().status()).isEqualTo(Status.COMMAND_PASSED);
            assertThat(readSectors(host, 0, 2)).isEqualTo(junk);
            assertThat(host.in(0, 0, new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}).csw().status()).isEqualTo(Status.COMMAND_PASSED);
        }
        assertThat(sha256(img)).as("the image file after a copy-on-write run").isEqualTo(imageHash);
    }
}
