package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.KernelBoot;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.api.UsbAttachment;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.uart.CaptureSink;
import brassboard.firmware.linux.Initramfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's armmp kernel drives a USB stick on Brassboard with its own modules: the initramfs of
 * {@code firmware/third-party/linux/usb-storage.list} loads {@code ehci-pci}, {@code usb-storage},
 * {@code sd_mod} and {@code vfat} (and what they need), waits for {@code /dev/sda1}, prints every
 * USB device's descriptors as sysfs reads them back, mounts the FAT32 file system, copies a file to
 * tmpfs and back under another name, and hashes both copies (the one written back after a remount).
 * The same initramfs, kernel and disk image run on {@code qemu-system-arm -M virt,highmem=off
 * -device usb-ehci -device usb-storage}, the oracle: the test's lines ({@code brassboard-usb: ...},
 * in order) and the kernel's lines between the script's first and last (as a multiset: the USB hub
 * thread, SCSI scanning and the script print concurrently) are compared, less {@link #DIFFERING}.
 *
 * <p>The disk image is made here, never committed: an MBR with one FAT32 partition (type 0Ch) from
 * sector 2048, formatted by {@code mkfs.vfat} and given a file of seeded random bytes by
 * {@code mtools}. Both runs write through to their own copy of it; the copy written back is then
 * read out of the image with {@code mcopy} and compared with the original bytes. Without the
 * fetched kernel and modules, QEMU or those tools the test is skipped, unless {@code CI} is set:
 * then it fails and says what is missing.
 *
 * <p>Each run prints how long (host time) it took from start to the file system mounted and for
 * the copy, and the same in the guest's own clock (virtual time on Brassboard).
 */
@Tag("thirdparty")
class LinuxUsbTest {
    static final String COMMAND_LINE = "console=ttyAMA0";
    /** What the init script puts in front of each line meant for the test. */
    static final String MARK = "brassboard-usb: ";
    static final int FILE_BYTES = 1 << 20;
    static final long IMAGE_BYTES = 64L << 20;
    static final long PARTITION_START = 2048;
    /** The FAT's files' modification time (mcopy -m keeps the source's): a fixed one, so the image is the same every run. */
    static final FileTime FILE_TIME = FileTime.fromMillis(1_767_225_600_000L); // 2026-01-01T00:00:00Z

    /**
     * Kernel lines that differ from QEMU's, and why; left out on both sides.
     */
    static final Map<String, Pattern> DIFFERING = new LinkedHashMap<>();

    static {
        // (Linux's ARM PCI fixup, arch/arm/kernel/bios32.c, writes SERR# Enable and Parity Error Response
        // into every Command register; like QEMU's usb-ehci, Brassboard's conventional PCI function keeps
        // SERR# only, so ehci-pci's "enabling device (0100 -> 0102)" is the same line under both.)
        // The Linux IRQ number (not the GIC's INTID) of the controller: QEMU's device tree has more
        // interrupt-using nodes before the PCI host bridge (PL061, gpio-keys), which take lower numbers.
        DIFFERING.put("Linux IRQ number", Pattern.compile("^ehci-pci 0000:00:01\\.0: irq \\d+, io mem 0x10000000$"));
    }

    static Path kernel;
    static Path initrd;
    static byte[] hello;
    static Path pristine;
    @TempDir
    static Path dir;

    @BeforeAll
    static void images() throws Exception {
        kernel = LinuxTest.fetchedOrSkip("vmlinuz-armmp", "busybox-armhf", "modules/kernel/drivers/usb/storage/usb-storage.ko",
                "modules/kernel/drivers/usb/host/ehci-pci.ko", "modules/kernel/fs/fat/vfat.ko");
        initrd = Files.write(dir.resolve("usb-storage.cpio"),
                Initramfs.build(Path.of("..", "firmware", "third-party", "linux", "usb-storage.list")));
        hello = new byte[FILE_BYTES];
        new Random(20261207).nextBytes(hello);
        pristine = fatDisk(dir.resolve("pristine.img"), hello);
    }

    /**
     * A disk of {@link #IMAGE_BYTES}: an MBR with one FAT32 LBA partition (type 0Ch) from
     * {@link #PARTITION_START}, formatted with a fixed volume id, holding {@code HELLO.BIN} = {@code content}.
     */
    static Path fatDisk(Path image, byte[] content) throws Exception {
        return fatDisk(image, Map.of("HELLO.BIN", content));
    }

    /** The same with {@code files} (name to bytes) copied into the root in their map's order: the first gets the first clusters. */
    static Path fatDisk(Path image, Map<String, byte[]> files) throws Exception {
        Path mkfs = UbootUsbTest.tool("mkfs.vfat");
        Path mcopy = UbootUsbTest.tool("mcopy");
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.putInt(440, 0x42525353);
        mbr.position(446);
        mbr.put((byte) 0).put(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF}).put((byte) 0x0C)
                .put(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF})
                .putInt((int) PARTITION_START).putInt((int) (IMAGE_BYTES / 512 - PARTITION_START));
        mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(IMAGE_BYTES);
            f.write(mbr.array());
        }
        long kib = (IMAGE_BYTES / 512 - PARTITION_START) / 2;
        UbootUsbTest.run(mkfs.toString(), "--offset", String.valueOf(PARTITION_START), "-F", "32", "-s", "1", "-i", "B4A55B0A",
                "-n", "BRASSBOARD", image.toString(), String.valueOf(kib));
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path src = Files.write(image.resolveSibling(image.getFileName() + "." + f.getKey()), f.getValue());
            Files.setLastModifiedTime(src, FILE_TIME);
            UbootUsbTest.run(mcopy.toString(), "-m", "-i", fatOf(image), src.toString(), "::" + f.getKey());
        }
        return image;
    }

    /** The LBA of the first sector of {@code image} that starts with {@code content}'s first 512 bytes (a file's first cluster). */
    static long lbaOf(Path image, byte[] content) throws IOException {
        byte[] disk = Files.readAllBytes(image);
        byte[] head = java.util.Arrays.copyOf(content, 512);
        for (int lba = 0; lba < disk.length / 512; lba++) {
            if (java.util.Arrays.equals(disk, lba * 512, lba * 512 + 512, head, 0, 512)) {
                return lba;
            }
        }
        throw new AssertionError("the content is not in " + image);
    }

    /** mtools' name for the file system in {@code image}'s partition. */
    static String fatOf(Path image) {
        return image + "@@" + PARTITION_START * 512;
    }

    /** The bytes of {@code name} in the root of {@code image}'s FAT, read by mcopy. */
    static byte[] fileOnDisk(Path image, String name) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".bin");
        Files.delete(out);
        UbootUsbTest.run(UbootUsbTest.tool("mcopy").toString(), "-n", "-i", fatOf(image), "::" + name, out.toString());
        return Files.readAllBytes(out);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /**
     * A finished run: its console, how it ended, and for each marker line of the script (its text
     * after {@link #MARK}, up to the first blank) the host's {@link System#nanoTime()} when it appeared.
     */
    record Run(String console, Optional<RunResult> result, long startNs, long endNs, Map<String, Long> markerNs) {
        /** Host seconds from the start of the run to the first marker starting with {@code prefix}. */
        double hostSecondsTo(String prefix) {
            return (markerAt(prefix) - startNs) / 1e9;
        }

        /** Host seconds between two markers. */
        double hostSecondsBetween(String from, String to) {
            return (markerAt(to) - markerAt(from)) / 1e9;
        }

        private long markerAt(String prefix) {
            return markerNs.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new AssertionError("no marker '" + MARK + prefix + "' in the console:\n" + console));
        }

        /** The guest's own clock (the kernel's timestamp) at the first marker starting with {@code prefix}, in seconds. */
        double guestSecondsAt(String prefix) {
            Matcher m = Pattern.compile("\\[ *(\\d+\\.\\d+)\\] " + Pattern.quote(MARK + prefix)).matcher(console);
            if (!m.find()) {
                throw new AssertionError("no timestamped marker '" + MARK + prefix + "' in the console:\n" + console);
            }
            return Double.parseDouble(m.group(1));
        }

        /** One line for the test's output: boot-to-mounted and copy (read to tmpfs, write back and sync) times. */
        String timing(String who) {
            return String.format("%s: boot to mounted %.1f s host / %.3f s guest; copy (read, write back, sync) %.2f s host / %.3f s guest",
                    who, hostSecondsTo("mounted"), guestSecondsAt("mounted"), hostSecondsBetween("copying", "wrote"),
                    guestSecondsAt("wrote") - guestSecondsAt("copying"));
        }
    }

    /** Records the host time of each marker line as the console prints it. */
    static final class Markers implements java.util.function.IntConsumer {
        final Map<String, Long> at = new LinkedHashMap<>();
        private final StringBuilder line = new StringBuilder();

        @Override
        public void accept(int b) {
            if (b == '\n') {
                int i = line.indexOf(MARK);
                if (i >= 0 && !line.substring(i + MARK.length()).startsWith("usb ") && !line.substring(i + MARK.length()).startsWith("sha256 ")) {
                    at.putIfAbsent(line.substring(i + MARK.length()).trim(), System.nanoTime());
                }
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) (b & 0xFF));
            }
        }
    }

    /**
     * Boots the kernel with the USB initramfs on Brassboard with {@code devices} plugged in,
     * {@code append} added to the command line; {@code beforeRun} may attach observers.
     */
    static Run brassboard(int cpus, String append, Consumer<Machine> beforeRun, UsbAttachment... devices) throws Exception {
        CaptureSink out = new CaptureSink();
        Console console = new Console(CharBackend.of(out, CharSource.none()));
        Markers markers = new Markers();
        console.addListener(markers);
        Machine m = Machine.create(MachineConfig.of(kernel).withCpus(cpus), BoardOptions.none()
                .withKernel(KernelBoot.plain().withInitrd(initrd).withAppend((COMMAND_LINE + " " + append).trim()))
                .withUsb(devices), console);
        beforeRun.accept(m);
        long start = System.nanoTime();
        // 600 s of virtual time: the slow-disk run needs about 260 s (the error handler's resets and retries; mostly idle)
        RunResult result = m.run(new RunLimits(600_000_000_000L, Long.MAX_VALUE, Optional.empty()));
        return new Run(out.text(), Optional.of(result), start, System.nanoTime(), markers.at);
    }

    /** The same boot under {@code qemu-system-arm -M virt,highmem=off} with {@code deviceArgs}; it ends when the guest powers off. */
    static Run qemu(int cpus, String append, List<String> deviceArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(LinuxTest.qemuOrSkip().toString(), "-M", "virt,highmem=off", "-cpu", "cortex-a15",
                "-m", "128M", "-smp", Integer.toString(cpus), "-nographic", "-nic", "none", "-kernel", kernel.toAbsolutePath().toString(),
                "-initrd", initrd.toAbsolutePath().toString(), "-append", (COMMAND_LINE + " " + append).trim()));
        command.addAll(deviceArgs);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        Markers markers = new Markers();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                for (int b; (b = in.read()) >= 0; ) {
                    log.write(b);
                    markers.accept(b);
                }
            } catch (IOException e) {
                // QEMU went away
            }
        });
        reader.setDaemon(true);
        reader.start();
        boolean exited = p.waitFor(300, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String text;
        synchronized (log) {
            text = log.toString(StandardCharsets.ISO_8859_1);
        }
        assertThat(exited).as("QEMU powered off within 300 s:\n%s", text).isTrue();
        return new Run(text, Optional.empty(), start, System.nanoTime(), markers.at);
    }

    /** The console lines from the script's first marker to its last ("done"), without timestamps or {@code \r}. */
    static List<String> section(String console) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String raw : console.split("\r?\n")) {
            String l = LinuxTest.STAMP.matcher(raw.replace("\r", "")).replaceFirst("");
            in |= l.startsWith(MARK + "init:");
            if (in) {
                out.add(l);
            }
            if (l.equals(MARK + "done")) {
                break;
            }
        }
        assertThat(out).as("the script's lines from '%sinit:' to '%sdone' in:\n%s", MARK, MARK, console)
                .isNotEmpty().endsWith(MARK + "done");
        return out;
    }

    /** The script's own lines, in order. */
    static List<String> marked(List<String> section) {
        return section.stream().filter(l -> l.startsWith(MARK)).toList();
    }

    /** The kernel's lines in the section, less {@link #DIFFERING}, sorted. */
    static List<String> kernelLines(List<String> section) {
        return section.stream().filter(l -> !l.startsWith(MARK)).filter(l -> !l.isBlank())
                .filter(l -> DIFFERING.values().stream().noneMatch(p -> p.matcher(l).matches())).sorted().toList();
    }

    static Path copyOfPristine(String name) throws IOException {
        return Files.copy(pristine, dir.resolve(name));
    }

    /**
     * The {@code linux} span profile and the IRQ report attached to a Brassboard run, the trace
     * written to a file: attach in {@link #brassboard}'s {@code beforeRun}, {@link #finish} after.
     */
    static final class Traced implements Consumer<Machine> {
        final Path json;
        final List<String> warnings = new ArrayList<>();
        brassboard.boards.trace.Observation observation;
        private java.io.OutputStream out;

        Traced(Path json) {
            this.json = json;
        }

        @Override
        public void accept(Machine m) {
            try {
                out = new java.io.BufferedOutputStream(Files.newOutputStream(json));
                Path map = Path.of("..", "firmware", "third-party", "cache", "System.map-armmp");
                observation = brassboard.boards.trace.Observation.attach(m, brassboard.firmware.api.SymbolTable.load(map),
                        brassboard.boards.trace.SpanProfiles.names("linux").orElseThrow(), out, true, warnings::add);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        /** Completes the trace; returns how many spans of each name it has. */
        Map<String, Integer> finish() throws IOException {
            observation.finish();
            out.close();
            Map<String, Integer> spans = new java.util.TreeMap<>();
            Matcher m = Pattern.compile("\\{\"name\":\"([A-Za-z0-9_]+)\",\"cat\":\"span\",\"ph\":\"B\"").matcher(Files.readString(json, StandardCharsets.ISO_8859_1));
            while (m.find()) {
                spans.merge(m.group(1), 1, Integer::sum);
            }
            return spans;
        }

        String report() {
            return observation.report().orElseThrow().toText(observation.activity().symbols());
        }
    }

    /**
     * The same run is traced with {@code --profile linux}'s functions and the IRQ report: the EHCI
     * interrupt's top half ({@code usb_hcd_irq} and {@code ehci_irq}, in modules the kernel loaded
     * during the run) and the bottom halves after it: the URB give-back tasklet in the softirq,
     * the hub thread's work, usb-storage's control thread and its bulk-only transport once per SCSI
     * command, and SCSI's completion of each command. The report has the latency of the EHCI
     * controller's INTID (its PCI INTA, INTID 35).
     *
     * <p>No {@code blk_done_softirq} here: since Linux 6.0 usb-storage completes each command from
     * its control thread with {@code scsi_done_direct} (the module imports it), so the block
     * layer's completion softirq is not used for a USB disk; {@code scsi_complete} runs in the
     * control thread instead.
     *
     * <p>A second Brassboard run without the trace gives the same console, instruction count and
     * virtual time: tracing (module symbols read as a debugger, span hooks) does not change the run.
     */
    @Test
    void theStickEnumeratesMountsAndCopiesWithItsChecksumIntactAsUnderQemu() throws Exception {
        Path ours = copyOfPristine("brassboard.img");
        Traced traced = new Traced(dir.resolve("stick.json"));
        Run b = brassboard(1, "", traced, UsbAttachment.storage(ours).withMode(RawImageBackend.Mode.WRITE_THROUGH));
        Map<String, Integer> spans = traced.finish();
        assertThat(b.result().orElseThrow().outcome()).as(b.console()).isEqualTo(RunResult.Outcome.POWER_OFF);
        List<String> s = section(b.console());
        String sum = sha256(hello);
        assertThat(s).as("console:\n%s", b.console()).contains(
                "usb 1-1: new high-speed USB device number 2 using ehci-pci",
                "usb 1-1: New USB device found, idVendor=46f4, idProduct=0001, bcdDevice= 0.00",
                "usb 1-1: Product: QEMU USB HARDDRIVE",
                "usb-storage 1-1:1.0: USB Mass Storage device detected",
                "scsi 0:0:0:0: Direct-Access     QEMU     QEMU HARDDISK    2.5+ PQ: 0 ANSI: 5",
                "sd 0:0:0:0: [sda] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)",
                "sd 0:0:0:0: [sda] Write Protect is off",
                "sd 0:0:0:0: [sda] Write cache: enabled, read cache: enabled, doesn't support DPO or FUA",
                " sda: sda1",
                MARK + "usb 1-1 idVendor=46f4",
                MARK + "usb 1-1 serial=1-0000:00:01.0-1",
                MARK + "usb 1-1:1.0 bInterfaceClass=08",
                MARK + "usb 1-1:1.0 bInterfaceSubClass=06",
                MARK + "usb 1-1:1.0 bInterfaceProtocol=50",
                MARK + "usb 1-1:1.0 ep_81 wMaxPacketSize=0200",
                MARK + "usb 1-1:1.0 ep_02 wMaxPacketSize=0200",
                MARK + "mounted /dev/sda1",
                MARK + "sha256 " + sum + "  /tmp/HELLO.BIN",
                MARK + "wrote COPY.BIN and synced",
                MARK + "sha256 " + sum + "  /mnt/COPY.BIN");
        assertThat(s).as("errors in the kernel's log").noneMatch(l -> l.contains("error") || l.contains("failed"));
        assertThat(sha256(fileOnDisk(ours, "COPY.BIN"))).as("COPY.BIN in the image Brassboard wrote through to").isEqualTo(sum);

        assertThat(traced.warnings).as("every function of the linux profile is in System.map or a module").isEmpty();
        assertThat(spans).as("spans in the trace").containsKeys("gic_handle_irq", "usb_hcd_irq", "ehci_irq", "usb_giveback_urb_bh",
                "hub_event", "usb_stor_control_thread", "usb_stor_Bulk_transport", "scsi_error_handler", "scsi_complete",
                "handle_softirqs", "tasklet_action");
        assertThat(spans.get("ehci_irq")).as("EHCI interrupts handled").isEqualTo(spans.get("usb_hcd_irq")).isGreaterThan(100);
        assertThat(spans.get("usb_stor_Bulk_transport")).as("one bulk-only transport span per SCSI command").isEqualTo(spans.get("scsi_complete"));
        assertThat(traced.report()).containsPattern("INTID 35 pcie\\.inta: +\\d+, p50 ");

        // The same run without the trace: the same console, instruction for instruction (reading the
        // modules' symbol tables as a debugger and the span hooks change nothing in the run).
        Run untraced = brassboard(1, "", m -> { }, UsbAttachment.storage(copyOfPristine("untraced.img")).withMode(RawImageBackend.Mode.WRITE_THROUGH));
        assertThat(untraced.console()).as("the untraced run's console").isEqualTo(b.console());
        assertThat(untraced.result().orElseThrow().instructions()).isEqualTo(b.result().orElseThrow().instructions());
        assertThat(untraced.result().orElseThrow().virtualTimeNs()).isEqualTo(b.result().orElseThrow().virtualTimeNs());

        Path theirs = copyOfPristine("qemu.img");
        Run q = qemu(1, "", List.of("-device", "usb-ehci", "-drive", "if=none,id=d0,format=raw,file=" + theirs.toAbsolutePath(),
                "-device", "usb-storage,drive=d0"));
        List<String> qs = section(q.console());
        assertThat(marked(s)).as("the script's lines: descriptors read back, steps and checksums").isEqualTo(marked(qs));
        assertThat(kernelLines(s)).as("the kernel's lines while the script ran, less DIFFERING").isEqualTo(kernelLines(qs));
        assertThat(sha256(fileOnDisk(theirs, "COPY.BIN"))).as("COPY.BIN in QEMU's image").isEqualTo(sum);
        System.out.println("LinuxUsbTest stick " + b.timing("Brassboard (traced)"));
        System.out.println("LinuxUsbTest stick " + untraced.timing("Brassboard"));
        System.out.println("LinuxUsbTest stick " + q.timing("QEMU"));
        System.out.println("LinuxUsbTest stick spans: " + spans);
    }

    // ---------------------------------------------------------------- the bridges

    /** The field note's {@code lsusb -v} dumps of the two bridges, kept by the devices module's tests. */
    static Path lsusbDump(String bridge) {
        return Path.of("..", "devices", "src", "test", "resources", "brassboard", "devices", "storage", "bridge", bridge + "-lsusb.txt");
    }

    /**
     * What the init script should print for the device on root port 1 whose {@code lsusb -v} dump is
     * {@code dump}: one pattern per sysfs attribute, in sysfs's formats (hex fields as two or four
     * hex digits, {@code version} and {@code bNumInterfaces} as {@code %2d}-style, strings as they
     * are). lsusb prints a {@code ?} for each character of a string descriptor outside ASCII; such a
     * character is matched by any non-ASCII one. {@code iConfiguration 0} is an empty
     * {@code configuration}; {@code iInterface 0} has no {@code interface} attribute to print.
     */
    static List<Pattern> lsusbAsSysfs(Path dump) throws IOException {
        List<Pattern> out = new ArrayList<>();
        String where = "usb 1-1";
        String iface = "usb 1-1:1.0";
        String at = where;
        for (String raw : Files.readAllLines(dump, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith("Device Qualifier")) {
                break;
            }
            if (line.equals("Interface Descriptor:")) {
                at = iface;
                continue;
            }
            String[] f = line.split("\\s+", 3);
            if (f.length < 2) {
                continue;
            }
            String key = f[0];
            String value = f[1];
            String rest = f.length > 2 ? f[2] : "";
            String attr = null;
            String shown = null;
            switch (key) {
                case "bcdUSB" -> { attr = "version"; shown = String.format("%5s", value); }
                case "bDeviceClass", "bDeviceSubClass", "bDeviceProtocol", "bInterfaceNumber", "bNumEndpoints", "bInterfaceClass",
                        "bInterfaceSubClass", "bInterfaceProtocol", "bInterval" -> {
                    attr = key;
                    shown = String.format("%02x", Integer.parseInt(value));
                }
                case "bMaxPacketSize0", "bNumConfigurations", "bConfigurationValue" -> { attr = key; shown = value; }
                case "bNumInterfaces", "bAlternateSetting" -> { attr = key; shown = String.format("%2d", Integer.parseInt(value)); }
                case "idVendor", "idProduct" -> { attr = key; shown = value.substring(2); }
                case "bcdDevice" -> { attr = key; shown = value.replace(".", "").length() == 3 ? "0" + value.replace(".", "") : value.replace(".", ""); }
                case "iManufacturer" -> { attr = "manufacturer"; shown = rest; }
                case "iProduct" -> { attr = "product"; shown = rest; }
                case "iSerial" -> { attr = "serial"; shown = rest; }
                case "iConfiguration" -> { attr = "configuration"; shown = rest; }
                case "iInterface" -> { attr = value.equals("0") ? null : "interface"; shown = rest; }
                case "bmAttributes" -> {
                    attr = key;
                    shown = String.format("%02x", Integer.decode(value));
                }
                case "MaxPower" -> { attr = "bMaxPower"; shown = value; }
                case "bEndpointAddress" -> {
                    at = iface + " ep_" + value.substring(2);
                    attr = key;
                    shown = value.substring(2);
                }
                case "wMaxPacketSize" -> { attr = key; shown = value.substring(2); }
                default -> { }
            }
            if (attr != null) {
                StringBuilder regex = new StringBuilder(Pattern.quote(MARK + at + " " + attr + "="));
                for (char c : shown.toCharArray()) {
                    regex.append(c == '?' ? "[^\\x00-\\x7f]" : Pattern.quote(String.valueOf(c)));
                }
                out.add(Pattern.compile(regex.toString()));
            }
        }
        return out;
    }

    /** Asserts that every pattern matches a line of {@code section}. */
    static void assertDescriptors(List<String> section, List<Pattern> expected, String what) {
        assertThat(expected).as("the dump's fields").hasSizeGreaterThan(20);
        for (Pattern p : expected) {
            assertThat(section).as("%s: a line matching %s among the descriptors read back:%n%s", what, p,
                    String.join("\n", marked(section))).anyMatch(l -> p.matcher(l).matches());
        }
    }

    /**
     * The JMicron JM20337 (152d:2338) with a disk that has two unreadable sectors in the middle of
     * {@code BAD.BIN}: the bridge enumerates with the field note's descriptors (read back from sysfs,
     * compared with its {@code lsusb -v} dump); its INQUIRY as the bridges model it ({@code ANSI: 2
     * CCS}); no quirk applies (Linux has no entry for it); the caching mode page is there. Reading
     * {@code BAD.BIN} takes the disk's retry time (7 s of virtual time per attempt) and ends in the
     * kernel's medium-error path: {@code Sense Key : Medium Error}, {@code Add. Sense: Unrecovered read
     * error}, and the block layer's {@code critical medium error, dev sda, sector N} at the bad LBA (the
     * JMicron reports the failing LBA); the old kernels' {@code end_request: I/O error, dev sda,
     * sector N} is worded so since Linux 5.x. Then the copy of {@code HELLO.BIN} succeeds with its
     * checksum intact, and the image holds it.
     */
    @Test
    void theJmicronEnumeratesAsInTheFieldNoteReportsItsBadSectorsAsMediumErrorsAndCopiesTheFile() throws Exception {
        byte[] bad = badFile();
        Path image = badDisk(dir.resolve("jmicron.img"), bad);
        long badLba = lbaOf(image, bad) + 33;
        Run b = brassboard(1, "usbtest.steps=mount,extra,read,write,verify",
                m -> { }, UsbAttachment.parse("jmicron,disk=" + image + ",write-through,bad=" + badLba + "-" + (badLba + 1)));
        assertThat(b.result().orElseThrow().outcome()).as(b.console()).isEqualTo(RunResult.Outcome.POWER_OFF);
        List<String> s = section(b.console());
        assertDescriptors(s, lsusbAsSysfs(lsusbDump("jmicron")), "JMicron");
        String sum = sha256(hello);
        assertThat(s).as("console:\n%s", b.console()).contains(
                "usb 1-1: New USB device found, idVendor=152d, idProduct=2338, bcdDevice= 1.00",
                "usb 1-1: Product: USB to ATA/ATAPI bridge",
                "usb 1-1: Manufacturer: JMicron",
                "usb 1-1: SerialNumber: 8020A4C30450",
                // the JMicron reports its own firmware revision (its bcdDevice, 0100), not the disk's (docs/devices/bridges.md)
                "scsi 0:0:0:0: Direct-Access     SAMSUNG  SP1614N          0100 PQ: 0 ANSI: 2 CCS",
                "sd 0:0:0:0: [sda] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)",
                "sd 0:0:0:0: [sda] Write cache: enabled, read cache: enabled, doesn't support DPO or FUA",
                "sd 0:0:0:0: [sda] tag#0 Sense Key : Medium Error [current] ",
                "sd 0:0:0:0: [sda] tag#0 Add. Sense: Unrecovered read error",
                MARK + "read BAD.BIN failed",
                MARK + "sha256 " + sum + "  /tmp/HELLO.BIN",
                MARK + "wrote COPY.BIN and synced",
                MARK + "sha256 " + sum + "  /mnt/COPY.BIN");
        assertThat(s).as("the medium error names the bad sector").anyMatch(l -> l.matches(
                "critical medium error, dev sda, sector " + badLba + " op 0x0:\\(READ\\) .*"));
        assertThat(s).as("the disk's 7 s of retries before it reports the error")
                .anyMatch(l -> l.equals("sd 0:0:0:0: [sda] tag#0 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_OK cmd_age=7s"));
        assertThat(s).noneMatch(l -> l.contains("Quirks match"));
        assertThat(sha256(fileOnDisk(image, "COPY.BIN"))).as("COPY.BIN in the image").isEqualTo(sum);
        System.out.println("LinuxUsbTest jmicron " + b.timing("Brassboard"));
    }

    /** {@code BAD.BIN}'s 64 KiB of seeded bytes. */
    private static byte[] badFile() {
        byte[] bad = new byte[64 * 1024];
        new Random(20110717).nextBytes(bad);
        return bad;
    }

    /** A disk with {@code BAD.BIN} in the first clusters, then {@code HELLO.BIN}. */
    private static Path badDisk(Path image, byte[] bad) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("BAD.BIN", bad);
        files.put("HELLO.BIN", hello);
        return fatDisk(image, files);
    }

    /**
     * A disk that retries a bad sector longer than the kernel waits: behind the JMicron, each read
     * of the bad sector takes the disk 8 s, and the script sets the disk's SCSI command timeout to
     * 4 s (sd's default 30 s with a disk of the note's era, which could retry for minutes, does the
     * same, only slower). So the kernel's SCSI error handling runs: the command times out
     * ({@code DID_TIME_OUT}), usb-storage aborts it, the error handler resets the device ({@code usb
     * 1-1: reset high-speed USB device number 2 using ehci-pci}) and retries, and after its retries
     * fails the request ({@code DID_ABORT}, {@code I/O error, dev sda, sector N}); the read fails and
     * the kernel lives on. Traced: the error handler's steps ({@code scsi_eh_scmd_add},
     * {@code scsi_eh_get_sense}, {@code scsi_eh_ready_devs}, {@code scsi_eh_flush_done_q}) are spans,
     * as are usb-storage's transport and the EHCI top half.
     */
    @Test
    void aDiskThatRetriesLongerThanTheScsiTimeoutGoesThroughScsiErrorHandling() throws Exception {
        byte[] bad = badFile();
        Path image = badDisk(dir.resolve("slow.img"), bad);
        long badLba = lbaOf(image, bad) + 33;
        Traced traced = new Traced(dir.resolve("slow.json"));
        Run b = brassboard(1, "usbtest.steps=mount,extra usbtest.timeout=4", traced,
                UsbAttachment.parse("jmicron,disk=" + image + ",bad=" + badLba + "-" + (badLba + 1) + ",retry-time=8s"));
        Map<String, Integer> spans = traced.finish();
        assertThat(b.result().orElseThrow().outcome()).as(b.console()).isEqualTo(RunResult.Outcome.POWER_OFF);
        List<String> s = section(b.console());
        assertThat(s).as("console:\n%s", b.console()).contains(
                "sd 0:0:0:0: [sda] tag#0 FAILED Result: hostbyte=DID_TIME_OUT driverbyte=DRIVER_OK cmd_age=5s",
                "usb 1-1: reset high-speed USB device number 2 using ehci-pci",
                MARK + "read BAD.BIN failed");
        assertThat(s).anyMatch(l -> l.matches("sd 0:0:0:0: \\[sda\\] tag#0 FAILED Result: hostbyte=DID_ABORT driverbyte=DRIVER_OK cmd_age=\\d+s"))
                .anyMatch(l -> l.matches("I/O error, dev sda, sector \\d+ op 0x0:\\(READ\\) .*"))
                .noneMatch(l -> l.contains("Medium Error"));
        assertThat(b.console()).doesNotContain("Oops", "Kernel panic", "BUG:");
        assertThat(traced.warnings).isEmpty();
        assertThat(spans).containsKeys("scsi_error_handler", "scsi_eh_scmd_add", "scsi_eh_get_sense", "scsi_eh_ready_devs",
                "scsi_eh_flush_done_q", "usb_stor_Bulk_transport", "usb_hcd_irq", "ehci_irq");
        assertThat(traced.report()).containsPattern("INTID 35 pcie\\.inta: +\\d+, p50 ");
        System.out.println("LinuxUsbTest slow disk: read failed at " + b.guestSecondsAt("read BAD.BIN failed") + " s guest, "
                + (b.endNs() - b.startNs()) / 1e9 + " s host; spans " + spans);
    }

    /**
     * The field note's crash, replayed: the Super Top (14cd:6600, bcdDevice 2.01) with its controller
     * bug set to trigger on a 16-byte pattern that sits in the middle of the file, and the kernel's
     * dirty-page writeback started early ({@code vm.dirty_background_bytes} = 64 KiB, as a copy of a
     * file much bigger than the page cache has it): reading the file works (the bug is in the WRITE
     * path); writing it back, the WRITE (10) carrying the pattern wedges the bridge, which drops off
     * the bus. What the kernel logs, in order, is the field note's sequence in this kernel's words:
     * <ul>
     * <li>{@code usb 1-1: USB disconnect, device number 2} (the note: {@code usb 2-6: USB disconnect,
     *     device number 26});
     * <li>{@code device offline error, dev sda, sector N op 0x1:(WRITE) ...} for the writes the block
     *     layer still had: the note's {@code Unhandled error code}, {@code Result:
     *     hostbyte=DID_NO_CONNECT} and {@code end_request: I/O error, dev sdg, sector N}. Linux 6.1
     *     fails them in the SCSI midlayer because the disk is being removed (BLK_STS_OFFLINE) and
     *     prints no DID_NO_CONNECT line;
     * <li>{@code Buffer I/O error on dev sda1, logical block N, lost async page write};
     * <li>{@code FAT-fs (sda1): FAT read failed (blocknr N)} (the note: {@code FAT: FAT read failed
     *     (blocknr 1930)}), then the copy fails with EIO. Where the note's 2.6 kernel went on to an
     *     Oops in writeback ({@code __percpu_counter_add}), 6.1 survives: no Oops, and it powers off.
     * </ul>
     * Before that, the bridge enumerates with the field note's descriptors, and its wrong CSW residue
     * is handled as Linux's quirk expects: usb-storage's {@code Quirks match for vid 14cd pid 6600: 20}
     * (US_FL_IGNORE_RESIDUE, from unusual_devs.h), and INQUIRY and READ CAPACITY, whose residues the
     * bridge gets wrong, give the model and the capacity; its MODE SENSE has no caching page, so sd
     * assumes a write-through cache.
     *
     * <p>The run is traced with the {@code linux} profile: the EHCI top half, the URB give-back
     * tasklet, usb-storage's control thread and transport, and the hub thread's work twice
     * (connect, then the disconnect) are spans; the report has INTID 35's latency.
     */
    @Test
    void theSuperTopWedgesOnTheFilesContentAndTheKernelLogsTheFieldNotesSequence() throws Exception {
        byte[] pattern = "BRASSBOARDWEDGE!".getBytes(StandardCharsets.US_ASCII);
        byte[] file = hello.clone();
        System.arraycopy(pattern, 0, file, FILE_BYTES / 2, pattern.length);
        Path image = fatDisk(dir.resolve("supertop.img"), file);
        Traced traced = new Traced(dir.resolve("supertop.json"));
        Run b = brassboard(1, "usbtest.dirty=65536", traced,
                UsbAttachment.parse("supertop,disk=" + image + ",wedge-pattern=" + HexFormat.of().formatHex(pattern)));
        Map<String, Integer> spans = traced.finish();
        assertThat(b.result().orElseThrow().outcome()).as(b.console()).isEqualTo(RunResult.Outcome.POWER_OFF);
        List<String> s = section(b.console());
        assertDescriptors(s, lsusbAsSysfs(lsusbDump("supertop")), "Super Top");
        assertThat(s).as("console:\n%s", b.console()).contains(
                "usb 1-1: New USB device found, idVendor=14cd, idProduct=6600, bcdDevice= 2.01",
                "usb 1-1: Product: USB 2.0  IDE DEVICE",
                "usb 1-1: Manufacturer: Super Top",
                "usb-storage 1-1:1.0: Quirks match for vid 14cd pid 6600: 20",
                "scsi 0:0:0:0: Direct-Access     SAMSUNG  SP1614N          0-24 PQ: 0 ANSI: 0 CCS",
                "sd 0:0:0:0: [sda] 131072 512-byte logical blocks: (67.1 MB/64.0 MiB)",
                "sd 0:0:0:0: [sda] No Caching mode page found",
                "sd 0:0:0:0: [sda] Assuming drive cache: write through",
                MARK + "mounted /dev/sda1",
                MARK + "sha256 " + sha256(file) + "  /tmp/HELLO.BIN",
                MARK + "write COPY.BIN failed");
        int disconnect = s.indexOf("usb 1-1: USB disconnect, device number 2");
        int offline = indexOf(s, "device offline error, dev sda, sector \\d+ op 0x1:\\(WRITE\\) .*");
        int buffer = indexOf(s, "Buffer I/O error on dev sda1, logical block \\d+, lost async page write");
        int fat = indexOf(s, "FAT-fs \\(sda1\\): FAT read failed \\(blocknr \\d+\\)");
        int failed = s.indexOf(MARK + "write COPY.BIN failed");
        assertThat(disconnect).as("USB disconnect in:\n%s", b.console()).isNotNegative();
        assertThat(List.of(disconnect, offline, buffer, fat, failed)).as("disconnect, write errors, lost pages, FAT errors, the copy failing, in order:\n%s",
                String.join("\n", s)).doesNotContain(-1).isSorted();
        assertThat(b.console()).doesNotContain("Oops", "Kernel panic", "BUG:");
        assertThat(traced.warnings).isEmpty();
        assertThat(spans).containsKeys("usb_hcd_irq", "ehci_irq", "usb_giveback_urb_bh", "usb_stor_control_thread",
                "usb_stor_Bulk_transport", "handle_softirqs", "tasklet_action");
        assertThat(spans.get("hub_event")).as("the hub thread's work: the connect, then the disconnect").isGreaterThanOrEqualTo(2);
        assertThat(traced.report()).containsPattern("INTID 35 pcie\\.inta: +\\d+, p50 ");
        System.out.println("LinuxUsbTest supertop: wedged at " + b.guestSecondsAt("read") + "+ s guest; " + b.hostSecondsTo("mounted")
                + " s host to mounted; spans " + spans);
    }

    private static int indexOf(List<String> lines, String regex) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(regex)) {
                return i;
            }
        }
        return -1;
    }
}
