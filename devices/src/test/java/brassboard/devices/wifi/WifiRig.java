package brassboard.devices.wifi;

import static brassboard.devices.wifi.WifiBaseband.*;

import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MmioDevice;
import brassboard.bus.api.MmioRegion;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.ConfigSpace;
import brassboard.bus.pcie.EcamHostBridge;
import java.util.ArrayList;
import java.util.List;

/**
 * The WiFi pair on a small machine, driven from the host side as a driver would: ECAM at 0x3f000000
 * (the baseband at 00:02.0), BAR0 at 0x10000000, RAM at 0x40000000 for the rings, an MSI doorbell at
 * 0x08020000. Every access goes through the system bus as {@code cpu0}; time moves only when asked.
 */
final class WifiRig {
    static final long RAM = 0x4000_0000L;
    static final long ECAM = 0x3F00_0000L;
    static final long BAR = 0x1000_0000L;
    static final long DOORBELL = 0x0802_0000L;
    static final long RX_RING = RAM + 0x1000;
    static final long TX_RING = RAM + 0x2000;
    static final long RX_BUFFERS = RAM + 0x10000;
    static final long TX_BUFFERS = RAM + 0x80000;
    static final int CPU = Masters.cpu(0);

    final Scheduler scheduler = new Scheduler();
    final Tracer tracer = new Tracer(scheduler);
    final List<TraceEvent> events = new ArrayList<>();
    final FaultPoints faults = new FaultPoints();
    final AddressSpace bus = new AddressSpace(tracer, faults);
    final EcamHostBridge bridge = new EcamHostBridge("pcie", 16, tracer);
    final Ram ram = new Ram("ram", 1 << 20);
    final List<byte[]> sent = new ArrayList<>();
    final List<Long> sentAt = new ArrayList<>();
    final List<Long> msis = new ArrayList<>();
    final boolean[] hostLines = new boolean[4];
    int intxAssertions;
    final RfTransceiver rf;
    final WifiBaseband bb;

    final Air air;

    WifiRig() {
        this(6, null, null);
    }

    /** With an air on {@code channel}: frames from {@code traffic} (or none), transmitted ones to {@code tx} too. */
    WifiRig(int channel, Air.Traffic traffic, Pcap.Writer tx) {
        this(channel, traffic, tx, true);
    }

    /** As above; {@code traced}: trace events are collected in {@link #events} (off for measurements). */
    WifiRig(int channel, Air.Traffic traffic, Pcap.Writer tx, boolean traced) {
        if (traced) {
            tracer.addSink(events::add);
        }
        bus.map(RAM, ram);
        bus.map(ECAM, new MmioRegion("ecam", bridge.ecamSize(), bridge.ecam()));
        bus.map(BAR, new MmioRegion("mmio", 0x1000_0000L, bridge.mmioWindow(BAR)));
        bus.map(DOORBELL, new MmioRegion("doorbell", 0x1000, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                msis.add(value);
                return true;
            }
        }));
        for (int i = 0; i < 4; i++) {
            int n = i;
            bridge.intx(i).connect((IrqSink) (line, level) -> {
                if (level && !hostLines[n]) {
                    intxAssertions++;
                }
                hostLines[n] = level;
            });
        }
        rf = new RfTransceiver("rf0", scheduler, tracer, faults);
        air = new Air(scheduler, tracer, channel, traffic, tx);
        bb = new WifiBaseband("wifi0", scheduler, tracer, faults, bus, Masters.DMA_BASE + 1, rf, (t, f) -> {
            sent.add(f);
            sentAt.add(t);
            air.transmitted(t, f);
        });
        bridge.attach(0, 2, 0, bb.function());
        air.attach(bb);
    }

    // ---------------------------------------------------------------- configuration space and BAR0

    long cfgRead(int reg, int size) {
        return bus.read(ECAM + (2L << 15) + reg, size, CPU);
    }

    void cfgWrite(int reg, int size, long v) {
        bus.write(ECAM + (2L << 15) + reg, size, v, CPU);
    }

    /** BAR0 at {@link #BAR}, memory and bus master on. */
    WifiRig enable() {
        cfgWrite(0x10, 4, BAR);
        cfgWrite(ConfigSpace.COMMAND, 2, ConfigSpace.COMMAND_MEMORY | ConfigSpace.COMMAND_MASTER);
        return this;
    }

    int read(int reg) {
        return (int) bus.read(BAR + reg, 4, CPU);
    }

    void write(int reg, int v) {
        bus.write(BAR + reg, 4, v & 0xFFFF_FFFFL, CPU);
    }

    /** INTC: where INTA of device 2 lands after the swizzle. */
    boolean intx() {
        return hostLines[2];
    }

    void step(long ns) {
        scheduler.step(ns);
    }

    /** Enabled, booted: the state a driver starts from. */
    WifiRig booted() {
        enable();
        step(BOOT_NS);
        return this;
    }

    // ---------------------------------------------------------------- SPI through the baseband

    /** One SPI word through SPIDATA, waiting for BUSY to clear. */
    int spiWord(int word) {
        write(SPIDATA, word);
        int guard = 0;
        while ((read(SPISTAT) & SpiMaster.STAT_BUSY) != 0) {
            step(100);
            if (++guard > 10_000) {
                throw new AssertionError("SPISTAT.BUSY never cleared");
            }
        }
        return read(SPIDATA);
    }

    void cs(boolean on) {
        int ctl = read(SPICTL);
        write(SPICTL, on ? ctl | 1 : ctl & ~1);
    }

    /** Writes {@code data} to RF registers from {@code address} down, in one transaction of 8-bit words. */
    void rfWrite(int address, int... data) {
        int instr = 0x8000 | (data.length - 1) << 12 | address;
        cs(true);
        spiWord(instr >>> 8);
        spiWord(instr & 0xFF);
        for (int d : data) {
            spiWord(d);
        }
        cs(false);
    }

    /** Reads one RF register. */
    int rfRead(int address) {
        cs(true);
        spiWord(address >>> 8);
        spiWord(address & 0xFF);
        int v = spiWord(0);
        cs(false);
        return v;
    }

    /** Programs both synthesizers for {@code channel} and waits for lock (no calibration). */
    void tune(int channel) {
        int[] w = WifiChannels.synthesizerWord(channel);
        rfWrite(RfTransceiver.RFPLL_DIVIDERS, w[0] << 4 | w[0]);
        rfWrite(RfTransceiver.RX_INTEGER_BYTE_0 + 4, w[5], w[4], w[3], w[2], w[1]);
        rfWrite(RfTransceiver.TX_INTEGER_BYTE_0 + 4, w[5], w[4], w[3], w[2], w[1]);
        step(RfTransceiver.LOCK_TIME_NS);
    }

    /** Runs the RX and TX quadrature calibrations and waits for them. */
    void calibrate() {
        rfWrite(RfTransceiver.CALIBRATION_CTRL, RfTransceiver.RX_QUAD | RfTransceiver.TX_QUAD);
        step(2 * RfTransceiver.CALIBRATION_TIME_NS);
    }

    // ---------------------------------------------------------------- rings

    /** An RX ring of {@code n} descriptors, all but one given to the device, buffers of 4 KiB (BSEX/BSIZE = 4096), RX on. */
    void rxRing(int n) {
        for (int i = 0; i < n; i++) {
            bus.write(RX_RING + 16L * i, 4, RX_BUFFERS + 4096L * i, CPU);
            bus.write(RX_RING + 16L * i + 4, 4, 0, CPU);
            bus.write(RX_RING + 16L * i + 8, 4, 0, CPU);
            bus.write(RX_RING + 16L * i + 12, 4, 0, CPU);
        }
        write(RDBAL, (int) RX_RING);
        write(RDBAH, 0);
        write(RDLEN, n * 16);
        write(RDH, 0);
        write(RDT, n - 1);
        write(RCTL, RCTL_EN | 1 << 25 | 3 << 16);
    }

    void txRing(int n) {
        write(TDBAL, (int) TX_RING);
        write(TDBAH, 0);
        write(TDLEN, n * 16);
        write(TDH, 0);
        write(TDT, 0);
        write(TCTL, TCTL_EN);
    }

    /** Puts one TX descriptor at {@code index}: buffer, length, CMD. */
    void txDescriptor(int index, long buffer, int length, int cmd) {
        long d = TX_RING + 16L * index;
        bus.write(d, 4, buffer, CPU);
        bus.write(d + 4, 4, 0, CPU);
        bus.write(d + 8, 4, length | (long) cmd << 24, CPU);
        bus.write(d + 12, 4, 0, CPU);
    }

    long ramWord(long address) {
        return bus.read(address, 4, CPU);
    }

    byte[] ramBytes(long address, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) bus.read(address + i, 1, CPU);
        }
        return b;
    }

    void ramLoad(long address, byte[] data) {
        bus.load(address, data);
    }

    /** The trace events of one kind. */
    List<String> trace(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).map(TraceEvent::detail).toList();
    }
}
