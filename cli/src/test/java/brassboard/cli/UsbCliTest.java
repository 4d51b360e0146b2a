package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --usb storage|supertop|jmicron,disk=FILE,...}: the EHCI controller appears at PCI 00:01.0 with
 * the devices given; bad input (a bad file, key, port, LBA range, duration, size or pattern) is one line
 * and exit status 2, and the image is left alone.
 */
class UsbCliTest {
    /**
     * Reads the vendor/device word of PCI 00:01.0 through ECAM (0x3f000000 + device 1 << 15) and powers
     * off with PSCI SYSTEM_OFF when it is QEMU's usb-ehci (8086:24cd); spins otherwise.
     */
    private static final int[] PROBE_EHCI = {
        0xE3A0043F, // mov   r0, #0x3f000000
        0xE2800902, // add   r0, r0, #0x8000
        0xE5901000, // ldr   r1, [r0]
        0xE3082086, // movw  r2, #0x8086
        0xE34224CD, // movt  r2, #0x24cd
        0xE1510002, // cmp   r1, r2
        0x1AFFFFFE, // bne   .
        0xE3000008, // movw  r0, #8
        0xE3480400, // movt  r0, #0x8400   (PSCI SYSTEM_OFF)
        0xE1400070, // hvc   #0
    };

    private static Path program(Path dir) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(PROBE_EHCI.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : PROBE_EHCI) {
            b.putInt(w);
        }
        return Files.write(dir.resolve("probe-ehci.bin"), b.array());
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    void theControllerIsAtPci0001WhenAnyUsbDeviceIsGiven(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        Path disk = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        CliTest.Outcome with = brassboard("run", "--bios", bios.toString(), "--usb", "storage,disk=" + disk, "--max-time", "10ms");
        assertThat(with.status()).as("stderr: %s", with.err()).isZero();
        CliTest.Outcome six = brassboard("run", "--bios", bios.toString(), "--usb", "storage,disk=" + disk + ",port=6",
                "--usb", "storage,disk=" + disk + ",readonly", "--usb", "storage,disk=" + disk + ",write-through,port=1",
                "--max-time", "10ms");
        assertThat(six.status()).as("stderr: %s", six.err()).isZero();
        CliTest.Outcome bridges = brassboard("run", "--bios", bios.toString(),
                "--usb", "supertop,disk=" + disk + ",bad=10-12,retry-time=1s,wedge-pattern=55aa@510,wedge-after=630M,return-after=5s",
                "--usb", "jmicron,disk=" + disk + ",bad-read=3+5,bad-write=63,port=4", "--max-time", "10ms");
        assertThat(bridges.status()).as("stderr: %s", bridges.err()).isZero();
        CliTest.Outcome without = brassboard("run", "--bios", bios.toString(), "--max-time", "10ms");
        assertThat(without.status()).as("no --usb: no controller, the probe spins to the time limit").isEqualTo(4);
    }

    @Test
    void badUsbArgumentsAreOneLineWithExitStatus2AndLeaveTheImageAlone(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        Path disk = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        Path odd = Files.write(dir.resolve("odd.img"), new byte[1000]);
        String before = sha256(disk);
        String d = "storage,disk=" + disk;
        List<List<String>> cases = new ArrayList<>();
        cases.add(List.of("storage,disk=" + dir.resolve("missing.img"), "no such file; expected a raw disk image"));
        cases.add(List.of("storage,disk=" + dir, "is a directory"));
        cases.add(List.of("storage,disk=" + odd, "1000 bytes is not a whole number of 512-byte sectors"));
        cases.add(List.of("keyboard", "unknown device kind 'keyboard'; expected storage|supertop|jmicron,disk=FILE"));
        cases.add(List.of(d + ",speed=high", "unknown key 'speed'"));
        cases.add(List.of("storage", "no disk=FILE"));
        cases.add(List.of(d + ",port=7", "port 7 is out of range; the EHCI controller has ports 1 to 6"));
        cases.add(List.of(d + ",port=0", "port 0 is out of range"));
        cases.add(List.of(d + ",port=x", "port 'x' is not a number"));
        cases.add(List.of(d + ",readonly,write-through", "write-through and readonly exclude each other"));
        cases.add(List.of("supertop,disk=" + disk + ",bad=60-64", "bad sector 64 lies beyond the disk's 64 sectors; expected LBAs 0 to 63"));
        cases.add(List.of("jmicron,disk=" + disk + ",return-after=1s", "return-after= applies to supertop only"));
        cases.add(List.of("supertop,disk=" + disk + ",wedge-pattern=zz", "wedge-pattern: 'zz' is not hex bytes"));
        cases.add(List.of("supertop,disk=" + disk + ",bad=5-1", "bad: '5-1' ends before it starts"));
        cases.add(List.of("jmicron,disk=" + disk + ",retry-time=fast", "retry-time: 'fast' is not a duration"));
        cases.add(List.of("supertop,disk=" + disk + ",wedge-after=1Q", "wedge-after: '1Q' is not a size"));
        for (List<String> c : cases) {
            CliTest.Outcome o = brassboard("run", "--bios", bios.toString(), "--usb", c.get(0)).oneLineError();
            assertThat(o.status()).as(c.get(0)).isEqualTo(2);
            assertThat(o.err()).as(c.get(0)).startsWith("brassboard: ").contains(c.get(1));
        }
        CliTest.Outcome twice = brassboard("run", "--bios", bios.toString(), "--usb", d + ",write-through,port=2",
                "--usb", d + ",port=2").oneLineError();
        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err()).contains("port 2 is already taken by another --usb device");
        List<String> seven = new ArrayList<>(List.of("run", "--bios", bios.toString()));
        for (int i = 0; i < 7; i++) {
            seven.addAll(List.of("--usb", d + ",write-through"));
        }
        CliTest.Outcome tooMany = brassboard(seven.toArray(String[]::new)).oneLineError();
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("7 devices, but the EHCI controller has 6 ports");
        assertThat(sha256(disk)).isEqualTo(before);
    }
}
