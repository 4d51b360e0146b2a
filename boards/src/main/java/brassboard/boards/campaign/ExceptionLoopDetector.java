package brassboard.boards.campaign;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuObserver;
import brassboard.boards.api.Machine;
import java.util.Optional;

/**
 * Stops a run whose firmware is caught in an exception loop: a core that takes
 * {@code threshold} synchronous exceptions (undefined instruction, prefetch abort, data abort) of
 * the same kind from the same PC in a row is making no progress — it keeps re-executing the
 * faulting instruction, or its vector or handler faults again and again. Any other synchronous
 * exception (another kind or PC) starts the count again; interrupts in between do not. The core is
 * then halted, which ends the run with {@link brassboard.boards.api.RunResult.Outcome#UNSUPPORTED}.
 */
final class ExceptionLoopDetector {
    private final int threshold;
    private volatile String found;

    private ExceptionLoopDetector(int threshold) {
        this.threshold = threshold;
    }

    /** Watches every core of {@code machine}. */
    static ExceptionLoopDetector attach(Machine machine, int threshold) {
        ExceptionLoopDetector d = new ExceptionLoopDetector(threshold);
        for (ArmCpu cpu : machine.cpus()) {
            cpu.setObserver(CpuObserver.both(cpu.observer(), d.new Core(cpu)));
        }
        return d;
    }

    /** What was found, if the detector stopped the run. */
    Optional<String> found() {
        return Optional.ofNullable(found);
    }

    private final class Core implements CpuObserver {
        private final ArmCpu cpu;
        private String kind;
        private int pc;
        private int count;

        Core(ArmCpu cpu) {
            this.cpu = cpu;
        }

        @Override
        public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
            if (!kind.equals("undefined") && !kind.equals("prefetch-abort") && !kind.equals("data-abort")) {
                if (kind.equals("reset")) {
                    count = 0;
                }
                return;
            }
            if (kind.equals(this.kind) && fromPc == pc) {
                count++;
            } else {
                this.kind = kind;
                this.pc = fromPc;
                count = 1;
            }
            if (count >= threshold && found == null) {
                found = String.format("exception loop on cpu%d: %d %s exceptions in a row from 0x%08x (vector 0x%08x)",
                        cpu.cpuId(), count, kind, fromPc, vectorPc);
                cpu.halt(found);
            }
        }
    }
}
