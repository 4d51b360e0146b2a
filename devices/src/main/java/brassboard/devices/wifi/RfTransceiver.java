package brassboard.devices.wifi;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiSlave;
import java.util.List;

/**
 * The WiFi RF transceiver {@code rf0} of docs/devices/wifi.md: an SPI slave with the AD9361's
 * conventions (Analog Devices UG-671) — a 16-bit instruction word (W/R, byte count, 10-bit address)
 * followed by data bytes, MSB first, addresses decrementing — and a reduced register subset at the
 * AD9361's addresses: SPI configuration (soft reset), the RF PLL dividers, calibration control, the
 * product ID, gain and TX attenuation, and two fractional-N synthesizers (RX, TX) that lock a stated
 * virtual time after they are programmed.
 *
 * <p>The RF's status outputs (lock, calibration result: the AD9361's CTRL_OUT pins) reach the baseband
 * through {@link Pins}.
 *
 * <p>Fault point {@code rf.<name>}: {@code pll-unlock} (timed: both synthesizers lose lock and relock
 * only when programmed again), {@code calibration-fail} (kind {@code calibrate}, address = the
 * calibration's bit in CALIBRATION_CTRL), {@code garbage} (kind {@code read}, address = the register:
 * the read returns the value the fault handler chose).
 */
public final class RfTransceiver implements SpiSlave {
    /** What the baseband sees of the RF's status pins. */
    public interface Pins {
        /** A synthesizer gained or lost lock. */
        void lockChanged(boolean rx, boolean locked);

        /** A calibration run ended; {@code failed}: at least one of its calibrations failed. */
        void calibrationFinished(boolean failed);
    }

    // ---------------------------------------------------------------- register addresses ([AD9361] UG-671 register map)
    public static final int SPI_CONF = 0x000;
    public static final int RFPLL_DIVIDERS = 0x005;
    public static final int CALIBRATION_CTRL = 0x016;
    public static final int PRODUCT_ID = 0x037;
    public static final int TX1_ATTEN_0 = 0x073;
    public static final int TX1_ATTEN_1 = 0x074;
    public static final int RX1_MANUAL_LMT_FULL_GAIN = 0x109;
    public static final int RX_INTEGER_BYTE_0 = 0x231;
    public static final int RX_CP_OVERRANGE_VCO_LOCK = 0x247;
    public static final int TX_INTEGER_BYTE_0 = 0x271;
    public static final int TX_CP_OVERRANGE_VCO_LOCK = 0x287;
    /** Invented: one bit per calibration, 1 = it failed in the last run that included it. */
    public static final int CAL_FAILED = 0x3F0;

    /** SPI_CONF: soft reset, bits 7 and 0 (mirrored). */
    public static final int SOFT_RESET = 0x81;
    /** The product ID register's value: invented product 0x50 ("Brassboard BRF-1"), revision 1, in the AD9361's layout. */
    public static final int PRODUCT_ID_VALUE = 0x51;
    /** CALIBRATION_CTRL bits ([AD9361] 0x016). */
    public static final int RX_BB_TUNE = 0x80;
    public static final int TX_BB_TUNE = 0x40;
    public static final int RX_QUAD = 0x20;
    public static final int TX_QUAD = 0x10;
    public static final int RX_GAIN_STEP = 0x08;
    public static final int TXMON = 0x04;
    public static final int RFDC = 0x02;
    public static final int BBDC = 0x01;
    /** The calibrations that need the TX synthesizer; the others need the RX one. */
    static final int TX_CALIBRATIONS = TX_BB_TUNE | TX_QUAD | TXMON;
    /** *_CP_OVERRANGE_VCO_LOCK bits ([AD9361] 0x247/0x287). */
    public static final int VCO_LOCK = 0x02;
    public static final int CP_OVRG_LOW = 0x40;
    public static final int CP_OVRG_HIGH = 0x80;

    /** The PLL reference clock. */
    public static final long REFERENCE_HZ = 40_000_000L;
    /** The fractional modulus of the AD9361's RF PLLs. */
    public static final long MODULUS = 8_388_593L;
    public static final long VCO_MIN_HZ = 6_000_000_000L;
    public static final long VCO_MAX_HZ = 12_000_000_000L;
    /** From the end of the programming transaction to lock. */
    public static final long LOCK_TIME_NS = 40_000;
    /** Each calibration of a run. */
    public static final long CALIBRATION_TIME_NS = 100_000;

    /** One declared register: its address, name, reset value and the bits a write may change. */
    record Reg(int address, String name, int reset, int writable) {
    }

    /** The register map as data (docs/devices/wifi.md, "RF register map"); addresses not here read 0 and ignore writes. */
    static final List<Reg> REGISTERS = List.of(
            new Reg(SPI_CONF, "SPI_CONF", 0x00, 0xFF),
            new Reg(RFPLL_DIVIDERS, "RFPLL_DIVIDERS", 0x11, 0xFF),
            new Reg(CALIBRATION_CTRL, "CALIBRATION_CTRL", 0x00, 0xFF),
            new Reg(PRODUCT_ID, "PRODUCT_ID", PRODUCT_ID_VALUE, 0x00),
            new Reg(TX1_ATTEN_0, "TX1_ATTEN_0", 0x00, 0xFF),
            new Reg(TX1_ATTEN_1, "TX1_ATTEN_1", 0x00, 0x01),
            new Reg(RX1_MANUAL_LMT_FULL_GAIN, "RX1_MANUAL_LMT_FULL_GAIN", 0x00, 0x7F),
            new Reg(RX_INTEGER_BYTE_0, "RX_INTEGER_BYTE_0", 0x00, 0xFF),
            new Reg(RX_INTEGER_BYTE_0 + 1, "RX_INTEGER_BYTE_1", 0x00, 0x07),
            new Reg(RX_INTEGER_BYTE_0 + 2, "RX_FRACT_BYTE_0", 0x00, 0xFF),
            new Reg(RX_INTEGER_BYTE_0 + 3, "RX_FRACT_BYTE_1", 0x00, 0xFF),
            new Reg(RX_INTEGER_BYTE_0 + 4, "RX_FRACT_BYTE_2", 0x00, 0x7F),
            new Reg(RX_CP_OVERRANGE_VCO_LOCK, "RX_CP_OVERRANGE_VCO_LOCK", 0x00, 0x00),
            new Reg(TX_INTEGER_BYTE_0, "TX_INTEGER_BYTE_0", 0x00, 0xFF),
            new Reg(TX_INTEGER_BYTE_0 + 1, "TX_INTEGER_BYTE_1", 0x00, 0x07),
            new Reg(TX_INTEGER_BYTE_0 + 2, "TX_FRACT_BYTE_0", 0x00, 0xFF),
            new Reg(TX_INTEGER_BYTE_0 + 3, "TX_FRACT_BYTE_1", 0x00, 0xFF),
            new Reg(TX_INTEGER_BYTE_0 + 4, "TX_FRACT_BYTE_2", 0x00, 0x7F),
            new Reg(TX_CP_OVERRANGE_VCO_LOCK, "TX_CP_OVERRANGE_VCO_LOCK", 0x00, 0x00),
            new Reg(CAL_FAILED, "CAL_FAILED", 0x00, 0x00));

    /** Fault actions and occurrence kinds of {@code rf.<name>}. */
    public static final String PLL_UNLOCK = "pll-unlock";
    public static final String CALIBRATION_FAIL = "calibration-fail";
    public static final String GARBAGE = "garbage";
    static final String KIND_READ = "read";
    static final String KIND_CALIBRATE = "calibrate";

    private enum Phase { INSTRUCTION, DATA, IGNORE }

    private final String name;
    private final Scheduler scheduler;
    private final Tracer tracer;
    private final FaultPoint point;
    private final FaultSite site = new FaultSite();
    private final Reg[] byAddress = new Reg[1024];
    private final int[] value = new int[1024];
    private final Synthesizer rxSynth;
    private final Synthesizer txSynth;
    private Pins pins = new Pins() {
        @Override
        public void lockChanged(boolean rx, boolean locked) {
        }

        @Override
        public void calibrationFinished(boolean failed) {
        }
    };

    // SPI transaction state (between select and deselect)
    private Phase phase = Phase.IGNORE;
    private int bitCount;
    private int instruction;
    private boolean write;
    private int bytes;
    private int address;
    private int byteIndex;
    private int inByte;
    private int outByte = 0xFF;
    private boolean wroteRx;
    private boolean wroteTx;

    // calibration run
    private int calPending;
    private int calCurrent;
    private boolean calRunFailed;
    private long calEpoch;
    private Scheduler.Event calEvent;

    /** An RF named {@code name} (fault point {@code rf.<name>}, trace source), on the machine's clock. */
    public RfTransceiver(String name, Scheduler scheduler, Tracer tracer, FaultPoints faults) {
        this.name = name;
        this.scheduler = scheduler;
        this.tracer = tracer;
        for (Reg r : REGISTERS) {
            byAddress[r.address()] = r;
        }
        this.rxSynth = new Synthesizer(true, RX_INTEGER_BYTE_0, RX_CP_OVERRANGE_VCO_LOCK, 0);
        this.txSynth = new Synthesizer(false, TX_INTEGER_BYTE_0, TX_CP_OVERRANGE_VCO_LOCK, 4);
        this.point = faults.declare("rf." + name, "the RF transceiver " + name + ": register reads over SPI, calibrations, its synthesizers",
                PLL_UNLOCK, CALIBRATION_FAIL, GARBAGE).filters("address").kinds(KIND_READ, KIND_CALIBRATE)
                .performer((p, s) -> perform(s));
        resetRegisters();
    }

    /** Connects the status pins (the baseband). */
    public void connect(Pins p) {
        this.pins = p;
    }

    @Override
    public String name() {
        return name;
    }

    // ================================================================ the baseband's view

    /** Whether the RX synthesizer is locked within {@code toleranceHz} of {@code frequencyHz}. */
    public boolean rxTunedTo(long frequencyHz, long toleranceHz) {
        return rxSynth.locked && Math.abs(rxSynth.loHz - frequencyHz) <= toleranceHz;
    }

    /** Whether an RX_QUAD calibration passed since the RX synthesizer last gained lock. */
    public boolean rxCalibrated() {
        return rxSynth.locked && rxSynth.calibrated;
    }

    public boolean rxLocked() {
        return rxSynth.locked;
    }

    public boolean txLocked() {
        return txSynth.locked;
    }

    /** The RX synthesizer's LO while locked, else -1. */
    public long rxFrequencyHz() {
        return rxSynth.locked ? rxSynth.loHz : -1;
    }

    public long txFrequencyHz() {
        return txSynth.locked ? txSynth.loHz : -1;
    }

    /** Whether a calibration run is in progress. */
    public boolean calibrating() {
        return calEvent != null;
    }

    /** The register's value as the RF holds it (tests, traces), without side effects. */
    public int peek(int reg) {
        return value[reg & 0x3FF];
    }

    /** RESETB asserted and released: registers to reset values, synthesizers unlocked, calibration abandoned. */
    public void reset() {
        resetRegisters();
        phase = Phase.IGNORE;
    }

    private void resetRegisters() {
        java.util.Arrays.fill(value, 0);
        for (Reg r : REGISTERS) {
            value[r.address()] = r.reset();
        }
        if (calEvent != null) {
            scheduler.cancel(calEvent);
            calEvent = null;
        }
        calPending = 0;
        rxSynth.unlock(true);
        txSynth.unlock(true);
        rxSynth.overrange = 0;
        txSynth.overrange = 0;
    }

    // ================================================================ SPI ([AD9361] "SPI interface")

    @Override
    public void select() {
        phase = Phase.INSTRUCTION;
        bitCount = 0;
        instruction = 0;
        outByte = 0xFF;
        wroteRx = false;
        wroteTx = false;
    }

    @Override
    public int exchange(int mosi, int bits) {
        int miso = 0;
        for (int i = bits - 1; i >= 0; i--) {
            miso = (miso << 1) | outBit();
            shiftIn((mosi >>> i) & 1);
        }
        return miso;
    }

    /** The bit the RF drives on MISO for the bit being clocked now. */
    private int outBit() {
        if (phase != Phase.DATA || write) {
            return 1;
        }
        return (outByte >>> (7 - bitCount)) & 1;
    }

    private void shiftIn(int bit) {
        switch (phase) {
            case INSTRUCTION -> {
                instruction = (instruction << 1) | bit;
                if (++bitCount == 16) {
                    write = (instruction & 0x8000) != 0;
                    bytes = ((instruction >>> 12) & 7) + 1;
                    address = instruction & 0x3FF;
                    byteIndex = 0;
                    bitCount = 0;
                    inByte = 0;
                    phase = Phase.DATA;
                    if (!write) {
                        outByte = read(address);
                    }
                }
            }
            case DATA -> {
                inByte = (inByte << 1) | bit;
                if (++bitCount == 8) {
                    bitCount = 0;
                    int at = (address - byteIndex) & 0x3FF;
                    if (write) {
                        write(at, inByte & 0xFF);
                    }
                    inByte = 0;
                    if (++byteIndex == bytes) {
                        phase = Phase.IGNORE;
                    } else if (!write) {
                        outByte = read((address - byteIndex) & 0x3FF);
                    }
                }
            }
            case IGNORE -> {
            }
        }
    }

    @Override
    public void deselect() {
        phase = Phase.IGNORE;
        if (wroteRx) {
            rxSynth.program();
        }
        if (wroteTx) {
            txSynth.program();
        }
        wroteRx = false;
        wroteTx = false;
    }

    /** A register read over SPI, as the fault point sees it. */
    private int read(int reg) {
        int v = value[reg];
        if (point.armed()) {
            point.fire(site.access(reg, 1, -1, false, v).kind(KIND_READ));
            if (GARBAGE.equals(site.action)) {
                v = (int) site.value & 0xFF;
            }
        }
        return v;
    }

    private void write(int reg, int data) {
        Reg r = byAddress[reg];
        if (r == null) {
            return;
        }
        if (reg != SPI_CONF && (value[SPI_CONF] & SOFT_RESET) != 0) {
            return; // held in reset
        }
        int v = (value[reg] & ~r.writable()) | (data & r.writable());
        switch (reg) {
            case SPI_CONF -> {
                if ((data & SOFT_RESET) != 0) {
                    resetRegisters();
                }
                if ((data & 0x42) != 0) {
                    tracer.warnOnce(name + ".lsb-first", name, "SPI_CONF LSB-first (bits 6/1) is not implemented; transfers stay MSB first");
                }
                value[SPI_CONF] = data;
                return;
            }
            case CALIBRATION_CTRL -> {
                startCalibration(data & 0xFF);
                return;
            }
            case RFPLL_DIVIDERS -> {
                wroteRx |= ((v ^ value[reg]) & 0x0F) != 0;
                wroteTx |= ((v ^ value[reg]) & 0xF0) != 0;
            }
            default -> {
                if (reg >= RX_INTEGER_BYTE_0 && reg < RX_INTEGER_BYTE_0 + 5) {
                    wroteRx = true;
                } else if (reg >= TX_INTEGER_BYTE_0 && reg < TX_INTEGER_BYTE_0 + 5) {
                    wroteTx = true;
                }
            }
        }
        value[reg] = v;
    }

    // ================================================================ synthesizers

    /** One fractional-N RF PLL ([AD9361] RFPLL): VCO = 40 MHz × (N_int + N_frac / 8388593), LO = VCO / 2^(D+1). */
    private final class Synthesizer {
        final boolean rx;
        final int base;
        final int lockReg;
        final int dividerShift;
        boolean locked;
        boolean calibrated;
        long loHz = -1;
        int overrange;
        long epoch;
        Scheduler.Event lockEvent;

        Synthesizer(boolean rx, int base, int lockReg, int dividerShift) {
            this.rx = rx;
            this.base = base;
            this.lockReg = lockReg;
            this.dividerShift = dividerShift;
        }

        String label() {
            return rx ? "RX" : "TX";
        }

        /** The end of a transaction that wrote this synthesizer's word or divider: lose lock, start the lock sequence. */
        void program() {
            unlock(true);
            long nInt = value[base] | (value[base + 1] & 7) << 8;
            long nFrac = value[base + 2] | value[base + 3] << 8 | (value[base + 4] & 0x7F) << 16;
            int d = (value[RFPLL_DIVIDERS] >>> dividerShift) & 0xF;
            long vco = REFERENCE_HZ * (nInt * MODULUS + nFrac) / MODULUS;
            overrange = vco > VCO_MAX_HZ ? CP_OVRG_HIGH : vco < VCO_MIN_HZ ? CP_OVRG_LOW : 0;
            value[lockReg] = overrange;
            if (overrange != 0 || d > 6) {
                if (tracer.enabled()) {
                    tracer.emit(name, "rf.program", String.format("%s synthesizer: VCO %d Hz, divider %d: cannot lock", label(), vco, d));
                }
                return;
            }
            long lo = vco >> (d + 1);
            if (tracer.enabled()) {
                tracer.emit(name, "rf.program", String.format("%s synthesizer: LO %d Hz (VCO %d Hz / %d), lock in %d ns",
                        label(), lo, vco, 2 << d, LOCK_TIME_NS));
            }
            lockEvent = scheduler.schedule(LOCK_TIME_NS, name + "." + label() + ".lock", () -> {
                lockEvent = null;
                locked = true;
                calibrated = false;
                loHz = lo;
                epoch++;
                value[lockReg] = overrange | VCO_LOCK;
                if (tracer.enabled()) {
                    tracer.emit(name, "rf.lock", label() + " synthesizer locked at " + lo + " Hz");
                }
                pins.lockChanged(rx, true);
            });
        }

        /** Loses lock (and any lock sequence in progress); tells the pins when it had lock and {@code notify}. */
        void unlock(boolean notify) {
            if (lockEvent != null) {
                scheduler.cancel(lockEvent);
                lockEvent = null;
            }
            boolean was = locked;
            locked = false;
            calibrated = false;
            loHz = -1;
            epoch++;
            value[lockReg] = overrange;
            if (was) {
                if (tracer.enabled()) {
                    tracer.emit(name, "rf.unlock", label() + " synthesizer lost lock");
                }
                if (notify) {
                    pins.lockChanged(rx, false);
                }
            }
        }
    }

    // ================================================================ calibration

    private void startCalibration(int request) {
        if (calEvent != null) {
            tracer.warnOnce(name + ".cal-busy", name, String.format("CALIBRATION_CTRL written (0x%02x) while a calibration run is in progress: ignored", request));
            return;
        }
        if (request == 0) {
            return;
        }
        value[CALIBRATION_CTRL] = request;
        calPending = request;
        calRunFailed = false;
        nextCalibration();
    }

    /** Starts the lowest pending calibration, or ends the run. */
    private void nextCalibration() {
        if (calPending == 0) {
            calEvent = null;
            if (tracer.enabled()) {
                tracer.emit(name, "rf.cal", calRunFailed ? "calibration run failed" : "calibration run done");
            }
            pins.calibrationFinished(calRunFailed);
            return;
        }
        calCurrent = Integer.lowestOneBit(calPending);
        value[CAL_FAILED] &= ~calCurrent;
        Synthesizer s = (calCurrent & TX_CALIBRATIONS) != 0 ? txSynth : rxSynth;
        boolean forcedFail = false;
        if (point.armed()) {
            point.fire(site.access(calCurrent, 1, -1, false, 0).kind(KIND_CALIBRATE));
            forcedFail = CALIBRATION_FAIL.equals(site.action);
        }
        calEpoch = s.locked ? s.epoch : -1;
        boolean doomed = forcedFail;
        calEvent = scheduler.schedule(CALIBRATION_TIME_NS, name + ".cal", () -> finishCalibration(s, doomed));
    }

    private void finishCalibration(Synthesizer s, boolean forcedFail) {
        boolean failed = forcedFail || !s.locked || s.epoch != calEpoch;
        calPending &= ~calCurrent;
        value[CALIBRATION_CTRL] &= ~calCurrent;
        if (failed) {
            value[CAL_FAILED] |= calCurrent;
            calRunFailed = true;
        } else if (calCurrent == RX_QUAD) {
            s.calibrated = true;
        }
        if (tracer.enabled()) {
            tracer.emit(name, "rf.cal", String.format("calibration 0x%02x %s", calCurrent, failed
                    ? (forcedFail ? "failed (fault)" : "failed: the " + s.label() + " synthesizer was not locked throughout") : "passed"));
        }
        nextCalibration();
    }

    // ================================================================ faults

    private void perform(FaultSite s) {
        switch (s.action) {
            case PLL_UNLOCK -> {
                s.previous = (rxSynth.locked ? 1 : 0) | (txSynth.locked ? 2 : 0);
                rxSynth.unlock(true);
                txSynth.unlock(true);
                s.value = 0;
            }
            case "check" -> {
            }
            default -> s.error = true;
        }
    }
}
