package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed irqdemo.elf is what its source assembles to (the build commands are in irqdemo.S). */
class IrqDemoImageTest {
    @TempDir
    Path tmp;

    @Test
    void theTestFirmwareRebuildsByteForByte() throws Exception {
        Path dir = ObservationTest.IRQDEMO.getParent();
        for (String tool : List.of("arm-none-eabi-as", "arm-none-eabi-ld")) {
            boolean found = false;
            for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                found |= Files.isExecutable(Path.of(d, tool));
            }
            if (!found) {
                if (System.getenv("CI") != null) {
                    fail(tool + " not found: .ci/run must install binutils-arm-none-eabi");
                }
                Assumptions.abort(tool + " not found (apt-get install binutils-arm-none-eabi); skipped outside CI");
            }
        }
        Path object = tmp.resolve("irqdemo.o");
        Path elf = tmp.resolve("irqdemo.elf");
        run("arm-none-eabi-as", "-mcpu=cortex-a15", "-o", object.toString(), dir.resolve("irqdemo.S").toString());
        run("arm-none-eabi-ld", "-Ttext=0x40010000", "--build-id=none", "-o", elf.toString(), object.toString());
        assertThat(Files.readAllBytes(elf)).as("rebuild irqdemo.elf with the commands in irqdemo.S")
                .isEqualTo(Files.readAllBytes(ObservationTest.IRQDEMO));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
