package brassboard.boards.virt;

import brassboard.arm.api.ArmCpu;

/**
 * PSCI (ARM DEN 0022) as QEMU's {@code virt} machine provides it to firmware without EL3:
 * the emulator itself answers the calls on the conduit the device tree names ({@code hvc} by
 * default, as QEMU does when the machine has neither EL2 nor EL3).
 *
 * <p>32-bit function ids (DEN 0022D §5.1): the result goes back in r0.
 */
final class Psci {
    static final int PSCI_VERSION = 0x8400_0000;
    static final int CPU_SUSPEND = 0x8400_0001;
    static final int CPU_OFF = 0x8400_0002;
    static final int CPU_ON = 0x8400_0003;
    static final int AFFINITY_INFO = 0x8400_0004;
    static final int MIGRATE = 0x8400_0005;
    static final int MIGRATE_INFO_TYPE = 0x8400_0006;
    static final int SYSTEM_OFF = 0x8400_0008;
    static final int SYSTEM_RESET = 0x8400_0009;
    static final int PSCI_FEATURES = 0x8400_000A;

    // Return codes (DEN 0022D §5.2.2).
    static final int SUCCESS = 0;
    static final int NOT_SUPPORTED = -1;
    static final int INVALID_PARAMETERS = -2;
    static final int ALREADY_ON = -4;
    /** PSCI 1.1, what QEMU 7.x reports. */
    static final int VERSION_1_1 = 0x0001_0001;
    /** MIGRATE_INFO_TYPE: no Trusted OS, migration not required. */
    static final int TOS_NOT_PRESENT_MP = 2;

    /** What the machine does for SYSTEM_OFF, SYSTEM_RESET and CPU_OFF. */
    interface Power {
        void systemOff();

        void systemReset();

        void cpuOff(ArmCpu cpu);
    }

    /** The device-tree {@code method} and conduit: which instruction reaches PSCI. */
    enum Conduit { HVC, SMC }

    private final Power power;

    Psci(Power power) {
        this.power = power;
    }

    /** Handles one call; returns a description for the trace. */
    String call(ArmCpu cpu) {
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
                // One core for now: core 0 is on; no other core exists (MPIDR affinity in r1).
                name = "CPU_ON";
                result = (cpu.reg(1) & 0x00FF_FFFF) == 0 ? ALREADY_ON : INVALID_PARAMETERS;
            }
            case AFFINITY_INFO -> {
                name = "AFFINITY_INFO";
                result = (cpu.reg(1) & 0x00FF_FFFF) == 0 ? 0 /* ON */ : INVALID_PARAMETERS;
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

    private static boolean supported(int fn) {
        return switch (fn) {
            case PSCI_VERSION, CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES -> true;
            default -> false;
        };
    }
}
