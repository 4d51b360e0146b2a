package brassboard.boards.irqkit;

import brassboard.boards.TestImages;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.Masters;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.devices.wifi.Air;
import brassboard.devices.wifi.RfTransceiver;
import brassboard.devices.wifi.WifiBaseband;
import java.nio.file.Path;

/** A virt machine with the WiFi pair (PCI 00:02.0) on a generated air, as --wifi builds it. */
final class WifiRigs {
    private WifiRigs() {
    }

    static TestImages.Rig rig(Path image, int cpus, String wifi) throws Exception {
        CaptureSink out = new CaptureSink();
        Machine m = Machine.create(MachineConfig.of(image).withCpus(cpus), new Console(CharBackend.of(out, CharSource.none())));
        int channel = 6;
        long rate = 0;
        long count = Long.MAX_VALUE;
        long start = 0;
        for (String kv : wifi.split(",")) {
            String[] p = kv.split("=", 2);
            switch (p[0]) {
                case "channel" -> channel = Integer.parseInt(p[1]);
                case "rx-rate" -> rate = Long.parseLong(p[1]);
                case "rx-count" -> count = Long.parseLong(p[1]);
                case "rx-start" -> start = Long.parseLong(p[1].replace("ms", "")) * 1_000_000L;
                default -> throw new IllegalArgumentException(kv);
            }
        }
        RfTransceiver rf = new RfTransceiver("rf0", m.scheduler(), m.tracer(), m.faults());
        Air air = new Air(m.scheduler(), m.tracer(), channel, Air.generator(rate, 256, 0, count, start), null);
        WifiBaseband bb = new WifiBaseband("wifi0", m.scheduler(), m.tracer(), m.faults(), m.bus(), Masters.DMA_BASE + 1, rf, air);
        m.pcieHost().orElseThrow().attach(0, 2, 0, bb.function());
        air.attach(bb);
        return new TestImages.Rig(m, out);
    }
}
