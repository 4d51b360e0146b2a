package brassboard.boards.trace;

import brassboard.boards.api.Machine;
import brassboard.firmware.api.SymbolTable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The interrupt report of a run, per CPU, in virtual time only (so deterministic):
 *
 * <ul>
 *   <li><b>IRQ latency</b>: from an interrupt becoming pending (and not active) at the GIC to
 *       the CPU acknowledging it (reading GICC_IAR), over all interrupts and per interrupt (INTID and
 *       the name of the line that drives it: {@code cpu0.timer.virt}, {@code uart0});</li>
 *   <li><b>top half</b>: from an IRQ exception's entry to its return (IRQs still open at the
 *       end of the run, or ended by a reset, are not counted);</li>
 *   <li><b>longest IRQs-off interval</b>: the longest time CPSR.I stayed set, with the PC of the
 *       instruction that set it (the IRQ vector for an exception entry, the reset PC at power-on);</li>
 *   <li><b>bottom-half deferral</b>, where spans of {@link SpanProfiles#BOTTOM_HALVES} exist:
 *       from the most recent IRQ exception entry on that CPU to the start of the span, one
 *       sample per span start (nested bottom halves each count).</li>
 * </ul>
 */
public final class IrqReport implements ActivityListener {
    /** Count, median, 99th percentile (nearest rank) and maximum of a set of durations, in ns. */
    public record Histogram(int count, long p50Ns, long p99Ns, long maxNs) {
        static Histogram of(long[] samples, int n) {
            if (n == 0) {
                return new Histogram(0, 0, 0, 0);
            }
            long[] sorted = Arrays.copyOf(samples, n);
            Arrays.sort(sorted);
            return new Histogram(n, rank(sorted, 50), rank(sorted, 99), sorted[n - 1]);
        }

        private static long rank(long[] sorted, int percent) {
            int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, index)];
        }

        String text() {
            if (count == 0) {
                return "none";
            }
            return String.format("%d, p50 %s, p99 %s, max %s", count, Machine.formatTime(p50Ns),
                    Machine.formatTime(p99Ns), Machine.formatTime(maxNs));
        }
    }

    /** The longest interval with IRQs masked: from {@code beginNs} for {@code durationNs}, masked at {@code pc}. */
    public record MaskedInterval(long beginNs, long durationNs, int pc, boolean openAtEnd) {
    }

    /** One CPU's figures. */
    public record CpuSummary(int cpu, Histogram irqLatency, Map<String, Histogram> irqLatencyByInterrupt, Histogram topHalf,
                             Optional<MaskedInterval> longestIrqsOff, Map<String, Histogram> bottomHalfDeferral) {
    }

    /** The whole report. */
    public record Summary(long endNs, List<CpuSummary> cpus) {
        /** The report as text, PCs named from {@code symbols}. */
        public String toText(SymbolTable symbols) {
            StringBuilder sb = new StringBuilder();
            sb.append("IRQ report (virtual time ").append(Machine.formatTime(endNs)).append("):\n");
            for (CpuSummary c : cpus) {
                sb.append("cpu").append(c.cpu()).append(":\n");
                sb.append("  irq latency (pending to GICC_IAR):  ").append(c.irqLatency().text()).append('\n');
                for (Map.Entry<String, Histogram> e : c.irqLatencyByInterrupt().entrySet()) {
                    sb.append(String.format("    %-32s  ", e.getKey() + ":")).append(e.getValue().text()).append('\n');
                }
                sb.append("  irq top half (entry to return):     ").append(c.topHalf().text()).append('\n');
                sb.append("  longest irqs-off:                   ");
                if (c.longestIrqsOff().isEmpty()) {
                    sb.append("none\n");
                } else {
                    MaskedInterval m = c.longestIrqsOff().get();
                    long pc = m.pc() & 0xFFFF_FFFFL;
                    String name = symbols.isEmpty() ? "" : " (" + symbols.describe(pc) + ")";
                    if (name.equals(String.format(" (0x%08x)", pc))) {
                        name = "";
                    }
                    sb.append(Machine.formatTime(m.durationNs())).append(String.format(", masked at 0x%08x", pc))
                            .append(name).append(" at ").append(Machine.formatTime(m.beginNs()))
                            .append(m.openAtEnd() ? ", still masked at the end" : "").append('\n');
                }
                for (Map.Entry<String, Histogram> e : c.bottomHalfDeferral().entrySet()) {
                    sb.append("  bottom-half deferral (irq entry to ").append(e.getKey()).append("): ")
                            .append(e.getValue().text()).append('\n');
                }
            }
            return sb.toString();
        }
    }

    /** Samples that grow without boxing. */
    private static final class Samples {
        long[] values = new long[16];
        int n;

        void add(long v) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        Histogram histogram() {
            return Histogram.of(values, n);
        }
    }

    private static final class PerCpu {
        final Samples latency = new Samples();
        final Map<Integer, Samples> latencyByIntid = new TreeMap<>();
        final Samples topHalf = new Samples();
        final Map<String, Samples> deferral = new LinkedHashMap<>();
        long lastIrqEntry = -1;
        long maskedSince = -1;
        int maskedPc;
        MaskedInterval longest;
    }

    private final Map<Integer, PerCpu> cpus = new TreeMap<>();
    /** Names the line behind (cpu, INTID), for the per-interrupt lines; empty when unknown. */
    private final java.util.function.BiFunction<Integer, Integer, String> interruptNames;

    /** A report whose per-interrupt latencies name interrupts by INTID only. */
    public IrqReport() {
        this((cpu, intid) -> "");
    }

    /** A report naming each interrupt as {@code interruptNames} says (the GIC's {@code inputName}). */
    public IrqReport(java.util.function.BiFunction<Integer, Integer, String> interruptNames) {
        this.interruptNames = interruptNames;
    }
    private long endNs = -1;

    private PerCpu cpu(int id) {
        return cpus.computeIfAbsent(id, k -> new PerCpu());
    }

    /** Makes sure {@code cpu} appears in the report even if nothing happens on it. */
    public void expect(int cpu) {
        cpu(cpu);
    }

    @Override
    public void sliceBegin(Slice s) {
        PerCpu c = cpu(s.cpu());
        if (s.kind() == Slice.Kind.EXCEPTION && s.name().equals("irq")) {
            c.lastIrqEntry = s.beginNs();
        } else if (s.kind() == Slice.Kind.SPAN && SpanProfiles.BOTTOM_HALVES.contains(s.name()) && c.lastIrqEntry >= 0) {
            c.deferral.computeIfAbsent(s.name(), k -> new Samples()).add(s.beginNs() - c.lastIrqEntry);
        }
    }

    @Override
    public void sliceEnd(Slice s, long endNs, Slice.End how) {
        if (s.kind() == Slice.Kind.EXCEPTION && s.name().equals("irq") && how == Slice.End.RETURNED) {
            cpu(s.cpu()).topHalf.add(endNs - s.beginNs());
        }
    }

    @Override
    public void irqMask(int cpu, long ns, boolean masked, int pc) {
        PerCpu c = cpu(cpu);
        if (masked) {
            c.maskedSince = ns;
            c.maskedPc = pc;
        } else if (c.maskedSince >= 0) {
            closeMasked(c, ns, false);
        }
    }

    private static void closeMasked(PerCpu c, long ns, boolean open) {
        long d = ns - c.maskedSince;
        if (c.longest == null || d > c.longest.durationNs()) {
            c.longest = new MaskedInterval(c.maskedSince, d, c.maskedPc, open);
        }
        c.maskedSince = -1;
    }

    @Override
    public void irqAcknowledged(int cpu, int intid, long pendingSinceNs, long ackNs) {
        // With several cores an SGI's sender can run ahead of its receiver within a round of quanta:
        // never report a negative wait.
        PerCpu c = cpu(cpu);
        long wait = Math.max(0, ackNs - pendingSinceNs);
        c.latency.add(wait);
        c.latencyByIntid.computeIfAbsent(intid, k -> new Samples()).add(wait);
    }

    @Override
    public void runEnd(long ns) {
        endNs = ns;
        for (PerCpu c : cpus.values()) {
            if (c.maskedSince >= 0) {
                closeMasked(c, ns, true);
            }
        }
    }

    /** The figures so far (after {@link #runEnd}: of the whole run). */
    public Summary summary() {
        List<CpuSummary> list = cpus.entrySet().stream().map(e -> {
            PerCpu c = e.getValue();
            Map<String, Histogram> deferral = new LinkedHashMap<>();
            for (String name : SpanProfiles.BOTTOM_HALVES) {
                Samples s = c.deferral.get(name);
                if (s != null) {
                    deferral.put(name, s.histogram());
                }
            }
            Map<String, Histogram> byInterrupt = new LinkedHashMap<>();
            for (Map.Entry<Integer, Samples> i : c.latencyByIntid.entrySet()) {
                String line = interruptNames.apply(e.getKey(), i.getKey());
                byInterrupt.put("INTID " + i.getKey() + (line.isEmpty() ? "" : " " + line), i.getValue().histogram());
            }
            return new CpuSummary(e.getKey(), c.latency.histogram(), byInterrupt, c.topHalf.histogram(),
                    Optional.ofNullable(c.longest), deferral);
        }).toList();
        return new Summary(Math.max(endNs, 0), list);
    }
}
