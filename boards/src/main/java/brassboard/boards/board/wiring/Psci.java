package brassboard.boards.board.wiring;

import brassboard.arm.api.ArmCpu;

/**
 * PSCI (ARM DEN 0022) as QEMU's {@code virt} machine provides it to firmware without EL3 (any board
 * with a {@code psci} entry):
 * the emulator itself answers the calls on the conduit the device tree names ({@code hvc} by
 * default, as QEMU does when the machine has neither EL2 nor EL3).
 *
 * <p>32-bit function ids (DEN 0022D §5.1): the result goes back in r0.
 */
public final class Psci {
    public static final int PSCI_VERSION = 0x8400_0000;
    public static final int CPU_SUSPEND = 0x8400_0001;
    public static final int CPU_OFF = 0x8400_0002;
    public static final int CPU_ON = 0x8400_0003;
    public static final int AFFINITY_INFO = 0x8400_0004;
    public static final int MIGRATE = 0x8400_0005;
    public static final int MIGRATE_INFO_TYPE = 0x8400_0006;
    public static final int SYSTEM_OFF = 0x8400_0008;
    public static final int SYSTEM_RESET = 0x8400_0009;
    public static final int PSCI_FEATURES = 0x8400_000A;

    // Return codes (DEN 0022D §5.2.2).
    public static final int SUCCESS = 0;
    public static final int NOT_SUPPORTED = -1;
    public static final int INVALID_PARAMETERS = -2;
    public static final int ALREADY_ON = -4;
    /** AFFINITY_INFO results (DEN 0022D §5.7.3). */
    public static final int AFF_ON = 0;
    public static final int AFF_OFF = 1;
    /** PSCI 1.1, what QEMU 7.x reports. */
    public static final int VERSION_1_1 = 0x0001_0001;
    /** MIGRATE_INFO_TYPE: no Trusted OS, migration not required. */
    public static final int TOS_NOT_PRESENT_MP = 2;

    /** What the machine does for SYSTEM_OFF, SYSTEM_RESET and CPU_OFF. */
    public interface Power {
        void systemOff();

        void systemReset();

        void cpuOff(ArmCpu cpu);

        /** How many cores the machine has (MPIDR Aff0 0..n-1, Aff1..3 zero). */
        int cpuCount();

        boolean isOn(int cpu);

        /** Starts core {@code cpu} (checked: it exists and is off) at {@code entry} with r0 = {@code contextId}. */
        void cpuOn(int cpu, int entry, int contextId);
    }

    /** The device-tree {@code method} and conduit: which instruction reaches PSCI. */
    public enum Conduit { HVC, SMC }

    private final Power power;

    public Psci(Power power) {
        this.power = power;
    }

    /** Handles one call; returns a description for the trace. */
    public String call(ArmCpu cpu) {
        int fn = cpu.reg(0);
        int result;
        String name;
        switch (fn) {
            case PSCI_VERSION -> {
                name = "PSCI_VERSION";
                result = VERSION_1_1;
            }
            case SYSTEM_OFF -> {
                name = "SYSTEM_OFF";
                power.systemOff();
                result = SUCCESS;
            }
            case SYSTEM_RESET -> {
                name = "SYSTEM_RESET";
                power.systemReset();
                return name;
            }
            case CPU_OFF -> {
                name = "CPU_OFF";
                power.cpuOff(cpu);
                result = SUCCESS;
            }
            case CPU_ON -> {
                // r1 = target MPIDR, r2 = entry point address, r3 = context id (DEN 0022D §5.6).
                int target = core(cpu.reg(1));
                name = "CPU_ON cpu" + (target < 0 ? "?" : target);
                if (target < 0) {
                    result = INVALID_PARAMETERS;
                } else if (power.isOn(target)) {
                    result = ALREADY_ON;
                } else {
                    power.cpuOn(target, cpu.reg(2), cpu.reg(3));
                    result = SUCCESS;
                }
            }
            case AFFINITY_INFO -> {
                // r1 = target affinity, r2 = lowest affinity level (only level 0 is meaningful here).
                int target = core(cpu.reg(1));
                name = "AFFINITY_INFO";
                if (target < 0 || cpu.reg(2) != 0) {
                    result = INVALID_PARAMETERS;
                } else {
                    result = power.isOn(target) ? AFF_ON : AFF_OFF;
                }
            }
            case MIGRATE_INFO_TYPE -> {
                name = "MIGRATE_INFO_TYPE";
                result = TOS_NOT_PRESENT_MP;
            }
            case PSCI_FEATURES -> {
                name = "PSCI_FEATURES";
                result = supported(cpu.reg(1)) ? SUCCESS : NOT_SUPPORTED;
            }
            default -> {
                name = String.format("unknown function 0x%08x", fn);
                result = NOT_SUPPORTED;
            }
        }
        cpu.setReg(0, result);
        return name;
    }

    /**
     * The core an MPIDR names, or -1: QEMU's virt puts up to 8 cores of a GICv2 machine in one
     * cluster, so Aff0 is the core's index and the higher affinity levels are zero.
     */
    private int core(int mpidr) {
        int affinity = mpidr & 0x00FF_FFFF;
        return affinity < power.cpuCount() ? affinity : -1;
    }

    private static boolean supported(int fn) {
        return switch (fn) {
            case PSCI_VERSION, CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES -> true;
            default -> false;
        };
    }
}
