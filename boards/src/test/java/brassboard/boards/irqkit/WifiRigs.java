package brassboard.boards.irqkit;

import brassboard.boards.TestImages;
import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.WifiAttachment;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import java.nio.file.Path;

/** A virt machine with the WiFi pair (PCI 00:02.0) on the air {@code wifi}, as {@code run --wifi} builds it. */
public final class WifiRigs {
    private WifiRigs() {
    }

    public static TestImages.Rig rig(Path image, int cpus, String wifi) throws Exception {
        CaptureSink out = new CaptureSink();
        BoardOptions options = BoardOptions.none().withWifi(WifiAttachment.parse(wifi));
        Machine m = Machine.create(MachineConfig.of(image).withCpus(cpus), options, new Console(CharBackend.of(out, CharSource.none())));
        return new TestImages.Rig(m, out);
    }
}
