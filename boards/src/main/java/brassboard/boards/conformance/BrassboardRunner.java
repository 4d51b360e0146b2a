package brassboard.boards.conformance;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuCallbacks;
import brassboard.arm.api.CpuObserver;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Ram;
import brassboard.bus.api.Tracer;

/**
 * Brassboard's side of the comparison: runs a test case's sequence on an {@link ArmCpu} in User mode,
 * at the same addresses the harness executable uses, and reads back the same state qemu-arm dumps.
 * One runner is reused for many cases (the core is reset before each).
 */
public final class BrassboardRunner {
    /** USR mode, ARM state, IRQ / FIQ / asynchronous aborts unmasked, little-endian: what a Linux process runs in. */
    static final int USR = 0x10;
    /** What sp holds during a sequence on this side; a sequence that writes it is a generator bug. */
    static final int SP_SENTINEL = 0x0BAD_5EED;
    /** CPSR.T. */
    static final int THUMB = 1 << 5;

    /** The result of one run: the final state, or why the sequence did not reach its end. */
    public record Result(CpuState state, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private final AddressSpace bus = new AddressSpace(Tracer.none(), new FaultPoints());
    private final Ram code = new Ram("code", Harness.WINDOW - Harness.BASE);
    private final Ram window = new Ram("window", Harness.WINDOW_SIZE);
    private final ArmCpu cpu;
    private String exception;

    /** A runner that translates every sequence to bytecode at once (the engine the core uses for hot code). */
    public BrassboardRunner() {
        this(Engine.TRANSLATED);
    }

    /** Which of the core's two execution engines runs the sequences. */
    public enum Engine {
        /** Every block translated to JVM bytecode on its first execution ({@code BlockCompiler}). */
        TRANSLATED,
        /** The instruction-at-a-time interpreter only. */
        INTERPRETED
    }

    public BrassboardRunner(Engine engine) {
        bus.map(Harness.BASE, code);
        bus.map(Harness.WINDOW, window);
        cpu = new ArmCpu(0, bus, CpuCallbacks.NONE);
        if (engine == Engine.TRANSLATED) {
            cpu.setCompileThreshold(1);
        } else {
            cpu.setCompileBlocks(false);
        }
        cpu.setObserver(new CpuObserver() {
            @Override
            public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
                if (exception == null) {
                    exception = String.format("took a%s %s exception at 0x%08x",
                            "aeiou".indexOf(kind.charAt(0)) >= 0 ? "n" : "", kind, fromPc);
                }
            }
        });
    }

    /** Runs {@code c}'s sequence placed at {@code address}. */
    public Result run(TestCase c, int address) {
        byte[] bytes = c.code();
        for (int i = 0; i < bytes.length; i++) {
            code.write(address - Harness.BASE + i, 1, bytes[i] & 0xFF);
        }
        // after the sequence: "b ." so that a run that reaches the end stays there
        if (c.thumb()) {
            code.write(address - Harness.BASE + bytes.length, 2, 0xE7FE);
        } else {
            code.write(address - Harness.BASE + bytes.length, 4, 0xEAFF_FFFEL);
        }
        int[] words = c.words();
        window.load(0, c.initial().window());
        cpu.reset(c.thumb() ? address | 1 : address);
        cpu.setCpsr(USR | c.initial().flags() | (c.thumb() ? THUMB : 0));
        brassboard.arm.vfp.Vfp vfp = cpu.vfp();
        vfp.enableForUserMode();
        System.arraycopy(c.initial().d(), 0, vfp.d, 0, 32);
        vfp.writeFpscr(c.initial().fpscr());
        exception = null;
        for (int i = 0; i < 14; i++) {
            cpu.setReg(CpuState.REG_NUMBERS[i], c.initial().regs()[i]);
        }
        cpu.setReg(13, SP_SENTINEL);
        int end = address + bytes.length;
        int limit = words.length + 8;
        String problem = null;
        for (int calls = 0; cpu.pc() != end; calls++) {
            if (calls == limit) {
                problem = String.format("did not reach the end of the sequence in %d runs (pc 0x%08x)", limit, cpu.pc());
                break;
            }
            // Branches only go forward, so this budget cannot carry execution past the "b ." at the end.
            cpu.run(words.length + 1);
            if (exception != null) {
                problem = exception;
                break;
            }
            if (cpu.isHalted()) {
                problem = "halted: " + cpu.haltReason();
                break;
            }
        }
        if (problem == null && cpu.reg(13) != SP_SENTINEL) {
            problem = String.format("wrote sp (0x%08x)", cpu.reg(13));
        }
        int[] regs = new int[14];
        for (int i = 0; i < 14; i++) {
            regs[i] = cpu.reg(CpuState.REG_NUMBERS[i]);
        }
        byte[] after = window.copy(0, Harness.WINDOW_SIZE);
        return new Result(new CpuState(regs, cpu.cpsr(), after, vfp.d.clone(), vfp.fpscr), problem);
    }
}
