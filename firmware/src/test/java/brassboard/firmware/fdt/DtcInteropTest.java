package brassboard.firmware.fdt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks our blobs against Debian's device-tree compiler: dtc decompiles what we write without a
 * warning, and we read what dtc compiles. In CI (where {@code CI} is set) a missing dtc fails the
 * build instead of skipping these tests.
 */
class DtcInteropTest {
    static final String MISSING = "dtc not found: .ci/run must install device-tree-compiler";

    private Path dtc;

    @TempDir
    Path dir;

    @BeforeEach
    void requireDtc() {
        dtc = onPath("dtc");
        if (dtc == null) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isEmpty()) {
                throw new AssertionError(MISSING);
            }
            Assumptions.assumeTrue(false, MISSING);
        }
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private record Run(int exit, String stderr) {
    }

    private Run dtc(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(dtc.toString());
        command.addAll(List.of(args));
        Path err = dir.resolve("dtc.err");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("dtc did not finish within 60 s: " + command);
        }
        return new Run(p.exitValue(), Files.readString(err));
    }

    @Test
    void dtcDecompilesOurBlobWithoutWarnings() throws Exception {
        Path blob = dir.resolve("virt.dtb");
        Files.write(blob, Fdt.write(VirtTree.build(), List.of(new long[] {0x48000000L, 0x100000}), 0));

        Run run = dtc("-I", "dtb", "-O", "dts", "-o", "out.dts", blob.toString());

        assertThat(run.exit()).as("dtc exit status; stderr: %s", run.stderr()).isZero();
        assertThat(run.stderr()).as("dtc warnings").isEmpty();
        String dts = Files.readString(dir.resolve("out.dts"));
        assertThat(dts).contains(
                "/memreserve/\t0x0000000048000000 0x0000000000100000;",
                "compatible = \"linux,dummy-virt\";",
                "#address-cells = <0x02>;",
                "pl011@9000000 {",
                "compatible = \"arm,pl011\\0arm,primecell\";",
                "reg = <0x00 0x9000000 0x00 0x1000>;",
                "clock-names = \"uartclk\\0apb_pclk\";",
                "memory@40000000 {",
                "reg = <0x00 0x40000000 0x00 0x8000000>;",
                "cpu@1 {",
                "interrupt-controller;",
                "phandle = <0x8001>;",
                "always-on;");
        assertThat(dts.indexOf("chosen {")).as("children in insertion order")
                .isLessThan(dts.indexOf("memory@40000000 {"));
    }

    @Test
    void weReadWhatDtcCompiles() throws Exception {
        Files.writeString(dir.resolve("board.dts"), """
                /dts-v1/;
                /memreserve/ 0x40000000 0x1000;
                / {
                    #address-cells = <2>;
                    #size-cells = <2>;
                    compatible = "linux,dummy-virt";
                    model = "from dtc";
                    intc: interrupt-controller@8000000 {
                        compatible = "arm,cortex-a15-gic";
                        #interrupt-cells = <3>;
                        #address-cells = <0>;
                        interrupt-controller;
                        reg = <0x0 0x08000000 0x0 0x10000>, <0x0 0x08010000 0x0 0x10000>;
                    };
                    pl011@9000000 {
                        compatible = "arm,pl011", "arm,primecell";
                        reg = <0x0 0x09000000 0x0 0x1000>;
                        interrupt-parent = <&intc>;
                        interrupts = <0 1 4>;
                        bytes = [de ad be ef];
                        dma-coherent;
                    };
                };
                """);

        Run run = dtc("-I", "dts", "-O", "dtb", "-b", "2", "-o", "board.dtb", "board.dts");

        assertThat(run.exit()).as("dtc exit status; stderr: %s", run.stderr()).isZero();
        FdtBlob blob = Fdt.readBlob(Files.readAllBytes(dir.resolve("board.dtb")));
        FdtNode root = blob.root();
        assertThat(blob.bootCpuIdPhys()).isEqualTo(2);
        assertThat(blob.memReserve()).singleElement().satisfies(r -> assertThat(r).containsExactly(0x40000000L, 0x1000));
        assertThat(root.property("model").orElseThrow().asString()).isEqualTo("from dtc");
        FdtNode uart = root.find("/pl011@9000000").orElseThrow();
        assertThat(uart.property("compatible").orElseThrow().asStringList()).containsExactly("arm,pl011", "arm,primecell");
        assertThat(uart.property("reg").orElseThrow().asCells()).containsExactly(0, 0x09000000, 0, 0x1000);
        assertThat(uart.property("bytes").orElseThrow().value()).containsExactly(0xde, 0xad, 0xbe, 0xef);
        assertThat(uart.property("dma-coherent").orElseThrow().isEmpty()).isTrue();
        long gic = root.find("/interrupt-controller").orElseThrow().property("phandle").orElseThrow().asU32();
        assertThat(uart.property("interrupt-parent").orElseThrow().asU32()).isEqualTo(gic);

        // And what we write back from it, dtc reads again.
        Files.write(dir.resolve("again.dtb"), Fdt.write(root, blob.memReserve(), blob.bootCpuIdPhys()));
        Run again = dtc("-I", "dtb", "-O", "dtb", "-o", "again2.dtb", "again.dtb");
        assertThat(again.exit()).isZero();
        assertThat(again.stderr()).isEmpty();
        assertThat(Fdt.read(Files.readAllBytes(dir.resolve("again2.dtb")))).isEqualTo(root);
    }
}
