package brassboard.boards.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Everything a run depends on besides console input: a run is a pure function of these.
 *
 * @param board        board name ({@code virt})
 * @param ramBytes     RAM size
 * @param image        the firmware image
 * @param loadAddress  load address for a raw binary; empty for ELF
 * @param seed         the run's seed (fault plans and anything random draw from it)
 * @param cpuHz        instructions per second of virtual time (each instruction costs one cycle)
 * @param rtcEpochSeconds what the RTC reads at power-on (no host clock in a simulation)
 * @param cpus         how many cores (1 to {@link #MAX_CPUS}); core 0 starts at the image's entry, the
 *                     others wait for PSCI {@code CPU_ON}
 */
public record MachineConfig(String board, long ramBytes, Path image, OptionalLong loadAddress, long seed,
                            long cpuHz, long rtcEpochSeconds, int cpus) {
    /** QEMU's {@code virt} default RAM: 128 MiB. */
    public static final long DEFAULT_RAM = 128L << 20;
    /** 1 GHz: one nanosecond per instruction. */
    public static final long DEFAULT_CPU_HZ = 1_000_000_000L;
    /** 2026-01-01T00:00:00Z, what the RTC reads at power-on unless told otherwise. */
    public static final long DEFAULT_RTC_EPOCH = 1_767_225_600L;
    /** Most cores a machine may have: the GICv2's limit, and QEMU virt's with a GICv2. */
    public static final int MAX_CPUS = 8;

    public MachineConfig {
        Objects.requireNonNull(board, "board");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(loadAddress, "loadAddress");
    }

    public MachineConfig withCpus(int n) {
        return new MachineConfig(board, ramBytes, image, loadAddress, seed, cpuHz, rtcEpochSeconds, n);
    }

    /** A configuration with every default but the image. */
    public static MachineConfig of(Path image) {
        return new MachineConfig("virt", DEFAULT_RAM, image, OptionalLong.empty(), 0, DEFAULT_CPU_HZ, DEFAULT_RTC_EPOCH, 1);
    }

    public MachineConfig withRam(long bytes) {
        return new MachineConfig(board, bytes, image, loadAddress, seed, cpuHz, rtcEpochSeconds, cpus);
    }

    public MachineConfig withBoard(String name) {
        return new MachineConfig(name, ramBytes, image, loadAddress, seed, cpuHz, rtcEpochSeconds, cpus);
    }

    public MachineConfig withLoadAddress(OptionalLong address) {
        return new MachineConfig(board, ramBytes, image, address, seed, cpuHz, rtcEpochSeconds, cpus);
    }

    public MachineConfig withSeed(long s) {
        return new MachineConfig(board, ramBytes, image, loadAddress, s, cpuHz, rtcEpochSeconds, cpus);
    }
}
