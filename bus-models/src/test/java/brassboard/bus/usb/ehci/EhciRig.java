package brassboard.bus.usb.ehci;

import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import brassboard.bus.usb.UsbDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * A test bench for the EHCI: 1 MiB of RAM at 0x40000000 on a system bus, the controller as DMA
 * master 64 on it, its IRQ line, and helpers that build schedule structures in RAM by hand.
 */
final class EhciRig {
    static final long RAM = 0x4000_0000L;
    static final long FRAME_LIST = RAM;
    static final long UF = Ehci.MICROFRAME_NS;

    final Scheduler sched = new Scheduler();
    final Tracer tracer = new Tracer(sched);
    final List<TraceEvent> events = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final FaultPoints faults = new FaultPoints();
    final AddressSpace bus = new AddressSpace(tracer, faults);
    final IrqLine irq = new IrqLine("ehci", tracer);
    final Ehci ehci;

    EhciRig() {
        bus.map(RAM, new Ram("ram", 1 << 20));
        tracer.addSink(events::add);
        tracer.setWarningListener(warnings::add);
        ehci = new Ehci("ehci", sched, tracer, bus, Masters.DMA_BASE, irq);
    }

    int reg(int offset) {
        return (int) ehci.mmio().read(offset, 4);
    }

    void reg(int offset, int value) {
        ehci.mmio().write(offset, 4, value & 0xFFFF_FFFFL);
    }

    int portsc(int port) {
        return reg(Ehci.PORTSC + 4 * port);
    }

    void portsc(int port, int value) {
        reg(Ehci.PORTSC + 4 * port, value);
    }

    void write32(long a, int v) {
        bus.write(a, 4, v & 0xFFFF_FFFFL, Masters.DEBUG);
    }

    int read32(long a) {
        return (int) bus.read(a, 4, Masters.DEBUG);
    }

    void writeBytes(long a, byte[] data) {
        bus.load(a, data);
    }

    byte[] readBytes(long a, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) bus.read(a + i, 1, Masters.DEBUG);
        }
        return b;
    }

    void step(long ns) {
        sched.step(ns);
    }

    /** QH endpoint characteristics (dword 1) for a high-speed endpoint. */
    static int epchar(int dev, int ep, int maxPacket, boolean head, boolean dtc, int rl) {
        return dev | ep << 8 | QueueEngine.EPS_HIGH << 12 | (dtc ? QueueEngine.EPCHAR_DTC : 0)
                | (head ? QueueEngine.EPCHAR_H : 0) | maxPacket << 16 | rl << 28;
    }

    /** A qTD token: active, CERR 3. */
    static int token(int pid, int bytes, boolean ioc, int toggle) {
        return QueueEngine.TOKEN_ACTIVE | 3 << QueueEngine.TOKEN_CERR_SHIFT | pid << QueueEngine.TOKEN_PID_SHIFT
                | bytes << QueueEngine.TOKEN_BYTES_SHIFT | (ioc ? QueueEngine.TOKEN_IOC : 0) | toggle << 31;
    }

    /** A queue head whose overlay is idle and whose next qTD is {@code firstQtd} (or T=1 when 0). */
    void qh(long addr, long link, int epchar, int epcap, long firstQtd) {
        write32(addr, (int) link);
        write32(addr + 4, epchar);
        write32(addr + 8, epcap);
        write32(addr + 12, 0);
        write32(addr + 16, firstQtd == 0 ? 1 : (int) firstQtd);
        write32(addr + 20, 1);
        for (int i = 6; i < 12; i++) {
            write32(addr + 4L * i, 0);
        }
    }

    /** A qTD; buffer pages 1-4 follow page 0's. {@code next}/{@code alt} 0 means T=1. */
    void qtd(long addr, long next, long alt, int token, long buffer) {
        write32(addr, next == 0 ? 1 : (int) next);
        write32(addr + 4, alt == 0 ? 1 : (int) alt);
        write32(addr + 8, token);
        write32(addr + 12, (int) buffer);
        for (int i = 1; i < 5; i++) {
            write32(addr + 12 + 4L * i, (int) ((buffer & ~0xFFFL) + 0x1000L * i));
        }
    }

    int qtdToken(long addr) {
        return read32(addr + 8);
    }

    int overlayToken(long qh) {
        return read32(qh + 24);
    }

    static long qhLink(long qh) {
        return qh | QueueEngine.TYPE_QH << QueueEngine.LINK_TYPE_SHIFT;
    }

    /** Runs the controller with ITC {@code itc} and the given schedule enables. */
    void run(int itc, int enables) {
        reg(Ehci.USBCMD, itc << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS | enables);
    }

    /** Connects {@code d} at {@code port} and takes the port through reset to enabled, as a driver does. */
    void plugAndReset(int port, UsbDevice d) {
        ehci.port(port).connect(d);
        portsc(port, Ehci.PORT_CSC | Ehci.PORT_PR);
        step(50_000_000); // the driver's 50 ms of reset signalling
        portsc(port, 0);
    }

    boolean warned(String fragment) {
        return warnings.stream().anyMatch(w -> w.contains(fragment));
    }

    long events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).count();
    }
}
