package brassboard.boards.virt;

import brassboard.arm.gic.Gic;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.SpiAttachment;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.MmioRegion;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.spi.SpiBus;
import brassboard.devices.spi.BackingImage;
import brassboard.devices.spi.Pl022;
import brassboard.devices.spi.SpiEeprom;
import brassboard.devices.spi.SpiNorFlash;
import brassboard.devices.storage.api.DiskImageException;
import brassboard.firmware.fdt.FdtNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code virt} board's SPI, Brassboard's addition to QEMU's map (docs/devices/spi.md): with
 * {@code --spi-flash}, a PL022 ({@link VirtMap#SPI0}) with a W25Q80BL NOR flash on its chip select;
 * with {@code --spi-eeprom}, a second PL022 ({@link VirtMap#SPI1}) with an AT25256 EEPROM. One part
 * per controller because a PL022 has one chip select of its own (SSPFSSOUT); more would need GPIO
 * chip selects, and virt has no GPIO controller modelled yet.
 *
 * <p>Fault points: {@code spi.spi0.transfer} / {@code spi.spi1.transfer} (the buses),
 * {@code flash.flash0.erase} (the flash), {@code irq.spi0} / {@code irq.spi1} (SSPINTR).
 */
public final class SpiWiring {
    /** SCK for the flash: the PL022's fastest on virt's 24 MHz SSPCLK (CPSDVSR 2, SCR 0). */
    static final int FLASH_MAX_HZ = 12_000_000;
    /** SCK for the EEPROM: the AT25256B's limit at its lowest supply voltage. */
    static final int EEPROM_MAX_HZ = 5_000_000;
    /** {@code pl022,com-mode} of the spi-pl022 binding: 0 = interrupt-driven transfers (the default, 1, polls). */
    static final int COM_MODE_INTERRUPT = 0;

    private final List<Runnable> resets = new ArrayList<>();
    private SpiNorFlash flash;
    private SpiEeprom eeprom;
    private Pl022 spi0;
    private Pl022 spi1;

    private SpiWiring() {
    }

    /**
     * Opens the backing files (nothing is built when one is refused) and builds the controllers and
     * parts asked for, mapped, wired to the GIC and with their fault points declared.
     *
     * @throws ConfigException one line naming the option and the file's problem
     */
    static SpiWiring attach(Optional<SpiAttachment> flashSpec, Optional<SpiAttachment> eepromSpec, AddressSpace bus, Gic gic,
                            Scheduler scheduler, Tracer tracer, FaultPoints faults) throws ConfigException {
        SpiWiring w = new SpiWiring();
        BackingImage flashArray = open("--spi-flash", flashSpec, SpiNorFlash.W25Q80BL.size(), SpiNorFlash.W25Q80BL.name());
        BackingImage eepromArray = open("--spi-eeprom", eepromSpec, SpiEeprom.AT25256.size(), SpiEeprom.AT25256.name());
        if (flashArray != null) {
            w.spi0 = controller(VirtMap.SPI0, bus, gic, scheduler, tracer, faults, w.resets);
            w.flash = new SpiNorFlash("flash0", SpiNorFlash.W25Q80BL, flashArray, scheduler, tracer);
            flashSpec.get().endurance().ifPresent(w.flash::endurance);
            w.flash.declareFaultPoint(faults);
            w.spi0.bus().attach(0, w.flash);
            w.resets.add(w.flash::reset);
        }
        if (eepromArray != null) {
            w.spi1 = controller(VirtMap.SPI1, bus, gic, scheduler, tracer, faults, w.resets);
            w.eeprom = new SpiEeprom("eeprom0", SpiEeprom.AT25256, eepromArray, scheduler, tracer);
            w.spi1.bus().attach(0, w.eeprom);
            w.resets.add(w.eeprom::reset);
        }
        return w;
    }

    private static BackingImage open(String option, Optional<SpiAttachment> spec, int size, String part) throws ConfigException {
        if (spec.isEmpty()) {
            return null;
        }
        try {
            return BackingImage.open(spec.get().file(), size, spec.get().writeThrough(), part);
        } catch (DiskImageException e) {
            throw new ConfigException(option + " " + e.getMessage());
        }
    }

    private static Pl022 controller(VirtMap.Entry e, AddressSpace bus, Gic gic, Scheduler scheduler, Tracer tracer,
                                    FaultPoints faults, List<Runnable> resets) {
        SpiBus spiBus = new SpiBus(e.name(), tracer);
        spiBus.declareFaultPoint(faults);
        Pl022 ssp = new Pl022(e.name(), scheduler, tracer, spiBus, VirtDeviceTree.APB_PCLK_HZ);
        bus.map(e.base(), new MmioRegion(e.name(), e.size(), ssp.mmio()));
        ssp.irq().connect(gic.spi(e.spi()));
        ssp.irq().declareFaultPoint(faults);
        resets.add(ssp::reset);
        return ssp;
    }

    /** Power-on reset of every controller and part (the files' contents stay). */
    void reset() {
        resets.forEach(Runnable::run);
    }

    /** The flash, or null. */
    public SpiNorFlash flash() {
        return flash;
    }

    /** The EEPROM, or null. */
    public SpiEeprom eeprom() {
        return eeprom;
    }

    /** The flash's controller, or null. */
    public Pl022 spi0() {
        return spi0;
    }

    /** The EEPROM's controller, or null. */
    public Pl022 spi1() {
        return spi1;
    }

    /**
     * The controllers' nodes, per Linux's spi-pl022 binding (arm,pl022 + arm,primecell; SSPCLK and
     * the APB clock, both virt's 24 MHz apb-pclk, as the PL011 node does), each with its part at
     * chip select 0: the flash as {@code jedec,spi-nor} (spi-nor identifies it by its JEDEC ID),
     * driven interrupt by interrupt; the EEPROM as {@code atmel,at25} with the size, page size and
     * address width the at25 binding requires, left to the driver's default (polled) transfers.
     */
    static void addNodes(FdtNode root, boolean withFlash, boolean withEeprom) {
        if (withFlash) {
            VirtDeviceTree.spiController(root, VirtMap.SPI0)
                    .child("flash@0")
                    .prop("compatible", "jedec,spi-nor")
                    .propCells("reg", 0)
                    .prop("spi-max-frequency", FLASH_MAX_HZ)
                    .prop("pl022,com-mode", COM_MODE_INTERRUPT);
        }
        if (withEeprom) {
            VirtDeviceTree.spiController(root, VirtMap.SPI1)
                    .child("eeprom@0")
                    .prop("compatible", "atmel,at25")
                    .propCells("reg", 0)
                    .prop("spi-max-frequency", EEPROM_MAX_HZ)
                    .prop("size", SpiEeprom.AT25256.size())
                    .prop("pagesize", SpiEeprom.AT25256.pageSize())
                    .prop("address-width", SpiEeprom.AT25256.addressBytes() * 8);
        }
    }
}
