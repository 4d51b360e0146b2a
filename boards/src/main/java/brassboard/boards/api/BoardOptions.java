package brassboard.boards.api;

import brassboard.firmware.fdt.FdtNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Board inputs that are not part of {@link MachineConfig} (kept apart so that record's canonical
 * constructor stays as other code uses it): the host files that back board storage.
 *
 * @param flash1 the file backing the second flash bank (U-Boot's environment on {@code virt}); a
 *               missing file is created erased at the bank's size; erases and programs are
 *               written through to it as they happen
 * @param kernel when present, the image is a Linux kernel booted as QEMU's {@code -kernel} does
 * @param usb    USB devices on the board's EHCI controller ({@code --usb}); none: no controller
 * @param dtbEdits changes made, in order, to the device tree the board builds before it is handed to
 *               the firmware or kernel (such as U-Boot's verified-boot keys, {@code --fit-key})
 */
public record BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel, List<UsbAttachment> usb,
                           List<Consumer<FdtNode>> dtbEdits) {
    public BoardOptions {
        java.util.Objects.requireNonNull(flash1, "flash1");
        java.util.Objects.requireNonNull(kernel, "kernel");
        usb = List.copyOf(usb);
        dtbEdits = List.copyOf(dtbEdits);
    }

    /** Flash, kernel and USB devices; the device tree as the board builds it. */
    public BoardOptions(Optional<Path> flash1, Optional<KernelBoot> kernel, List<UsbAttachment> usb) {
        this(flash1, kernel, usb, List.of());
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
        return new BoardOptions(Optional.of(file), kernel, usb, dtbEdits);
    }

    /** Boots the image as a Linux kernel with these settings. */
    public BoardOptions withKernel(KernelBoot boot) {
        return new BoardOptions(flash1, Optional.of(boot), usb, dtbEdits);
    }

    /** Adds USB devices (the EHCI controller is there as soon as there is one). */
    public BoardOptions withUsb(UsbAttachment... devices) {
        List<UsbAttachment> all = new ArrayList<>(usb);
        all.addAll(List.of(devices));
        return new BoardOptions(flash1, kernel, all, dtbEdits);
    }

    /** Adds a change to the device tree the board builds (applied after those added before). */
    public BoardOptions withDtbEdit(Consumer<FdtNode> edit) {
        List<Consumer<FdtNode>> all = new ArrayList<>(dtbEdits);
        all.add(edit);
        return new BoardOptions(flash1, kernel, usb, all);
    }
}
