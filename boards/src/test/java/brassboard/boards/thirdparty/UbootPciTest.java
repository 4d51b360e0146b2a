package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.Machine;
import brassboard.boards.api.RunResult;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.PcieEndpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's U-Boot enumerating a PCI endpoint: on QEMU, QEMU's {@code edu} device ({@code -device
 * edu}); on Brassboard, a {@link PcieEndpoint} with edu's configuration space (vendor 0x1234, device
 * 0x11e8, revision 0x10, class 0x00ff00, a 1 MiB 32-bit memory BAR, a 64-bit single-vector MSI
 * capability, INTA). U-Boot's {@code pci} commands must print the same thing on both.
 */
@Tag("thirdparty")
class UbootPciTest {
    @TempDir
    Path dir;

    static final String SCRIPT = String.join("\n",
            "", // stops autoboot
            "pci",
            "pci header 00.01.00",
            "pci bar 00.01.00",
            "pci display.l 00.01.00 0 0x18",
            "pci display.b 00.00.00 0 0x40",
            "pci display.l 00.02.00 0 4",
            "pci write.w 00.01.00 4 0",
            "pci display.w 00.01.00 4 1",
            "poweroff",
            "");

    /** edu's configuration space, as QEMU's hw/misc/edu.c builds it. */
    static PcieEndpoint eduLike(Machine m) {
        ConfigSpace cs = new ConfigSpace(256, 0x1234, 0x11E8, 0x10, 0x00FF00)
                .bar(new ConfigSpace.Bar(0, 1L << 20, ConfigSpace.BarKind.MEMORY32, false))
                .interruptPin(1)
                .msi(1, true, false);
        PcieEndpoint ep = new PcieEndpoint("edu", cs, m.bus(), Masters.DMA_BASE, m.tracer(), m.faults());
        ep.mapBar(0, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                return true;
            }
        });
        return ep;
    }

    @Test
    void pciCommandsPrintWhatTheyPrintOnQemuWithEdu() throws Exception {
        Path qemu = UbootConsole.qemuOrSkip();
        Path flash = dir.resolve("flash1.img");
        UbootTest.writeErased(flash);
        UbootConsole.Session ours = UbootConsole.brassboard(SCRIPT, b -> b.flash1(flash),
                m -> m.pcieHost().orElseThrow().attach(0, 1, 0, eduLike(m)));
        assertThat(ours.result().outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        Path qemuFlash = dir.resolve("qemu-flash1.img");
        UbootTest.writeErased(qemuFlash);
        String theirs = UbootConsole.qemu(qemu, SCRIPT,
                List.of("-drive", "if=pflash,unit=1,format=raw,file=" + qemuFlash.toAbsolutePath(), "-device", "edu"));
        List<String> a = fromPci(ours.lines());
        List<String> b = fromPci(UbootConsole.Session.lines(theirs));
        assertThat(a).contains("00.01.00   0x1234     0x11e8     Build before PCI Rev2.0 0xff");
        assertThat(String.join("\n", a)).as("U-Boot's pci commands: Brassboard (actual) against QEMU (expected)")
                .isEqualTo(String.join("\n", b));
    }

    private static List<String> fromPci(List<String> lines) {
        int at = lines.indexOf("=> pci");
        assertThat(at).as("no '=> pci' in:\n%s", String.join("\n", lines)).isNotNegative();
        List<String> rest = lines.subList(at, lines.size());
        return UbootConsole.upTo(rest, "=> poweroff");
    }
}
