package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;

/**
 * Exception-generating instructions (ARM ARM A5.2.12, A8.8.228 SVC, A8.8.24 BKPT, B9.3.4 HVC,
 * B9.3.14 SMC, A8.8.247 UDF). The board's {@link brassboard.arm.api.CpuCallbacks} see SVC, BKPT, HVC
 * and SMC first and may handle them in the emulator (semihosting, PSCI); otherwise the architected
 * exception follows. This core has no EL2 / EL3, so an unhandled HVC or SMC is UNDEFINED, and both are
 * UNDEFINED in User mode.
 */
public final class ExceptionGenerating {
    private final ArmCore core;

    public ExceptionGenerating(ArmCore core) {
        this.core = core;
    }

    // SVC<c> #<imm24>
    public void svc(int w) {
        if (core.callbacks.onSupervisorCall(core.owner, w & 0xFFFFFF)) {
            return;
        }
        core.supervisorCall();
    }

    // BKPT #<imm16>
    public void bkpt(int w) {
        int imm16 = ((w >>> 4) & 0xFFF0) | (w & 0xF);
        if (core.callbacks.onBreakpoint(core.owner, imm16)) {
            return;
        }
        // A Breakpoint debug event with debug disabled: Prefetch Abort, IFSR = debug event, IFAR unchanged.
        core.prefetchAbort(ArmCore.FS_DEBUG_EVENT, 0, false);
    }

    // HVC #<imm16>
    public void hvc(int w) {
        int imm16 = ((w >>> 4) & 0xFFF0) | (w & 0xF);
        if (core.isPrivileged() && core.callbacks.onHypervisorCall(core.owner, imm16)) {
            return;
        }
        core.policy.undefined();
    }

    // SMC<c> #<imm4>
    public void smc(int w) {
        if (core.isPrivileged() && core.callbacks.onSecureMonitorCall(core.owner, w & 0xF)) {
            return;
        }
        core.policy.undefined();
    }

    // UDF<c> #<imm16>   (permanently UNDEFINED)
    public void udf(int w) {
        core.policy.undefined();
    }
}
