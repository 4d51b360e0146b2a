package brassboard.bus.pcie;

import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.MemoryBus;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.Tracer;

/**
 * A minimal DMA engine as a PCIe endpoint, for tests: BAR0 (4 KiB) holds SRC, DST, LEN and GO; writing
 * GO copies LEN bytes from SRC to DST through the endpoint's DMA port and raises its interrupt (MSI
 * vector 0 when MSI is on, else INTA).
 */
final class TestEndpoint {
    static final int SRC = 0x00;
    static final int DST = 0x04;
    static final int LEN = 0x08;
    static final int GO = 0x0C;

    final PcieEndpoint function;
    private final long[] regs = new long[4];
    DmaPort.Result lastResult;

    TestEndpoint(String name, MemoryBus bus, int master, Tracer tracer, FaultPoints faults) {
        ConfigSpace cs = new ConfigSpace(4096, 0x1B36, 0xBEEF, 1, 0xFF0000)
                .bar(new ConfigSpace.Bar(0, 4096, ConfigSpace.BarKind.MEMORY32, false))
                .interruptPin(1)
                .pciExpressEndpoint()
                .msi(4, true, true);
        function = new PcieEndpoint(name, cs, bus, master, tracer, faults);
        function.mapBar(0, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return offset < 16 ? regs[(int) offset >> 2] : 0;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                if (offset == GO) {
                    go();
                } else if (offset < 16) {
                    regs[(int) offset >> 2] = value;
                }
                return true;
            }
        });
    }

    private void go() {
        byte[] buf = new byte[(int) regs[LEN >> 2]];
        lastResult = function.dma().read(regs[SRC >> 2], buf, 0, buf.length);
        if (lastResult.ok()) {
            lastResult = function.dma().write(regs[DST >> 2], buf, 0, buf.length);
        }
        if (function.msiEnabled()) {
            function.msi(0);
        } else {
            function.intx(true);
        }
    }
}
