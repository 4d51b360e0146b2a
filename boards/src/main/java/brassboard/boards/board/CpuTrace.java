package brassboard.boards.board;

import brassboard.arm.api.CpuObserver;
import brassboard.arm.disasm.A32Disassembler;
import brassboard.bus.api.Tracer;

/** Turns a CPU's observer callbacks into trace events. */
final class CpuTrace implements CpuObserver {
    private final String source;
    private final Tracer tracer;

    CpuTrace(String source, Tracer tracer) {
        this.source = source;
        this.tracer = tracer;
    }

    @Override
    public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
        if (tracer.enabled()) {
            tracer.emit(source, "cpu.exception", String.format("%s at pc 0x%08x -> vector 0x%08x, mode 0x%02x", kind, fromPc, vectorPc, newMode));
        }
    }

    @Override
    public void onExceptionReturn(int toPc, int newMode) {
        if (tracer.enabled()) {
            tracer.emit(source, "cpu.eret", String.format("return to 0x%08x, mode 0x%02x", toPc, newMode));
        }
    }

    @Override
    public void onUndefined(int pc, int word) {
        if (tracer.enabled()) {
            tracer.emit(source, "cpu.undefined", String.format("undefined instruction 0x%08x (%s) at 0x%08x", word,
                    A32Disassembler.disassemble(word, pc).replace('\t', ' ').replaceAll(" +", " ").strip(), pc));
        }
    }

    @Override
    public void onBusError(int pc, long address, boolean write) {
        if (tracer.enabled()) {
            tracer.emit(source, "cpu.bus-error", String.format("%s of 0x%08x at pc 0x%08x: external abort", write ? "write" : "read", address, pc));
        }
    }

    @Override
    public void onHalt(String reason) {
        tracer.emit(source, "cpu.halt", reason);
    }
}
