package brassboard.devices.storage.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import brassboard.devices.storage.ata.AtaDisk;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.storage.scsi.ScsiDisk;
import brassboard.devices.storage.scsi.ScsiTarget;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU as the oracle: Debian's U-Boot on {@code qemu-system-arm -M virt} with QEMU's usb-storage
 * on EHCI prints the stick's identity and capacity while its boot script scans USB; the same lines,
 * built the way U-Boot's {@code dev_print} builds them from the INQUIRY and READ CAPACITY (10) data
 * this stack returns over the bulk-only transport, must match character for character.
 *
 * <p>In the {@code thirdparty} group (needs {@code firmware/third-party/fetch.sh}'s U-Boot,
 * qemu-system-arm and mkfs.vfat): skipped without them, failing under {@code CI}.
 */
@Tag("thirdparty")
class UbootQemuUsbStorageOracleTest {
    private static final Pattern DEVICE = Pattern.compile("Device 0: (Vendor: .*)");
    private static final Pattern TYPE = Pattern.compile("^\\s+(Type: .*)$", Pattern.MULTILINE);
    private static final Pattern CAPACITY = Pattern.compile("^\\s+(Capacity: .*)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private static Path need(Path p, String what) {
        if (p != null && Files.isRegularFile(p)) {
            return p;
        }
        String message = what + " is missing";
        if (System.getenv("CI") != null) {
            fail(message);
        }
        Assumptions.abort(message + "; skipped outside CI");
        return null;
    }

    private static Path onPath(String name, String... extra) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        dirs.addAll(List.of(extra));
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** U-Boot's output under QEMU up to its prompt after the boot script gave up (USB scanned by then). */
    private static String qemuUboot(Path qemu, Path uboot, Path image) throws Exception {
        Process p = new ProcessBuilder(qemu.toString(), "-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-smp", "1",
                "-bios", uboot.toAbsolutePath().toString(), "-nographic", "-nic", "none",
                "-device", "usb-ehci,id=ehci",
                "-drive", "if=none,id=stick,format=raw,snapshot=on,file=" + image.toAbsolutePath(),
                "-device", "usb-storage,bus=ehci.0,drive=stick")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                for (int b; (b = in.read()) >= 0; ) {
                    synchronized (log) {
                        log.write(b);
                    }
                }
            } catch (java.io.IOException e) {
                // QEMU went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String text = "";
        while (System.nanoTime() < deadline) {
            synchronized (log) {
                text = log.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
            }
            if (CAPACITY.matcher(text).find() && text.endsWith("=> ")) {
                break;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in:\n%s", pattern, text).isTrue();
        return m.group(1);
    }

    @Test
    void ubootPrintsTheSameStickUnderQemuAsThisStackDescribes() throws Exception {
        Path uboot = need(Path.of("..", "firmware", "third-party", "cache", "u-boot.bin"),
                "firmware/third-party/cache/u-boot.bin (run `bash firmware/third-party/fetch.sh`)");
        Path qemu = need(onPath("qemu-system-arm"), "qemu-system-arm (apt-get install qemu-system-arm)");
        Path mkfs = need(onPath("mkfs.vfat", "/usr/sbin", "/sbin"), "mkfs.vfat (apt-get install dosfstools)");
        Path image = dir.resolve("stick.img");
        Process mk = new ProcessBuilder(mkfs.toString(), "-F", "16", "-C", image.toString(), "16384")
                .redirectErrorStream(true).start();
        mk.getInputStream().readAllBytes();
        assertThat(mk.waitFor()).isZero();

        String out = qemuUboot(qemu, uboot, image);

        BulkOnlyTransport bot = new BulkOnlyTransport(
                new ScsiTarget(new ScsiDisk(new AtaDisk(RawImageBackend.open(image)))));
        TestHost host = new TestHost(bot, 512);
        // U-Boot's usb_stor_get_info: INQUIRY (12-byte CB, 36 bytes), TEST UNIT READY (+ REQUEST SENSE), READ CAPACITY.
        byte[] inquiry = host.run(new Cbw(1, 36, 0x80, 0, 12, java.util.Arrays.copyOf(new byte[] {0x12, 0, 0, 0, 36}, 16)), null).data();
        host.in(0, 0, new byte[6]);
        host.in(0, 18, new byte[] {0x03, 0, 0, 0, 18, 0});
        host.in(0, 0, new byte[6]);
        byte[] cap = host.run(new Cbw(2, 8, 0x80, 0, 12, java.util.Arrays.copyOf(new byte[] {0x25}, 16)), null).data();

        // disk/part.c dev_print, as U-Boot formats a USB device.
        String vendor = new String(inquiry, 8, 8, StandardCharsets.US_ASCII);
        String product = new String(inquiry, 16, 16, StandardCharsets.US_ASCII);
        String revision = new String(inquiry, 32, 4, StandardCharsets.US_ASCII);
        String type = ((inquiry[1] & 0x80) != 0 ? "Removable " : "") + ((inquiry[0] & 0x1F) == 0 ? "Hard Disk" : "?");
        long lba = (((cap[0] & 0xFFL) << 24) | ((cap[1] & 0xFF) << 16) | ((cap[2] & 0xFF) << 8) | (cap[3] & 0xFF)) + 1;
        long blksz = ((cap[4] & 0xFFL) << 24) | ((cap[5] & 0xFF) << 16) | ((cap[6] & 0xFF) << 8) | (cap[7] & 0xFF);
        long mb = lba * (blksz / 512) * 10 >> 11; // exact for this whole number of MiB
        long gb = mb / 1024;
        String capacity = String.format("Capacity: %d.%d MB = %d.%d GB (%d x %d)", mb / 10, mb % 10, gb / 10, gb % 10, lba, blksz);

        assertThat(group(DEVICE, out)).isEqualTo("Vendor: " + vendor + " Rev: " + revision + " Prod: " + product);
        assertThat(group(TYPE, out)).isEqualTo("Type: " + type);
        assertThat(group(CAPACITY, out)).isEqualTo(capacity);
    }
}
