package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.api.RunResult;
import brassboard.boards.api.UsbAttachment;
import brassboard.devices.storage.block.RawImageBackend;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's U-Boot reads and writes a FAT file system on QEMU's usb-storage stick behind QEMU's
 * usb-ehci, on Brassboard ({@code --usb storage,disk=IMG}) and under {@code qemu-system-arm ...
 * -device usb-ehci -drive if=none,id=d0,format=raw,file=IMG -device usb-storage,drive=d0}; the
 * transcripts are compared line by line.
 *
 * <p>The same image behind the Super Top and JMicron bridges ({@code --usb supertop|jmicron,disk=IMG}):
 * U-Boot enumerates each with the field note's descriptors and reads the file through it (QEMU has no
 * such devices, so these runs are checked on their own, not compared).
 *
 * <p>The disk image is made here, never committed: an MBR with one FAT16 partition (type 0Eh) from
 * sector 2048, formatted by Debian's {@code mkfs.vfat} and filled by {@code mtools} with a file of
 * seeded random bytes and a directory. Without those tools, QEMU or the U-Boot image the tests are
 * skipped, unless {@code CI} is set: then they fail and say what is missing.
 */
@Tag("thirdparty")
class UbootUsbTest {
    static final int HELLO_BYTES = 100_000;
    static final long IMAGE_BYTES = 32L << 20;
    static final long PARTITION_START = 2048;

    /** Run 1: enumerate, show, read, check, write a copy back, list again. */
    static final String SCRIPT_1 = String.join("\n",
            "", // stops autoboot
            "pci",
            "usb start",
            "usb tree",
            "usb info",
            "usb storage",
            "usb part",
            "usb dev 0",
            "usb read 0x41000000 0 1",
            "md.b 0x410001b8 0x48",
            "fatls usb 0",
            "fatls usb 0:1 DOCS",
            "fatload usb 0 ${loadaddr} HELLO.BIN",
            "crc32 ${loadaddr} ${filesize}",
            "fatwrite usb 0 ${loadaddr} NEW.BIN ${filesize}",
            "fatls usb 0",
            "usb reset",
            "usb tree",
            "fatls usb 0",
            "poweroff",
            "");

    /**
     * Run 2, a fresh machine on the disk run 1 wrote through to: the new file is there; and again
     * after a system reset (the controller reset, the stick still plugged in).
     */
    static final String SCRIPT_2 = String.join("\n",
            "",
            "usb start",
            "fatls usb 0",
            "fatload usb 0 ${loadaddr} NEW.BIN",
            "crc32 ${loadaddr} ${filesize}",
            "reset",
            "", // stops autoboot after the reset
            "usb start",
            "fatload usb 0 ${loadaddr} NEW.BIN",
            "crc32 ${loadaddr} ${filesize}",
            "poweroff",
            "");

    /**
     * Two sticks, the second on port 3. Debian's U-Boot 2023.01 names both sticks' block devices
     * {@code usb_mass_storage.lun0}: binding the second fails ("Adding disk for
     * usb_mass_storage.lun0 failed", "failed to unbind"), {@code usb tree} shows one stick and
     * {@code fatls usb 1} takes a data abort — under QEMU as on Brassboard, so the script stops short
     * of {@code usb 1}. Which stick U-Boot keeps depends on timing: under QEMU it varies from run to
     * run (port 1's or port 3's), so this output is not compared with QEMU's line by line; on
     * Brassboard it is always the same (port 3's stick is device 0).
     */
    static final String SCRIPT_TWO = String.join("\n",
            "",
            "usb start",
            "usb tree",
            "usb storage",
            "fatls usb 0",
            "poweroff",
            "");

    /**
     * Lines that legitimately differ from QEMU's, left out on both sides: those of
     * {@link UbootConsole#ALWAYS_DIFFERING}, and U-Boot's transfer rate lines ({@code 100000 bytes
     * read in 4 ms (23.8 MiB/s)}, likewise {@code written}): U-Boot times the transfer with the
     * generic timer, which counts host time under QEMU and virtual time on Brassboard. Their byte
     * counts are checked on their own.
     */
    static final List<Pattern> DIFFERING = List.of(
            UbootConsole.ALWAYS_DIFFERING.get(0),
            Pattern.compile("^\\d+ bytes (read|written) in \\d+ ms \\(.*\\)$"));

    @TempDir
    static Path dir;
    static byte[] hello;
    static Path pristine;

    @BeforeAll
    static void makeTheDisk() throws Exception {
        UbootConsole.uboot();
        Path mkfs = tool("mkfs.vfat");
        Path mcopy = tool("mcopy");
        Path mmd = tool("mmd");
        hello = new byte[HELLO_BYTES];
        new Random(20261207).nextBytes(hello);
        pristine = dir.resolve("stick.img");
        try (RandomAccessFile f = new RandomAccessFile(pristine.toFile(), "rw")) {
            f.setLength(IMAGE_BYTES);
            f.write(mbr());
        }
        long sectors = IMAGE_BYTES / 512 - PARTITION_START;
        run(mkfs.toString(), "--offset", String.valueOf(PARTITION_START), "-F", "16", "-i", "B4A55B0A", "-n", "BRASSBOARD",
                pristine.toString(), String.valueOf(sectors / 2));
        String fs = pristine + "@@" + PARTITION_START * 512;
        Path src = Files.write(dir.resolve("hello.bin"), hello);
        Path readme = Files.writeString(dir.resolve("readme.txt"), "a stick for U-Boot\n");
        run(mcopy.toString(), "-i", fs, src.toString(), "::HELLO.BIN");
        run(mmd.toString(), "-i", fs, "::DOCS");
        run(mcopy.toString(), "-i", fs, readme.toString(), "::DOCS/README.TXT");
    }

    /** A DOS partition table (MBR) with one FAT16 LBA partition (type 0Eh) from {@link #PARTITION_START} to the end. */
    private static byte[] mbr() {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(440, 0x42525353); // disk signature: U-Boot prints it in the partition's UUID
        b.position(446);
        b.put((byte) 0).put(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF}).put((byte) 0x0E)
                .put(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF})
                .putInt((int) PARTITION_START).putInt((int) (IMAGE_BYTES / 512 - PARTITION_START));
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        return b.array();
    }

    static Path tool(String name) {
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

    static String run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static Path copy(String name) throws IOException {
        return Files.copy(pristine, dir.resolve(name));
    }

    private static UbootConsole.Session brassboard(String script, Path disk, RawImageBackend.Mode mode) throws Exception {
        UbootConsole.Session s = UbootConsole.brassboard(script,
                b -> b.usb(UsbAttachment.storage(disk).withMode(mode)));
        assertThat(s.result().outcome()).as(s.output()).isEqualTo(RunResult.Outcome.POWER_OFF);
        return s;
    }

    private static String qemu(String script, Path disk) throws Exception {
        return UbootConsole.qemu(UbootConsole.qemuOrSkip(), script, List.of("-device", "usb-ehci",
                "-drive", "if=none,id=d0,format=raw,file=" + disk.toAbsolutePath(), "-device", "usb-storage,drive=d0"));
    }

    /** U-Boot's crc32 line for {@code data} loaded at 0x40200000 (${loadaddr}). */
    private static String crcLine(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return String.format("crc32 for 40200000 ... %08x ==> %08x", 0x40200000L + data.length - 1, crc.getValue());
    }

    private static String text(UbootConsole.Session s) {
        return s.output().replace("\r", "");
    }

    @Test
    void enumeratesListsReadsAndWritesTheStickAsUnderQemuAndACopyOnWriteRunLeavesTheFileAlone() throws Exception {
        Path ours = copy("cow.img");
        String before = sha256(ours);
        UbootConsole.Session s = brassboard(SCRIPT_1, ours, RawImageBackend.Mode.COPY_ON_WRITE);
        String t = text(s);
        assertThat(t).contains(
                "00.01.00   0x8086     0x24cd     Serial bus controller   0x03\n",
                "scanning bus ehci_pci for devices... 2 USB Device(s) found\n",
                "1 Storage Device(s) found\n",
                "|\b+-2  Mass Storage (480 Mb/s, 0mA)\n       QEMU QEMU USB HARDDRIVE 1-0000:00:01.0-1\n",
                " - Vendor: 0x46f4  Product 0x0001 Version 0.0\n",
                "     - Class Mass Storage, Transp. SCSI, Bulk only\n     - Endpoint 1 In Bulk MaxPacket 512\n"
                        + "     - Endpoint 2 Out Bulk MaxPacket 512\n",
                "  Device 0: Vendor: QEMU     Rev: 2.5+ Prod: QEMU HARDDISK   \n            Type: Hard Disk\n"
                        + "            Capacity: 32.0 MB = 0.0 GB (65536 x 512)\n",
                "  1\t2048      \t63488     \t42525353-01\t0e\n",
                "   100000   HELLO.BIN\n            DOCS/\n\n1 file(s), 1 dir(s)\n",
                "       19   README.TXT\n",
                HELLO_BYTES + " bytes read in ",
                crcLine(hello) + "\n",
                HELLO_BYTES + " bytes written in ",
                "   100000   HELLO.BIN\n            DOCS/\n   100000   NEW.BIN\n\n2 file(s), 1 dir(s)\n");
        assertThat(sha256(ours)).as("the image after a copy-on-write run").isEqualTo(before);

        Path theirs = copy("qemu-1.img");
        String q = qemu(SCRIPT_1, theirs);
        assertThat(q.replace("\r", "")).contains(HELLO_BYTES + " bytes read in ", HELLO_BYTES + " bytes written in ");
        UbootConsole.assertSameLines(s.lines(), UbootConsole.Session.lines(q), DIFFERING, "run 1");
    }

    @Test
    void aUsbRunIsDeterministic() throws Exception {
        Path disk = copy("determinism.img");
        UbootConsole.Session first = brassboard(SCRIPT_1, disk, RawImageBackend.Mode.COPY_ON_WRITE);
        UbootConsole.Session second = brassboard(SCRIPT_1, disk, RawImageBackend.Mode.COPY_ON_WRITE);
        assertThat(second.output()).isEqualTo(first.output());
        assertThat(second.result()).isEqualTo(first.result());
    }

    @Test
    void aFileWrittenThroughIsThereForAFreshMachineAsUnderQemu() throws Exception {
        Path ours = copy("write-through.img");
        brassboard(SCRIPT_1, ours, RawImageBackend.Mode.WRITE_THROUGH);
        UbootConsole.Session s = brassboard(SCRIPT_2, ours, RawImageBackend.Mode.WRITE_THROUGH);
        assertThat(text(s)).contains("   100000   HELLO.BIN\n            DOCS/\n   100000   NEW.BIN\n",
                HELLO_BYTES + " bytes read in ", crcLine(hello) + "\n");
        String afterReset = text(s).substring(text(s).indexOf("=> reset\n"));
        assertThat(afterReset).contains("1 Storage Device(s) found\n", crcLine(hello) + "\n");
        // mtools agrees: NEW.BIN on the file holds HELLO.BIN's bytes.
        Path out = dir.resolve("new-from-brassboard.bin");
        run(tool("mcopy").toString(), "-n", "-i", ours + "@@" + PARTITION_START * 512, "::NEW.BIN", out.toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(hello);

        Path theirs = copy("qemu-2.img");
        qemu(SCRIPT_1, theirs);
        String q = qemu(SCRIPT_2, theirs);
        UbootConsole.assertSameLines(s.lines(), UbootConsole.Session.lines(q), DIFFERING, "run 2 (a fresh machine)");
    }

    @Test
    void twoSticksOnPorts1And3() throws Exception {
        Path first = copy("first.img");
        Path second = dir.resolve("second.img");
        try (RandomAccessFile f = new RandomAccessFile(second.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        run(tool("mkfs.vfat").toString(), "-F", "12", "-i", "5EC0ED00", "-n", "SECOND", second.toString());
        Path note = Files.writeString(dir.resolve("note.txt"), "second stick\n");
        run(tool("mcopy").toString(), "-i", second.toString(), note.toString(), "::NOTE.TXT");
        UbootConsole.Session s = UbootConsole.brassboard(SCRIPT_TWO,
                b -> b.usb(UsbAttachment.storage(first)).usb(UsbAttachment.storage(second).onPort(3)));
        assertThat(text(s)).contains("2 Storage Device(s) found",
                "Capacity: 8.0 MB = 0.0 GB (16384 x 512)", "Capacity: 32.0 MB = 0.0 GB (65536 x 512)");
        // U-Boot's own failure with two sticks, as under QEMU (-device usb-ehci,id=ehci -device
        // usb-storage,bus=ehci.0,drive=d0 -device usb-storage,bus=ehci.0,port=3,drive=d1): both block
        // devices are named usb_mass_storage.lun0 and the one probed second is unbound. Which one that
        // is depends on the order U-Boot's hub scan finishes the two ports' debounce, which follows
        // its timer (on QEMU it varies from run to run; on Brassboard any change in instruction
        // timing can flip it): so the survivor is either stick, and usb 0 is that stick's file system.
        assertThat(text(s)).contains("Adding disk for usb_mass_storage.lun0 failed");
        boolean secondSurvived = text(s).contains("QEMU QEMU USB HARDDRIVE 1-0000:00:01.0-3");
        boolean firstSurvived = text(s).contains("QEMU QEMU USB HARDDRIVE 1-0000:00:01.0-1");
        assertThat(firstSurvived ^ secondSurvived).as("exactly one stick left in usb tree:\n%s", text(s)).isTrue();
        assertThat(text(s)).contains(secondSurvived ? "       13   NOTE.TXT\n" : "   100000   HELLO.BIN\n");
        UbootConsole.Session again = UbootConsole.brassboard(SCRIPT_TWO,
                b -> b.usb(UsbAttachment.storage(first)).usb(UsbAttachment.storage(second).onPort(3)));
        assertThat(again.output()).isEqualTo(s.output());
    }

    /** Each bridge: enumerate, show, read the file (and the bridges' descriptors as U-Boot prints them). */
    static final String SCRIPT_BRIDGE = String.join("\n",
            "",
            "usb start",
            "usb tree",
            "usb info",
            "usb storage",
            "fatls usb 0",
            "fatload usb 0 ${loadaddr} HELLO.BIN",
            "crc32 ${loadaddr} ${filesize}",
            "poweroff",
            "");

    @Test
    void ubootReadsTheFileThroughEachBridge() throws Exception {
        Path disk = copy("bridges.img");
        UbootConsole.Session st = UbootConsole.brassboard(SCRIPT_BRIDGE,
                b -> b.usb(UsbAttachment.of(UsbAttachment.Kind.SUPERTOP, disk)));
        assertThat(st.result().outcome()).as(st.output()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(text(st)).contains("1 Storage Device(s) found\n",
                " - Vendor: 0x14cd  Product 0x6600 Version 2.1\n",
                "Super Top USB 2.0  IDE DEVICE",
                "Device 0: Vendor: SAMSUNG  Rev: 0-24 Prod: SP1614N",
                "   100000   HELLO.BIN\n",
                crcLine(hello) + "\n");
        UbootConsole.Session jm = UbootConsole.brassboard(SCRIPT_BRIDGE,
                b -> b.usb(UsbAttachment.of(UsbAttachment.Kind.JMICRON, disk)));
        assertThat(jm.result().outcome()).as(jm.output()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(text(jm)).contains("1 Storage Device(s) found\n",
                " - Vendor: 0x152d  Product 0x2338 Version 1.0\n",
                "JMicron USB to ATA/ATAPI bridge 8020A4C30450",
                "Device 0: Vendor: SAMSUNG  Rev: 0100 Prod: SP1614N",
                crcLine(hello) + "\n");
    }

    @Test
    void aCapturedIdentityLoadedFromYamlIsWhatUbootEnumeratesAndReadsThrough() throws Exception {
        // What 'usb capture' writes for a JMicron, edited as a user's own bridge: product 2339, its own strings.
        String yaml = brassboard.boards.hostusb.DescriptorYaml.write(brassboard.devices.storage.bridge.JMicron.descriptors(), List.of())
                .replace("idProduct: 0x2338", "idProduct: 0x2339").replace("\"USB to ATA/ATAPI bridge\"", "\"The bridge on my desk\"")
                .replace("\"8020A4C30450\"", "\"DESK0001\"");
        Path file = Files.writeString(dir.resolve("desk.yaml"), yaml);
        Path disk = copy("desk.img");
        UbootConsole.Session s = UbootConsole.brassboard(SCRIPT_BRIDGE,
                b -> b.usb(UsbAttachment.of(UsbAttachment.Kind.SUPERTOP, disk).withDescriptors(file)));
        assertThat(s.result().outcome()).as(s.output()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(text(s)).contains("1 Storage Device(s) found\n",
                " - Vendor: 0x152d  Product 0x2339 Version 1.0\n",
                "JMicron The bridge on my desk DESK0001",
                "   - String: \"USB Mass Storage\"\n",
                "Device 0: Vendor: SAMSUNG  Rev: 0-24 Prod: SP1614N", // the Super Top's firmware answers INQUIRY
                "   100000   HELLO.BIN\n",
                crcLine(hello) + "\n");
    }
}
