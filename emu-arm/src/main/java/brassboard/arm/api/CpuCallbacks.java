package brassboard.arm.api;

/**
 * What a board lets the core call out to: the narrow port for instructions whose effect lies outside
 * the CPU (semihosting, PSCI firmware services, a debugger). Every method has a default that declines,
 * so the core then does what the architecture says.
 *
 * <p>Callbacks run inside an instruction: they may read and write registers through the
 * {@link ArmCpu} they are given (a write to r15 redirects execution) and may {@link ArmCpu#halt} it.
 */
public interface CpuCallbacks {
    /** Callbacks that handle nothing. */
    CpuCallbacks NONE = new CpuCallbacks() {
    };

    /**
     * {@code SVC #imm24}. Return {@code true} when handled (e.g. ARM semihosting, {@code SVC #0x123456}):
     * no exception is taken and execution continues after the SVC.
     */
    default boolean onSupervisorCall(ArmCpu cpu, int imm24) {
        return false;
    }

    /**
     * {@code HVC #imm16} from a privileged mode. Return {@code true} when the emulator handled it (PSCI:
     * function id in r0, result in r0); otherwise the instruction is UNDEFINED (no EL2 on this core).
     */
    default boolean onHypervisorCall(ArmCpu cpu, int imm16) {
        return false;
    }

    /** {@code SMC #imm4} from a privileged mode; as {@link #onHypervisorCall} (no EL3 on this core). */
    default boolean onSecureMonitorCall(ArmCpu cpu, int imm4) {
        return false;
    }

    /** {@code BKPT #imm16}. Return {@code true} to continue after it; otherwise a Prefetch Abort (debug event) is taken. */
    default boolean onBreakpoint(ArmCpu cpu, int imm16) {
        return false;
    }

    /** {@code SEV} executed: a multi-core board forwards the event to the other cores with {@link ArmCpu#signalEvent()}. */
    default void onSendEvent(ArmCpu cpu) {
    }
}
