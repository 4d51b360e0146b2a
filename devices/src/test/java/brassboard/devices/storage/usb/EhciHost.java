package brassboard.devices.storage.usb;

import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.Masters;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.usb.ehci.Ehci;
import java.io.ByteArrayOutputStream;

/**
 * A USB host driver for tests, at the register and memory level: an {@link Ehci} on a system bus
 * with 1 MiB of RAM, and transfers made as a driver makes them — a queue head per endpoint in the
 * asynchronous schedule, qTDs in memory (EHCI 1.0 §3.5, §3.6), virtual time stepped until the
 * controller retires them. Only what the usb-storage tests need: control transfers on endpoint 0,
 * bulk transfers with the data toggle kept in the queue head (DTC = 0).
 */
public final class EhciHost {
    public static final long RAM = 0x4000_0000L;
    private static final long QH_BASE = RAM + 0x1000;
    private static final long QTD_BASE = RAM + 0x2000;
    private static final long BUF = RAM + 0x10000;
    private static final long UF = Ehci.MICROFRAME_NS;

    // qTD token (§3.5.3) and QH endpoint characteristics (§3.6.2) fields.
    public static final int ACTIVE = 1 << 7;
    public static final int HALTED = 1 << 6;
    private static final int PID_OUT = 0;
    private static final int PID_IN = 1;
    private static final int PID_SETUP = 2;
    private static final int CERR_3 = 3 << 10;
    private static final int IOC = 1 << 15;
    private static final int DT = 1 << 31;
    private static final int EPS_HIGH = 2 << 12;
    private static final int DTC = 1 << 14;
    private static final int H = 1 << 15;
    private static final int TYPE_QH = 1 << 1;

    public final Scheduler sched = new Scheduler();
    public final Tracer tracer = new Tracer(sched);
    public final AddressSpace bus = new AddressSpace(tracer, new FaultPoints());
    public final Ehci ehci = new Ehci("ehci", sched, tracer, bus, Masters.DMA_BASE, new IrqLine("ehci", tracer));
    /** The status bits (token bits 7:0) of the last transfer's last qTD. */
    public int lastStatus;
    /** Virtual time a transfer may take before the test fails. */
    public long transferLimitNs = 1_000_000_000L;

    public EhciHost() {
        bus.map(RAM, new Ram("ram", 1 << 20));
    }

    public void reg(int offset, int value) {
        ehci.mmio().write(offset, 4, value & 0xFFFF_FFFFL);
    }

    public int reg(int offset) {
        return (int) ehci.mmio().read(offset, 4);
    }

    public void write32(long a, int v) {
        bus.write(a, 4, v & 0xFFFF_FFFFL, Masters.DEBUG);
    }

    public int read32(long a) {
        return (int) bus.read(a, 4, Masters.DEBUG);
    }

    /** Resets root port {@code port} as a driver does (50 ms of reset signalling) and starts the controller. */
    public void resetPortAndRun(int port) {
        reg(Ehci.PORTSC + 4 * port, Ehci.PORT_CSC | Ehci.PORT_PR);
        sched.step(50_000_000);
        reg(Ehci.PORTSC + 4 * port, 0);
        reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
    }

    /** A control transfer; returns the IN data stage's bytes (empty for OUT / no data), or null if it stalled. */
    public byte[] control(int addr, int requestType, int request, int value, int index, int length) {
        byte[] setup = {(byte) requestType, (byte) request, (byte) value, (byte) (value >> 8), (byte) index,
            (byte) (index >> 8), (byte) length, (byte) (length >> 8)};
        boolean in = (requestType & 0x80) != 0;
        long qh = QH_BASE;
        load(BUF, setup);
        long td = QTD_BASE;
        qtd(td, td + 0x20, PID_SETUP, 8, false, 0, BUF);
        int n = 1;
        if (length > 0) {
            qtd(td + 0x20, td + 0x40, in ? PID_IN : PID_OUT, length, false, 1, BUF + 0x1000);
            n++;
        }
        long status = td + 0x20L * n;
        qtd(status, 0, in && length > 0 ? PID_OUT : PID_IN, 0, true, 1, 0);
        queue(qh, addr, 0, 64, true, status, 0);
        if ((lastStatus & HALTED) != 0) {
            return null;
        }
        int left = length > 0 ? read32(td + 0x20 + 8) >>> 16 & 0x7FFF : 0;
        return in ? read(BUF + 0x1000, length - left) : new byte[0];
    }

    /** Bulk OUT of {@code data} to endpoint {@code ep}; returns the token's status bits. */
    public int bulkOut(int addr, int ep, byte[] data) {
        load(BUF, data);
        qtd(QTD_BASE, 0, PID_OUT, data.length, true, 0, BUF);
        queue(QH_BASE + 0x100 * ep, addr, ep, 512, false, QTD_BASE, data.length);
        return lastStatus;
    }

    /** Bulk IN of up to {@code length} bytes from endpoint {@code ep}; the bytes received (null if it halted). */
    public byte[] bulkIn(int addr, int ep, int length) {
        qtd(QTD_BASE, 0, PID_IN, length, true, 0, BUF);
        queue(QH_BASE + 0x100 * ep + 0x80, addr, ep, 512, false, QTD_BASE, length);
        if ((lastStatus & HALTED) != 0) {
            return null;
        }
        int left = read32(QTD_BASE + 8) >>> 16 & 0x7FFF;
        return read(BUF, length - left);
    }

    /** The bulk IN/OUT queue heads start over at DATA0 (after CLEAR_FEATURE(ENDPOINT_HALT)). */
    public void resetToggle(int ep, boolean in) {
        long qh = QH_BASE + 0x100 * ep + (in ? 0x80 : 0);
        write32(qh + 24, 0);
    }

    private void qtd(long a, long next, int pid, int bytes, boolean ioc, int toggle, long buffer) {
        write32(a, next == 0 ? 1 : (int) next);
        write32(a + 4, 1);
        write32(a + 8, ACTIVE | CERR_3 | pid << 8 | bytes << 16 | (ioc ? IOC : 0) | (toggle == 1 ? DT : 0));
        for (int i = 0; i < 5; i++) {
            write32(a + 12 + 4L * i, i == 0 ? (int) buffer : (int) ((buffer & ~0xFFFL) + 0x1000L * i));
        }
    }

    /**
     * Puts queue head {@code qh} (alone, its own H-bit head) on the async schedule with {@code first}
     * as its next qTD, keeping the toggle its overlay holds, and steps time until {@code last} retires.
     */
    private void queue(long qh, int addr, int ep, int maxPacket, boolean control, long last, int bytes) {
        reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
        int toggle = read32(qh + 24) & DT;
        write32(qh, (int) (qh | TYPE_QH));
        write32(qh + 4, addr | ep << 8 | EPS_HIGH | (control ? DTC : 0) | H | maxPacket << 16);
        write32(qh + 8, 1 << 30); // Mult 1
        write32(qh + 12, 0);
        write32(qh + 16, (int) QTD_BASE);
        write32(qh + 20, 1);
        write32(qh + 24, control ? 0 : toggle);
        for (int i = 7; i < 12; i++) {
            write32(qh + 4L * i, 0);
        }
        reg(Ehci.ASYNCLISTADDR, (int) qh);
        reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS | Ehci.CMD_ASE);
        // Enough micro-frames for the bytes (14 full packets each) and the device's busy time.
        long limit = sched.now() + transferLimitNs;
        while ((read32(last + 8) & ACTIVE) != 0 && (read32(qh + 24) & HALTED) == 0 && sched.now() < limit) {
            sched.step(UF);
        }
        lastStatus = read32(last + 8) & 0xFF | read32(QTD_BASE + 8) & HALTED | read32(qh + 24) & HALTED;
        if ((lastStatus & HALTED) == 0 && (read32(last + 8) & ACTIVE) != 0) {
            throw new AssertionError("the transfer did not finish within " + transferLimitNs + " ns of virtual time");
        }
        reg(Ehci.USBCMD, 1 << Ehci.CMD_ITC_SHIFT | Ehci.CMD_RS);
    }

    private void load(long a, byte[] data) {
        bus.load(a, data);
    }

    public byte[] read(long a, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.write((int) bus.read(a + i, 1, Masters.DEBUG));
        }
        return out.toByteArray();
    }
}
