package brassboard.boards.api;

import brassboard.firmware.fdt.FdtNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Board inputs that are not part of {@link MachineConfig} (kept apart so that record's canonical
 * constructor stays as other code uses it): the host files that back board storage, the devices a
 * run adds to the board, and changes to the device tree it hands over.
 *
 * @param flash1    the file backing the second flash bank (U-Boot's environment on {@code virt}); a
 *                  missing file is created erased at the bank's size; erases and programs are
 *                  written through to it as they happen
 * @param kernel    when present, the image is a Linux kernel booted as QEMU's {@code -kernel} does
 * @param usb       USB devices on the board's EHCI controller ({@code --usb}); none: no controller
 * @param spiFlash  the SPI NOR flash on the first SPI controller ({@code --spi-flash}); none: no controller
 * @param spiEeprom the SPI EEPROM on the second SPI controller ({@code --spi-eeprom}); none: no controller
 * @param wifi      the WiFi pair and its air ({@code --wifi}); empty: no WiFi device
 * @param dtbEdits  changes made, in order, to the device tree the board builds before it is handed to
 *                  the firmware or kernel (such as U-Boot's verified-boot keys, {@code --fit-key})
 */
public record BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel, List<UsbAttachment> usb,
                           Optional<SpiAttachment> spiFlash, Optional<SpiAttachment> spiEeprom, Optional<WifiAttachment> wifi,
                           List<Consumer<FdtNode>> dtbEdits) {
    public BoardOptions {
        java.util.Objects.requireNonNull(flash1, "flash1");
        java.util.Objects.requireNonNull(kernel, "kernel");
        usb = List.copyOf(usb);
        java.util.Objects.requireNonNull(spiFlash, "spiFlash");
        java.util.Objects.requireNonNull(spiEeprom, "spiEeprom");
        java.util.Objects.requireNonNull(wifi, "wifi");
        dtbEdits = List.copyOf(dtbEdits);
    }

    /** Flash, kernel and USB devices; no SPI memories, no WiFi; the device tree as the board builds it. */
    public BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel, List<UsbAttachment> usb) {
        this(flash1, kernel, usb, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** Flash and kernel only, no USB devices. */
    public BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel) {
        this(flash1, kernel, List.of());
    }

    /** No backing files: flash bank 1 starts zeroed and forgets its contents at exit. */
    public static BoardOptions none() {
        return new BoardOptions(Optional.empty(), Optional.empty(), List.of());
    }

    public BoardOptions withFlash1(Path file) {
        return new BoardOptions(Optional.of(file), kernel, usb, spiFlash, spiEeprom, wifi, dtbEdits);
    }

    /** Boots the image as a Linux kernel with these settings. */
    public BoardOptions withKernel(KernelBoot boot) {
        return new BoardOptions(flash1, Optional.of(boot), usb, spiFlash, spiEeprom, wifi, dtbEdits);
    }

    /** Adds USB devices (the EHCI controller is there as soon as there is one). */
    public BoardOptions withUsb(UsbAttachment... devices) {
        List<UsbAttachment> all = new ArrayList<>(usb);
        all.addAll(List.of(devices));
        return new BoardOptions(flash1, kernel, all, spiFlash, spiEeprom, wifi, dtbEdits);
    }

    /** Puts an SPI NOR flash on the board's first SPI controller. */
    public BoardOptions withSpiFlash(SpiAttachment flash) {
        return new BoardOptions(flash1, kernel, usb, Optional.of(flash), spiEeprom, wifi, dtbEdits);
    }

    /** Puts an SPI EEPROM on the board's second SPI controller. */
    public BoardOptions withSpiEeprom(SpiAttachment eeprom) {
        return new BoardOptions(flash1, kernel, usb, spiFlash, Optional.of(eeprom), wifi, dtbEdits);
    }

    /** Puts the WiFi pair on the board (PCI 00:02.0) in this air. */
    public BoardOptions withWifi(WifiAttachment air) {
        return new BoardOptions(flash1, kernel, usb, spiFlash, spiEeprom, Optional.of(air), dtbEdits);
    }

    /** Adds a change to the device tree the board builds (applied after those added before). */
    public BoardOptions withDtbEdit(Consumer<FdtNode> edit) {
        List<Consumer<FdtNode>> all = new ArrayList<>(dtbEdits);
        all.add(edit);
        return new BoardOptions(flash1, kernel, usb, spiFlash, spiEeprom, wifi, all);
    }
}
