package brassboard.boards.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A Linux kernel boot, as QEMU's {@code -kernel/-initrd/-append/-dtb}: the kernel is the
 * configuration's image ({@link MachineConfig#image()}); these are the rest.
 *
 * @param initrd  an initial ramdisk placed in RAM and named in {@code /chosen}
 * @param append  the kernel command line, {@code /chosen/bootargs}
 * @param dtb     a device tree blob to hand the kernel instead of the board's own (its {@code /chosen}
 *                and memory node are updated as QEMU does)
 */
public record KernelBoot(Optional<Path> initrd, Optional<String> append, Optional<Path> dtb) {
    /** ARM's COMMAND_LINE_SIZE: the kernel copies at most this many bytes, NUL included, of bootargs. */
    public static final int COMMAND_LINE_SIZE = 1024;

    public KernelBoot {
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(append, "append");
        Objects.requireNonNull(dtb, "dtb");
    }

    /** A kernel with no initrd, no command line and the board's device tree. */
    public static KernelBoot plain() {
        return new KernelBoot(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public KernelBoot withInitrd(Path file) {
        return new KernelBoot(Optional.of(file), append, dtb);
    }

    public KernelBoot withAppend(String commandLine) {
        return new KernelBoot(initrd, Optional.of(commandLine), dtb);
    }

    public KernelBoot withDtb(Path file) {
        return new KernelBoot(initrd, append, Optional.of(file));
    }
}
