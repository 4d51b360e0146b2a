package brassboard.boards.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Board inputs that are not part of {@link MachineConfig} (kept apart so that record's canonical
 * constructor stays as other code uses it): the host files that back board storage.
 *
 * @param flash1 the file backing the second flash bank (U-Boot's environment on {@code virt}); a
 *               missing file is created erased at the bank's size; erases and programs are
 *               written through to it as they happen
 * @param kernel when present, the image is a Linux kernel booted as QEMU's {@code -kernel} does
 * @param usb    USB devices on the board's EHCI controller ({@code --usb}); none: no controller
 * @param wifi   the WiFi pair and its air ({@code --wifi}); empty: no WiFi device
 */
public record BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel, List<UsbAttachment> usb, Optional<WifiAttachment> wifi) {
    public BoardOptions {
        java.util.Objects.requireNonNull(flash1, "flash1");
        java.util.Objects.requireNonNull(kernel, "kernel");
        java.util.Objects.requireNonNull(wifi, "wifi");
        usb = List.copyOf(usb);
    }

    /** Flash, kernel and USB devices, no WiFi. */
    public BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel, List<UsbAttachment> usb) {
        this(flash1, kernel, usb, Optional.empty());
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
        return new BoardOptions(Optional.of(file), kernel, usb, wifi);
    }

    /** Boots the image as a Linux kernel with these settings. */
    public BoardOptions withKernel(KernelBoot boot) {
        return new BoardOptions(flash1, Optional.of(boot), usb, wifi);
    }

    /** Adds USB devices (the EHCI controller is there as soon as there is one). */
    public BoardOptions withUsb(UsbAttachment... devices) {
        List<UsbAttachment> all = new ArrayList<>(usb);
        all.addAll(List.of(devices));
        return new BoardOptions(flash1, kernel, all, wifi);
    }

    /** Puts the WiFi pair on the board (PCI 00:02.0) in this air. */
    public BoardOptions withWifi(WifiAttachment air) {
        return new BoardOptions(flash1, kernel, usb, Optional.of(air));
    }
}
