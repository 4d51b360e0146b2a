package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;

/**
 * Hints (ARM ARM A5.2.11) and barriers / preloads (A5.7.1). With a single in-order interpreter and
 * no caches, barriers and preloads have nothing to order or fetch and retire as no-ops; WFI / WFE put
 * the core into its waiting state so that {@code run} returns and the board can advance time.
 */
public final class HintsBarriers {
    private final ArmCore core;

    public HintsBarriers(ArmCore core) {
        this.core = core;
    }

    // NOP<c>
    public void nop(int w) {
        // nothing
    }

    // YIELD<c>
    public void yield(int w) {
        // a hint to a multithreaded implementation: nothing to do
    }

    // WFE<c>
    public void wfe(int w) {
        core.waitForEvent();
    }

    // WFI<c>
    public void wfi(int w) {
        core.waitForInterrupt();
    }

    // SEV<c>
    public void sev(int w) {
        core.signalEvent();
        core.callbacks.onSendEvent(core.owner);
    }

    // DBG<c> #<option>
    public void dbg(int w) {
        // a hint to the debug system: nothing to do
    }

    // (unallocated hint: executes as NOP, A5.2.11)
    public void hintOther(int w) {
        // nothing
    }

    // DMB #<option>
    public void dmb(int w) {
        // memory accesses are performed in program order, one at a time
    }

    // DSB #<option>
    public void dsb(int w) {
        // as DMB; nothing is ever outstanding
    }

    // ISB #<option>
    public void isb(int w) {
        // the interpreter fetches every instruction afresh
    }

    // PLD{W} [<Rn>, #+/-<imm12>]
    public void pldImmediate(int w) {
        // no cache to preload
    }

    // PLI [<Rn>, #+/-<imm12>]
    public void pliImmediate(int w) {
        // no cache to preload
    }

    // PLD{W} [<Rn>, +/-<Rm>{, <shift>}]
    public void pldRegister(int w) {
        // no cache to preload
    }

    // PLI [<Rn>, +/-<Rm>{, <shift>}]
    public void pliRegister(int w) {
        // no cache to preload
    }

    // (unallocated memory hint, immediate form: executes as NOP, A5.7.1)
    public void memoryHintImmediate(int w) {
        // nothing
    }

    // (unallocated memory hint, register form: executes as NOP, A5.7.1)
    public void memoryHintRegister(int w) {
        // nothing
    }
}
