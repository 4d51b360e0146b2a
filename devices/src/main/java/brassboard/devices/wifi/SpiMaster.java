package brassboard.devices.wifi;

import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.api.regs.Access;
import brassboard.bus.api.regs.Register;
import brassboard.bus.api.regs.RegisterBank;
import brassboard.bus.spi.SpiMode;
import brassboard.bus.spi.SpiSlave;

/**
 * The baseband's own SPI master (invented; docs/devices/wifi.md "The SPI master"): one slave, a chip
 * select the driver drives, one word in flight at a time, shifted at SCK = 100 MHz / (2 × (DIV + 1)).
 * The slave sees {@link SpiSlave#exchange} when the word's last bit is clocked.
 */
final class SpiMaster {
    static final int SPICTL = 0x6000;
    static final int SPIDATA = 0x6004;
    static final int SPISTAT = 0x6008;
    /** The clock SCK is divided from. */
    static final long SOURCE_HZ = 100_000_000L;

    static final int STAT_BUSY = 1;
    static final int STAT_DONE = 2;
    static final int STAT_OVR = 4;

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final SpiSlave slave;
    private final Register ctl;
    private final Register data;
    private final Register stat;
    private boolean selected;
    private Scheduler.Event transfer;
    private int mosi;
    private int bits;
    private SpiMode mode;

    SpiMaster(String name, RegisterBank bank, Scheduler scheduler, Tracer tracer, SpiSlave slave) {
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        this.slave = slave;
        this.ctl = bank.define("SPICTL", SPICTL)
                .field("CS", 0, 1, Access.RW)
                .field("BITS", 8, 5, Access.RW, 7)
                .field("CPOL", 16, 1, Access.RW)
                .field("CPHA", 17, 1, Access.RW)
                .field("DIV", 24, 8, Access.RW, 4)
                .onWrite((old, now, written) -> chipSelect());
        this.data = bank.define("SPIDATA", SPIDATA).onWrite((old, now, written) -> send(old, written));
        this.stat = bank.define("SPISTAT", SPISTAT)
                .field("BUSY", 0, 1, Access.RO)
                .field("DONE", 1, 1, Access.W1C)
                .field("OVR", 2, 1, Access.W1C);
    }

    /** Frame size in bits, 4 to 32. */
    private int frameBits() {
        return Math.max(3, ctl.f("BITS").get()) + 1;
    }

    /** One SCK period in ns (rounded up). */
    long bitTimeNs() {
        long hz = SOURCE_HZ / (2L * (ctl.f("DIV").get() + 1));
        return (1_000_000_000L + hz - 1) / hz;
    }

    /** A SPIDATA write: the register keeps showing the last word received ({@code old}) until this one is done. */
    private void send(int old, int word) {
        this.data.set(old);
        if (transfer != null) {
            stat.f("OVR").set(true);
            tracer.warnOnce(name + ".spi.ovr", name, "SPIDATA written while a word is being shifted (SPISTAT.BUSY): the word is dropped (SPISTAT.OVR)");
            return;
        }
        bits = frameBits();
        mosi = bits == 32 ? word : word & ((1 << bits) - 1);
        mode = SpiMode.of(ctl.f("CPOL").isSet(), ctl.f("CPHA").isSet());
        stat.f("BUSY").set(true);
        transfer = scheduler.schedule(bits * bitTimeNs(), name + ".spi", this::complete);
    }

    private void complete() {
        transfer = null;
        int mask = bits == 32 ? -1 : (1 << bits) - 1;
        int miso;
        if (!selected) {
            miso = mask; // clocked to no one: MISO pulled up
        } else if (slave.supports(mode)) {
            miso = slave.exchange(mosi, bits) & mask;
        } else {
            // Sampled on the wrong edge: the slave sees MOSI one bit late, the master MISO one bit early.
            miso = ((slave.exchange(mosi >>> 1, bits) << 1) | 1) & mask;
        }
        data.set(miso);
        stat.f("BUSY").set(false);
        stat.f("DONE").set(true);
        if (tracer.enabled()) {
            tracer.emit(name, "spi.word", String.format("%d bits: mosi 0x%x miso 0x%x%s", bits, mosi, miso, selected ? "" : " (no chip select)"));
        }
        chipSelect();
    }

    /** Applies SPICTL.CS, unless a word is in flight (then when it ends). */
    private void chipSelect() {
        if (transfer != null) {
            return;
        }
        boolean cs = ctl.f("CS").isSet();
        if (cs == selected) {
            return;
        }
        selected = cs;
        if (cs) {
            slave.select();
        } else {
            slave.deselect();
        }
    }

    /** Reset: the word in flight is abandoned, the chip select released (without a deselect: the slave is reset too). */
    void reset() {
        if (transfer != null) {
            scheduler.cancel(transfer);
            transfer = null;
        }
        selected = false;
    }
}
