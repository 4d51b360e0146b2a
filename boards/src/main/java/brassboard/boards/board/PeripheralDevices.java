package brassboard.boards.board;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.SpiAttachment;
import brassboard.bus.spi.SpiBus;
import brassboard.devices.api.CharBackend;
import brassboard.devices.flash.CfiFlash;
import brassboard.devices.rtc.Pl031;
import brassboard.devices.spi.BackingImage;
import brassboard.devices.spi.Pl022;
import brassboard.devices.spi.SpiEeprom;
import brassboard.devices.spi.SpiNorFlash;
import brassboard.devices.storage.api.DiskImageException;
import brassboard.devices.uart.Pl011;
import brassboard.firmware.fdt.FdtNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Catalogue entries for memory-mapped peripherals: ARM PrimeCells (PL011 UART, PL031 RTC, PL022
 * SPI controller), CFI parallel flash, and the SPI parts that sit on a PL022's chip select.
 */
final class PeripheralDevices {
    /** {@code pl022,com-mode} of the spi-pl022 binding: 0 = interrupt-driven transfers (the default, 1, polls). */
    static final int COM_MODE_INTERRUPT = 0;

    private PeripheralDevices() {
    }

    static List<DeviceType> types() {
        return List.of(pl011(), pl031(), cfiFlash(), pl022(), spiNor(), spiEeprom());
    }

    private static ConfigException error(BuildContext ctx, DeviceSpec spec, String field, String what) {
        return new ConfigException(ctx.board().source() + ": line " + spec.line() + ": devices[" + spec.name() + "]"
                + (field.isEmpty() ? "" : "." + field) + ": " + what);
    }

    /** The rate of the clock device {@code spec}'s {@code clock} parameter names. */
    private static long clockHz(BuildContext ctx, DeviceSpec spec) {
        return ctx.board().device(spec.text("clock")).map(c -> c.number("frequency")).orElse(24_000_000L);
    }

    /** A PrimeCell's node: {@code kind@base}, its compatible plus arm,primecell, its window. */
    private static FdtNode primeCell(DeviceTreeWriter.Context dt, DeviceSpec spec, FdtNode parent, String kind, String compatible) {
        return dt.node(spec, parent.child(DeviceTreeWriter.nodeName(kind, spec.window().base())))
                .prop("compatible", compatible, "arm,primecell")
                .propCells("reg", DeviceTreeWriter.Context.reg(spec.window()));
    }

    /**
     * The PL011 (DDI 0183). The board's console ({@code chosen: stdout}) is the machine's console;
     * any other UART's output goes to its {@code output} file when given and, line by line, to the
     * trace ({@code uart.line} events).
     */
    private static DeviceType pl011() {
        return DeviceType.define("pl011", "ARM PrimeCell UART (PL011)")
                .window("regs", 0x1000, 0x1000, false, "the 4 KiB register window")
                .irqs("intr")
                .param(Param.device("clock", "fixed-clock", false, "the fixed-clock device giving UARTCLK and PCLK"))
                .param(Param.outputFile("output", "a file receiving the UART's output (not for the console UART)"))
                .faults("irq.{name}")
                .factory((ctx, spec) -> {
                    CharBackend backend = spec.name().equals(ctx.board().stdout()) ? ctx.console() : secondary(ctx, spec);
                    Pl011 uart = new Pl011(spec.name(), ctx.scheduler(), ctx.tracer(), backend);
                    ctx.map(spec, "regs", uart.mmio());
                    ctx.output(spec, "intr", uart.irq());
                    uart.irq().declareFaultPoint(ctx.faults());
                    ctx.publish(spec.name(), uart);
                    ctx.onReset(uart::reset);
                })
                .node((dt, spec, parent) -> primeCell(dt, spec, parent, "pl011", "arm,pl011")
                        .propCells("interrupts", dt.interrupts(spec, "intr"))
                        .propCells("clocks", dt.phandle(spec.text("clock")), dt.phandle(spec.text("clock")))
                        .prop("clock-names", "uartclk", "apb_pclk"));
    }

    /** A UART other than the console: output to a file (when given) and to the trace, no input. */
    private static CharBackend secondary(BuildContext ctx, DeviceSpec spec) throws ConfigException {
        OutputStream file = null;
        Optional<Path> out = spec.file("output");
        if (out.isPresent()) {
            try {
                file = Files.newOutputStream(out.get());
            } catch (IOException e) {
                throw error(ctx, spec, "output", "cannot create " + out.get() + " (" + e.getMessage() + ")");
            }
        }
        OutputStream sink = file;
        StringBuilder line = new StringBuilder();
        return new CharBackend() {
            @Override
            public void transmit(int b) {
                if (sink != null) {
                    try {
                        sink.write(b);
                    } catch (IOException e) {
                        ctx.tracer().warnOnce(spec.name() + ".output", spec.name(), "cannot write its output file: " + e.getMessage());
                    }
                }
                if (b == '\n') {
                    ctx.tracer().emit(spec.name(), "uart.line", line.toString());
                    line.setLength(0);
                } else if (b != '\r') {
                    line.append((char) b);
                }
            }

            @Override
            public int poll() {
                return -1;
            }

            @Override
            public boolean inputExhausted() {
                return true;
            }

            @Override
            public void close() {
                if (sink != null) {
                    try {
                        sink.close();
                    } catch (IOException e) {
                        // the run is over; nothing to tell anyone
                    }
                }
            }
        };
    }

    /** The PL031 real-time clock (DDI 0224), reading the run's {@code rtc epoch} at power-on. */
    private static DeviceType pl031() {
        return DeviceType.define("pl031", "ARM PrimeCell real-time clock (PL031)")
                .window("regs", 0x1000, 0x1000, false, "the 4 KiB register window")
                .irqs("intr")
                .param(Param.device("clock", "fixed-clock", false, "the fixed-clock device giving PCLK"))
                .faults("irq.{name}")
                .factory((ctx, spec) -> {
                    Pl031 rtc = new Pl031(spec.name(), ctx.scheduler(), ctx.tracer(), ctx.config().rtcEpochSeconds());
                    ctx.map(spec, "regs", rtc.mmio());
                    ctx.output(spec, "intr", rtc.irq());
                    rtc.irq().declareFaultPoint(ctx.faults());
                    ctx.onReset(rtc::reset);
                })
                .node((dt, spec, parent) -> primeCell(dt, spec, parent, "pl031", "arm,pl031")
                        .propCells("interrupts", dt.interrupts(spec, "intr"))
                        .propCells("clocks", dt.phandle(spec.text("clock")))
                        .prop("clock-names", "apb_pclk"));
    }

    /**
     * CFI parallel flash as QEMU's pflash_cfi01 (Intel command set), in {@code banks} equal banks
     * named NAME0, NAME1 ...: an image whose entry is in flash boots from it. Bank files: {@code files}
     * (one per bank, {@code -} for none; created erased when missing), and {@code --flash1} for bank 1
     * of the board's first flash.
     */
    private static DeviceType cfiFlash() {
        return DeviceType.define("cfi-flash", "CFI parallel NOR flash (Intel command set, as QEMU's pflash_cfi01), in banks")
                .window("regs", 256 << 10, 1L << 31, true, "all banks together")
                .param(Param.integer("banks", 1, 1, 4, "equal banks the window splits into, each its own chip"))
                .param(Param.size("sector-size", "256K", 4 << 10, 1 << 20, "erase block size"))
                .param(Param.integer("bank-width", 4, 1, 4, "bytes per access (two x16 parts: 4)"))
                .param(Param.outputFiles("files", "per bank a file backing it, or '-' (created erased when missing; erases and programs are written through)"))
                .factory(PeripheralDevices::buildFlash)
                .node((dt, spec, parent) -> {
                    int banks = (int) spec.number("banks");
                    DeviceSpec.Region w = spec.window();
                    DeviceSpec.Region[] regs = new DeviceSpec.Region[banks];
                    for (int i = 0; i < banks; i++) {
                        regs[i] = new DeviceSpec.Region(spec.name() + i, w.base() + i * (w.size() / banks), w.size() / banks, w.line());
                    }
                    dt.node(spec, parent.child(DeviceTreeWriter.nodeName("flash", w.base())))
                            .prop("compatible", "cfi-flash")
                            .propCells("reg", DeviceTreeWriter.Context.reg(regs))
                            .prop("bank-width", (int) spec.number("bank-width"));
                });
    }

    private static void buildFlash(BuildContext ctx, DeviceSpec spec) throws ConfigException {
        int banks = (int) spec.number("banks");
        DeviceSpec.Region w = spec.window();
        long bankSize = w.size() / banks;
        CfiFlash.Geometry g;
        try {
            g = new CfiFlash.Geometry(bankSize, (int) spec.number("sector-size"), (int) spec.number("bank-width"), 2, 0x89, 0x18);
        } catch (IllegalArgumentException e) {
            throw error(ctx, spec, "", e.getMessage());
        }
        List<String> files = spec.list("files");
        if (files.size() > banks) {
            throw error(ctx, spec, "files", files.size() + " files for " + banks + " banks");
        }
        boolean first = ctx.board().first("cfi-flash").map(d -> d.name().equals(spec.name())).orElse(false);
        for (int i = 0; i < banks; i++) {
            CfiFlash bank = new CfiFlash(spec.name() + i, g, ctx.tracer());
            Optional<Path> file = i < files.size() && !files.get(i).equals("-") ? Optional.of(Path.of(files.get(i))) : Optional.empty();
            String option = "files[" + i + "]";
            if (first && i == 1 && ctx.options().flash1().isPresent()) {
                file = ctx.options().flash1();
                option = "--flash1";
            }
            if (file.isPresent()) {
                try {
                    bank.persistTo(file.get());
                } catch (IOException e) {
                    throw new ConfigException(option.equals("--flash1") ? "--flash1 " + e.getMessage()
                            : ctx.board().source() + ": line " + spec.line() + ": devices[" + spec.name() + "]." + option + ": " + e.getMessage());
                }
            }
            ctx.bus().map(w.base() + i * bankSize, bank);
            ctx.onReset(bank::reset);
        }
    }

    /**
     * The PL022 synchronous serial port (DDI 0194) as an SPI master, its one chip select (SSPFSSOUT)
     * offered to a part listed under it; node per Linux's spi-pl022 binding (SSPCLK and the APB clock).
     */
    private static DeviceType pl022() {
        return DeviceType.define("pl022", "ARM PrimeCell synchronous serial port (PL022) as an SPI master")
                .window("regs", 0x1000, 0x1000, false, "the 4 KiB register window")
                .irqs("intr")
                .offers(DeviceType.Bus.SPI, 0, 1, null)
                .param(Param.device("clock", "fixed-clock", false, "the fixed-clock device giving SSPCLK and PCLK"))
                .faults("spi.{name}.transfer", "irq.{name}")
                .factory((ctx, spec) -> {
                    SpiBus spiBus = new SpiBus(spec.name(), ctx.tracer());
                    spiBus.declareFaultPoint(ctx.faults());
                    Pl022 ssp = new Pl022(spec.name(), ctx.scheduler(), ctx.tracer(), spiBus, clockHz(ctx, spec));
                    ctx.map(spec, "regs", ssp.mmio());
                    ctx.output(spec, "intr", ssp.irq());
                    ssp.irq().declareFaultPoint(ctx.faults());
                    ctx.publish(spec.name(), ssp);
                    ctx.onReset(ssp::reset);
                })
                .node((dt, spec, parent) -> dt.node(spec, parent.child(DeviceTreeWriter.nodeName("spi", spec.window().base())))
                        .prop("compatible", "arm,pl022", "arm,primecell")
                        .propCells("reg", DeviceTreeWriter.Context.reg(spec.window()))
                        .propCells("interrupts", dt.interrupts(spec, "intr"))
                        .propCells("clocks", dt.phandle(spec.text("clock")), dt.phandle(spec.text("clock")))
                        .prop("clock-names", "sspclk", "apb_pclk")
                        .prop("num-cs", spec.type().positions(spec))
                        .prop("#address-cells", 1)
                        .prop("#size-cells", 0));
    }

    /** The part's array: from its {@code when} option's file, else its {@code file}. */
    private static BackingImage backing(BuildContext ctx, DeviceSpec spec, int size, String part) throws ConfigException {
        Optional<SpiAttachment> option = spec.when().flatMap(w -> switch (w) {
            case "spi-flash" -> ctx.options().spiFlash();
            case "spi-eeprom" -> ctx.options().spiEeprom();
            default -> Optional.empty();
        });
        Path file = option.map(SpiAttachment::file).orElse(spec.file("file").orElse(null));
        boolean writeThrough = option.map(SpiAttachment::writeThrough).orElse(spec.flag("write-through"));
        if (file == null) {
            return BackingImage.blank(size, 0xFF); // a new part: erased, forgotten at exit
        }
        try {
            return BackingImage.open(file, size, writeThrough, part);
        } catch (DiskImageException e) {
            throw option.isPresent() ? new ConfigException("--" + spec.when().get() + " " + e.getMessage()) : error(ctx, spec, "file", e.getMessage());
        }
    }

    /** A W25Q80BL SPI NOR flash (1 MiB, JEDEC EF4014) on a chip select. */
    private static DeviceType spiNor() {
        return DeviceType.define("spi-nor", "Winbond W25Q80BL SPI NOR flash (1 MiB) on an SPI chip select")
                .on(DeviceType.Bus.SPI)
                .param(Param.file("file", "the 1 MiB image backing the array; none: a blank (erased) part forgotten at exit"))
                .param(Param.bool("write-through", false, "write erases and programs back to the file"))
                .param(Param.integer("endurance", 0, 0, Long.MAX_VALUE >> 1, "program/erase cycles a sector survives (0: no limit)"))
                .param(Param.integer("max-hz", 12_000_000, 1, 133_000_000, "spi-max-frequency"))
                .faults("flash.{name}.erase")
                .factory((ctx, spec) -> {
                    BackingImage array = backing(ctx, spec, SpiNorFlash.W25Q80BL.size(), SpiNorFlash.W25Q80BL.name());
                    SpiNorFlash flash = new SpiNorFlash(spec.name(), SpiNorFlash.W25Q80BL, array, ctx.scheduler(), ctx.tracer());
                    Optional<SpiAttachment> option = spec.when().filter("spi-flash"::equals).flatMap(w -> ctx.options().spiFlash());
                    if (option.isPresent()) {
                        option.get().endurance().ifPresent(flash::endurance);
                    } else if (spec.number("endurance") > 0) {
                        flash.endurance(spec.number("endurance"));
                    }
                    flash.declareFaultPoint(ctx.faults());
                    ctx.model(spec.parent(), Pl022.class).bus().attach(spec.position(), flash);
                    ctx.publish(spec.name(), flash);
                    ctx.onReset(flash::reset);
                })
                .node((dt, spec, parent) -> {
                    FdtNode n = dt.node(spec, parent.child("flash@" + Integer.toHexString(spec.position())))
                            .prop("compatible", "jedec,spi-nor")
                            .propCells("reg", spec.position())
                            .prop("spi-max-frequency", (int) spec.number("max-hz"));
                    if (dt.device(spec.parent()).type().name().equals("pl022")) {
                        n.prop("pl022,com-mode", COM_MODE_INTERRUPT); // spi-nor's transfers interrupt-driven
                    }
                });
    }

    /** An AT25256 SPI EEPROM (32 KiB) on a chip select, left to the at25 driver's default (polled) transfers. */
    private static DeviceType spiEeprom() {
        return DeviceType.define("spi-eeprom", "Atmel AT25256 SPI EEPROM (32 KiB) on an SPI chip select")
                .on(DeviceType.Bus.SPI)
                .param(Param.file("file", "the 32 KiB image backing the array; none: a blank (erased) part forgotten at exit"))
                .param(Param.bool("write-through", false, "write each byte written back to the file"))
                .param(Param.integer("max-hz", 5_000_000, 1, 20_000_000, "spi-max-frequency"))
                .factory((ctx, spec) -> {
                    BackingImage array = backing(ctx, spec, SpiEeprom.AT25256.size(), SpiEeprom.AT25256.name());
                    SpiEeprom eeprom = new SpiEeprom(spec.name(), SpiEeprom.AT25256, array, ctx.scheduler(), ctx.tracer());
                    ctx.model(spec.parent(), Pl022.class).bus().attach(spec.position(), eeprom);
                    ctx.publish(spec.name(), eeprom);
                    ctx.onReset(eeprom::reset);
                })
                .node((dt, spec, parent) -> dt.node(spec, parent.child("eeprom@" + Integer.toHexString(spec.position())))
                        .prop("compatible", "atmel,at25")
                        .propCells("reg", spec.position())
                        .prop("spi-max-frequency", (int) spec.number("max-hz"))
                        .prop("size", SpiEeprom.AT25256.size())
                        .prop("pagesize", SpiEeprom.AT25256.pageSize())
                        .prop("address-width", SpiEeprom.AT25256.addressBytes() * 8));
    }
}
