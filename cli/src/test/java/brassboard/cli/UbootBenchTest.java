package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UbootBenchTest {
    @TempDir
    Path dir;

    private static List<String> type(UbootBench.Typist t, String output) {
        List<String> typed = new ArrayList<>();
        for (char c : output.toCharArray()) {
            String line = t.output(c);
            if (line != null) {
                typed.add(line);
            }
        }
        return typed;
    }

    @Test
    void eachPromptGetsTheNextCommandAndTheFirstIsTimed() {
        UbootBench.Typist t = new UbootBench.Typist(System.nanoTime());
        assertThat(type(t, "Hit any key to stop autoboot:  0 \r\n")).isEmpty();
        assertThat(t.promptNanos).isNegative();
        assertThat(type(t, "=> ")).containsExactly("version");
        assertThat(t.promptNanos).isNotNegative();
        assertThat(type(t, "version\r\nU-Boot 2023.01\r\n=> bdinfo\r\nboot_params = 0x00000000\r\n=> "))
                .containsExactly("bdinfo", "crc32 0x40000000 0x100000");
        assertThat(type(t, "crc32 ...\r\n=> ")).containsExactly("poweroff");
        assertThat(type(t, "=> ")).isEmpty(); // the script is over
    }

    @Test
    void qemuRunsTheVirtBoardWithoutANic() {
        assertThat(String.join(" ", UbootBench.qemuCommand(Path.of("qemu-system-arm"), Path.of("u-boot.bin"))))
                .isEqualTo("qemu-system-arm -M virt -cpu cortex-a15 -m 128M -bios u-boot.bin -nographic -nic none");
    }

    @Test
    void brassboardRunsAsANewJvmFedThroughAPipeLikeQemu() {
        List<String> c = UbootBench.brassboardCommand(Path.of("u-boot.bin"));
        assertThat(c.get(0)).endsWith("java");
        assertThat(c).containsSubsequence("-cp", System.getProperty("java.class.path"), "brassboard.cli.Main");
        assertThat(String.join(" ", c)).endsWith("brassboard.cli.Main run --bios u-boot.bin --input -");
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() throws Exception {
        Path image = Files.write(dir.resolve("u-boot.bin"), new byte[16]);
        String[][] bad = {
            {"bench", "--uboot", dir.resolve("missing.bin").toString()},
            {"bench", "--uboot", image.toString(), "--runs", "0"},
            {"bench", "--uboot", image.toString(), "--vs-qemu", "--qemu", "/nonexistent/qemu-system-arm"},
        };
        for (String[] args : bad) {
            CliTest.Outcome o = CliTest.brassboard(args).oneLineError();
            assertThat(o.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(o.out()).as(String.join(" ", args)).isEmpty();
        }
        assertThat(CliTest.brassboard("bench", "--uboot", dir.resolve("missing.bin").toString()).err())
                .contains("fetch.sh");
    }

    @Test
    void theUsbScriptStopsAutobootWithAKeyAndTimesEachCommandFromPromptToPrompt() {
        UbootBench.Typist t = new UbootBench.Typist(System.nanoTime(), UbootBench.USB_SCRIPT, true);
        assertThat(type(t, "Net:   No ethernet found.\r\nHit any key to stop autoboot:  2 ")).containsExactly("");
        assertThat(type(t, "\b\b\b 0 \r\n=> ")).containsExactly("usb start");
        assertThat(type(t, "usb start\r\nstarting USB...\r\n=> ")).containsExactly("fatload usb 0 ${loadaddr} BIG.BIN");
        assertThat(type(t, "16777216 bytes read in 398 ms (40.2 MiB/s)\r\n=> ")).containsExactly("crc32 ${loadaddr} ${filesize}");
        assertThat(t.prompts).hasSize(3);
        assertThat(type(t, "Hit any key to stop autoboot:  2 ")).as("only the first countdown").isEmpty();
    }

    @Test
    void qemuRunsTheUsbBenchWithUsbEhciAndUsbStorageOnTheStick() {
        assertThat(String.join(" ", UbootBench.qemuUsbCommand(Path.of("qemu-system-arm"), Path.of("u-boot.bin"), Path.of("s.img"))))
                .isEqualTo("qemu-system-arm -M virt -cpu cortex-a15 -m 128M -bios u-boot.bin -nographic -nic none -device usb-ehci "
                        + "-drive if=none,id=d0,format=raw,readonly=on,file=s.img -device usb-storage,drive=d0");
        assertThat(String.join(" ", UbootBench.brassboardCommand(Path.of("u-boot.bin"), List.of("--usb", "storage,disk=s.img"))))
                .endsWith("run --bios u-boot.bin --input - --usb storage,disk=s.img");
    }

    @Test
    void usbWithoutUbootIsAUsageError() {
        CliTest.Outcome o = CliTest.brassboard("bench", "--usb").oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--usb applies to --uboot FILE");
    }
}
