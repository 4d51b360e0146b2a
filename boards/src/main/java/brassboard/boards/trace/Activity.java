package brassboard.boards.trace;

import brassboard.arm.api.ArmCpu;
import brassboard.arm.api.CpuObserver;
import brassboard.boards.api.Machine;
import brassboard.firmware.api.Symbol;
import brassboard.firmware.api.SymbolTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches every CPU of a machine and turns what they do into well-nested slices for
 * {@link ActivityListener}s: exceptions (entry to return), function spans, IRQ masking, and GIC
 * acknowledgements.
 *
 * <p>A function span begins when a CPU is about to execute the function's first instruction (a
 * PC hook) and ends when that CPU reaches the return address (LR at entry) with SP back at or
 * above its value at entry — so recursion and nesting pair up by stack depth, and a tail call
 * that returns to the same place ends both spans. An exception taken inside a span nests under
 * it. When an exception returns, spans opened inside it and still open are cut there; when a
 * span ends, anything opened inside it and still open is cut. Everything still open at
 * {@link #finish()} ends then.
 */
public final class Activity {
    private final LongSupplier clock;
    private final SymbolTable symbols;
    private final List<ActivityListener> listeners;
    private final Map<Integer, String> entries = new LinkedHashMap<>();
    private final List<Tracker> trackers = new ArrayList<>();
    /** Finds span functions in Linux modules as they load; {@code null} when the symbols are not a Linux kernel's. */
    private LinuxModuleSymbols modules;
    /** The entry of {@link LinuxModuleSymbols#LOADER}, hooked on every CPU while {@link #modules} is set. */
    private int moduleLoader;
    private boolean finished;

    private Activity(LongSupplier clock, SymbolTable symbols, List<ActivityListener> listeners) {
        this.clock = clock;
        this.symbols = symbols;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Attaches to every CPU of {@code machine} (chaining their existing observers) and to its GIC.
     * {@code spanFunctions} are looked up in {@code symbols}; names that are missing or are not
     * functions are reported once, together, to {@code warn}, and not traced. When the symbols are
     * a Linux kernel's (they have the ARM module loader's {@value LinuxModuleSymbols#LOADER}), a
     * missing name is also looked for in each module the kernel loads, and traced from then on;
     * the functions {@link SpanProfiles#inLinuxModule} names are then not reported missing.
     */
    public static Activity attach(Machine machine, SymbolTable symbols, List<String> spanFunctions,
                                  List<ActivityListener> listeners, Consumer<String> warn) {
        Activity a = new Activity(machine.scheduler()::now, symbols, listeners);
        List<String> missing = new ArrayList<>();
        for (String name : spanFunctions) {
            Symbol s = symbols.lookup(name).orElse(null);
            if (s == null || s.kind() == Symbol.Kind.OBJECT) {
                if (!missing.contains(name)) {
                    missing.add(name);
                }
                continue;
            }
            a.entries.putIfAbsent((int) s.address(), name);
        }
        Symbol loader = symbols.lookup(LinuxModuleSymbols.LOADER).filter(s -> s.kind() != Symbol.Kind.OBJECT).orElse(null);
        if (loader != null && !missing.isEmpty()) {
            a.modules = new LinuxModuleSymbols(new java.util.HashSet<>(missing), machine.bus());
            a.moduleLoader = (int) loader.address();
            missing.removeIf(SpanProfiles::inLinuxModule);
        }
        if (!missing.isEmpty()) {
            warn.accept("no function " + String.join(", ", missing) + " in the symbols ("
                    + (symbols.isEmpty() ? "none given" : symbols.source().getFileName()) + "); "
                    + (missing.size() == 1 ? "it is" : "they are") + " not traced"
                    + (a.modules != null ? " unless a kernel module that defines " + (missing.size() == 1 ? "it" : "them") + " is loaded" : ""));
        }
        for (ArmCpu cpu : machine.cpus()) {
            Tracker t = a.new Tracker(cpu);
            a.trackers.add(t);
            cpu.setObserver(CpuObserver.both(cpu.observer(), t));
            if (!a.entries.isEmpty() || a.modules != null) {
                List<Integer> hooks = new ArrayList<>(cpu.pcHooks());
                hooks.addAll(a.entries.keySet());
                if (a.modules != null) {
                    hooks.add(a.moduleLoader);
                }
                cpu.setPcHooks(hooks);
            }
            if ((cpu.cpsr() & 0x80) != 0 && machine.isPowered(cpu.cpuId())) {
                t.irqMasked = true;
                long now = a.clock.getAsLong();
                for (ActivityListener l : a.listeners) {
                    l.irqMask(cpu.cpuId(), now, true, cpu.pc());
                }
            }
        }
        machine.interruptController().ifPresent(gic -> gic.setAckListener((cpu, intid, since, at) -> {
            for (ActivityListener l : a.listeners) {
                l.irqAcknowledged(cpu, intid, since, at);
            }
        }));
        return a;
    }

    /** The symbols spans and PCs are named from. */
    public SymbolTable symbols() {
        return symbols;
    }

    /** The functions traced as spans, by address. */
    public Map<Integer, String> spanFunctions() {
        return java.util.Collections.unmodifiableMap(entries);
    }

    /** Traces {@code name}, found at {@code address} in a module just loaded, as a span from now on, on every CPU. */
    private void addModuleFunction(String name, int address) {
        if (entries.putIfAbsent(address, name) == null) {
            for (Tracker t : trackers) {
                t.cpu.addPcHook(address);
            }
        }
    }

    /** Ends every open slice at the current virtual time and tells the listeners the run ended. Idempotent. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long now = clock.getAsLong();
        for (Tracker t : trackers) {
            t.endFrom(0, now, Slice.End.RUN_END);
        }
        for (ActivityListener l : listeners) {
            l.runEnd(now);
        }
    }

    /** An open slice and, for a span, where it returns to. */
    private record Frame(Slice slice, int returnAddress, int entrySp) {
    }

    /** One CPU's observer: its stack of open slices and the return-address hooks of its spans. */
    private final class Tracker implements CpuObserver {
        private final ArmCpu cpu;
        private final int id;
        private final ArrayList<Frame> stack = new ArrayList<>();
        /** Return addresses of open spans, with how many spans wait there. */
        private final Map<Integer, Integer> returns = new HashMap<>();
        boolean irqMasked;
        /** Idle in WFI with IRQs masked: not an irqs-off interval (as Linux's stop_critical_timings around idle). */
        boolean idlePause;

        Tracker(ArmCpu cpu) {
            this.cpu = cpu;
            this.id = cpu.cpuId();
        }

        @Override
        public void onExceptionEntry(String kind, int fromPc, int vectorPc, int newMode) {
            long now = clock.getAsLong();
            if (kind.equals("reset")) {
                endFrom(0, now, Slice.End.RESET);
                for (ActivityListener l : listeners) {
                    l.cpuReset(id, now);
                }
                return;
            }
            begin(new Frame(new Slice(id, kind, Slice.Kind.EXCEPTION, now, fromPc), 0, 0));
        }

        @Override
        public void onExceptionReturn(int toPc, int newMode) {
            for (int i = stack.size() - 1; i >= 0; i--) {
                if (stack.get(i).slice().kind() == Slice.Kind.EXCEPTION) {
                    endFrom(i, clock.getAsLong(), Slice.End.RETURNED);
                    return;
                }
            }
            // a return with no entry seen (firmware dropping to a lower mode at boot): nothing to end
        }

        @Override
        public void onInterruptMaskChange(boolean irq, boolean fiq, int pc) {
            if (irq != irqMasked) {
                irqMasked = irq;
                long now = clock.getAsLong();
                for (ActivityListener l : listeners) {
                    l.irqMask(id, now, irq, pc);
                }
            }
        }

        @Override
        public void onWaitBegin(int pc, boolean forEvent) {
            if (!forEvent && irqMasked) {
                idlePause = true;
                long now = clock.getAsLong();
                for (ActivityListener l : listeners) {
                    l.irqMask(id, now, false, pc);
                }
            }
        }

        @Override
        public void onWaitEnd() {
            if (idlePause) {
                idlePause = false;
                if (irqMasked) {
                    long now = clock.getAsLong();
                    for (ActivityListener l : listeners) {
                        l.irqMask(id, now, true, cpu.pc());
                    }
                }
            }
        }

        @Override
        public void onPcHook(int pc) {
            if (modules != null && pc == moduleLoader) {
                modules.scan(cpu, Activity.this::addModuleFunction);
            }
            if (returns.containsKey(pc)) {
                returnTo(pc);
            }
            String name = entries.get(pc);
            if (name != null) {
                int ret = cpu.reg(14) & ~1;
                begin(new Frame(new Slice(id, name, Slice.Kind.SPAN, clock.getAsLong(), pc), ret, cpu.reg(13)));
                if (returns.merge(ret, 1, Integer::sum) == 1 && !entries.containsKey(ret)) {
                    cpu.addPcHook(ret);
                }
            }
        }

        /** Ends the innermost span waiting for {@code pc} whose SP is back, with all inside it, then tail-called ones. */
        private void returnTo(int pc) {
            int sp = cpu.reg(13);
            long now = clock.getAsLong();
            for (int i = stack.size() - 1; i >= 0; i--) {
                if (returnsHere(stack.get(i), pc, sp)) {
                    endFrom(i, now, Slice.End.RETURNED);
                    while (!stack.isEmpty() && returnsHere(stack.get(stack.size() - 1), pc, sp)) {
                        endFrom(stack.size() - 1, now, Slice.End.RETURNED);
                    }
                    return;
                }
            }
        }

        private boolean returnsHere(Frame f, int pc, int sp) {
            return f.slice().kind() == Slice.Kind.SPAN && f.returnAddress() == pc
                    && Integer.compareUnsigned(sp, f.entrySp()) >= 0;
        }

        private void begin(Frame f) {
            stack.add(f);
            for (ActivityListener l : listeners) {
                l.sliceBegin(f.slice());
            }
        }

        /** Ends the frames from the top down to index {@code from}: that one {@code how}, those above it cut. */
        void endFrom(int from, long now, Slice.End how) {
            for (int i = stack.size() - 1; i >= from; i--) {
                Frame f = stack.remove(i);
                if (f.slice().kind() == Slice.Kind.SPAN) {
                    int ret = f.returnAddress();
                    if (returns.merge(ret, -1, Integer::sum) == 0) {
                        returns.remove(ret);
                        if (!entries.containsKey(ret)) {
                            cpu.removePcHook(ret);
                        }
                    }
                }
                Slice.End end = i == from ? how : (how == Slice.End.RETURNED ? Slice.End.CUT : how);
                for (ActivityListener l : listeners) {
                    l.sliceEnd(f.slice(), now, end);
                }
            }
        }
    }
}
