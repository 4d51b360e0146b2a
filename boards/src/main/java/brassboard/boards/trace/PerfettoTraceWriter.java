package brassboard.boards.trace;

import brassboard.bus.api.TraceEvent;
import brassboard.bus.api.TraceSink;
import brassboard.firmware.api.SymbolTable;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run as Chrome "Trace Event Format" JSON, which Perfetto (ui.perfetto.dev) and
 * chrome://tracing open: {@code {"traceEvents":[...],"displayTimeUnit":"ns"}}, streamed as the
 * run goes.
 *
 * <p>Tracks (threads of one process): {@code cpuN} with exception and function-span slices,
 * {@code cpuN irqs-off} with a slice while CPSR.I is set, one track per interrupt line
 * ({@code irq <line>}, a slice while the line is high, plus instants at each edge), and one
 * track per other trace source (a device, {@code faults}, {@code bus}, {@code machine}, ...)
 * with an instant per event. Timestamps are virtual time in microseconds with exactly three
 * decimals (nanoseconds, so exact). Slices on one track are properly nested: each track's
 * begin/end pairs close in LIFO order, and everything open is closed at the end of the run.
 */
public final class PerfettoTraceWriter implements ActivityListener, TraceSink {
    private static final int PID = 1;
    /** Track ids: cpuN is 10 + 2N, its irqs-off track 11 + 2N, others from 100 in order of appearance. */
    private static final int OTHER_TRACKS = 100;

    private final JsonGenerator out;
    private final SymbolTable symbols;
    private final Map<String, Integer> tracks = new HashMap<>();
    private final Map<Integer, Integer> cpuTracks = new HashMap<>();
    /** Open interrupt-line slices: line name to begin time. */
    private final Map<String, Long> linesHigh = new LinkedHashMap<>();
    private final Map<Integer, Boolean> irqsOff = new HashMap<>();
    private int nextTrack = OTHER_TRACKS;
    private long lastNs;
    private boolean ended;
    private boolean closed;

    /**
     * A writer to {@code stream} (closed by {@link #close()}), naming PCs with {@code symbols};
     * {@code processName} names the trace's one process (e.g. {@code brassboard virt}).
     */
    public PerfettoTraceWriter(OutputStream stream, SymbolTable symbols, String processName) {
        this.symbols = symbols;
        try {
            this.out = new JsonFactory().createGenerator(stream, JsonEncoding.UTF8);
            out.writeStartObject();
            out.writeArrayFieldStart("traceEvents");
            out.writeStartObject();
            out.writeStringField("name", "process_name");
            out.writeStringField("ph", "M");
            out.writeNumberField("pid", PID);
            out.writeObjectFieldStart("args");
            out.writeStringField("name", processName);
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- CPU activity

    @Override
    public void sliceBegin(Slice s) {
        int tid = cpuTrack(s.cpu());
        begin(tid, s.beginNs(), s.name(), s.kind() == Slice.Kind.EXCEPTION ? "exception" : "span",
                s.kind() == Slice.Kind.EXCEPTION ? "from" : "at", where(s.pc()));
    }

    @Override
    public void sliceEnd(Slice s, long endNs, Slice.End how) {
        end(cpuTrack(s.cpu()), endNs, s.name(), how == Slice.End.RETURNED ? null : how.name().toLowerCase().replace('_', '-'));
    }

    @Override
    public void irqMask(int cpu, long ns, boolean masked, int pc) {
        int tid = cpuTrack(cpu) + 1;
        boolean open = irqsOff.getOrDefault(cpu, false);
        if (masked && !open) {
            begin(tid, ns, "irqs-off", "irq-mask", "from", where(pc));
        } else if (!masked && open) {
            end(tid, ns, "irqs-off", null);
        }
        irqsOff.put(cpu, masked);
    }

    @Override
    public void cpuReset(int cpu, long ns) {
        instant(cpuTrack(cpu), ns, "reset", null);
    }

    @Override
    public void irqAcknowledged(int cpu, int intid, long pendingSinceNs, long ackNs) {
        // shown by the GIC's gic.ack trace events; the latency goes to the report
    }

    @Override
    public void runEnd(long ns) {
        if (ended) {
            return;
        }
        ended = true;
        for (Map.Entry<Integer, Boolean> e : irqsOff.entrySet()) {
            if (e.getValue()) {
                end(cpuTrack(e.getKey()) + 1, Math.max(ns, lastNs), "irqs-off", "run-end");
            }
        }
        irqsOff.clear();
        for (String line : new ArrayList<>(linesHigh.keySet())) {
            end(track("irq " + line), Math.max(ns, lastNs), line, "run-end");
        }
        linesHigh.clear();
    }

    // ---------------------------------------------------------------- trace events

    @Override
    public void accept(TraceEvent e) {
        if (closed) {
            return;
        }
        String kind = e.kind();
        switch (kind) {
            case "cpu.exception", "cpu.eret" -> {
                return; // the CPU tracks show these as slices
            }
            case "irq.raise", "irq.lower" -> {
                String line = e.detail();
                int tid = track("irq " + line);
                boolean raise = kind.equals("irq.raise");
                instant(tid, e.timeNs(), raise ? "raise" : "lower", null);
                if (ended) {
                    return;
                }
                if (raise && !linesHigh.containsKey(line)) {
                    linesHigh.put(line, e.timeNs());
                    begin(tid, e.timeNs(), line, "irq-line", null, null);
                } else if (!raise && linesHigh.remove(line) != null) {
                    end(tid, e.timeNs(), line, null);
                }
                return;
            }
            case "irq.pulse" -> {
                instant(track("irq " + e.detail()), e.timeNs(), "pulse", null);
                return;
            }
            default -> {
            }
        }
        String source = e.source();
        int tid;
        if (source.startsWith("cpu") && isNumber(source.substring(3))) {
            tid = cpuTrack(Integer.parseInt(source.substring(3)));
        } else {
            tid = track(source);
        }
        instant(tid, e.timeNs(), kind, e.detail());
    }

    /** Ends the run if that was not done, closes every open slice, finishes the JSON and closes the stream. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        runEnd(lastNs);
        closed = true;
        try {
            out.writeEndArray();
            out.writeStringField("displayTimeUnit", "ns");
            out.writeEndObject();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- output

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private String where(int pc) {
        long a = pc & 0xFFFF_FFFFL;
        String hex = String.format("0x%08x", a);
        if (symbols.isEmpty()) {
            return hex;
        }
        String name = symbols.describe(a);
        return name.equals(hex) ? hex : hex + " " + name;
    }

    private int cpuTrack(int cpu) {
        Integer tid = cpuTracks.get(cpu);
        if (tid == null) {
            tid = 10 + 2 * cpu;
            cpuTracks.put(cpu, tid);
            name(tid, "cpu" + cpu);
            name(tid + 1, "cpu" + cpu + " irqs-off");
        }
        return tid;
    }

    private int track(String name) {
        Integer tid = tracks.get(name);
        if (tid == null) {
            tid = nextTrack++;
            tracks.put(name, tid);
            name(tid, name);
        }
        return tid;
    }

    private void name(int tid, String name) {
        try {
            metadataStart("thread_name", tid);
            out.writeStringField("name", name);
            metadataEnd();
            metadataStart("thread_sort_index", tid);
            out.writeNumberField("sort_index", tid);
            metadataEnd();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    private void begin(int tid, long ns, String name, String category, String argName, String argValue) {
        event("B", tid, ns, name, category, argName, argValue);
    }

    private void end(int tid, long ns, String name, String endedBy) {
        event("E", tid, ns, name, null, endedBy == null ? null : "ended", endedBy);
    }

    private void instant(int tid, long ns, String name, String detail) {
        event("i", tid, ns, name, null, detail == null ? null : "detail", detail);
    }

    /** Opens a metadata ("ph":"M") event for track {@code tid} up to its {@code args} object. */
    private void metadataStart(String kind, int tid) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", kind);
        out.writeStringField("ph", "M");
        out.writeNumberField("pid", PID);
        out.writeNumberField("tid", tid);
        out.writeObjectFieldStart("args");
    }

    private void metadataEnd() throws IOException {
        out.writeEndObject();
        out.writeEndObject();
    }

    private final java.util.Map<Integer, Long> trackLastNs = new java.util.HashMap<>();

    private void event(String ph, int tid, long ns, String name, String category, String argName, String argValue) {
        if (closed) {
            return;
        }
        // With several cores, a device or IRQ line touched by two cores within one round of quanta
        // can see a later core's access stamped before an earlier one (each core runs on its own
        // clock inside the round): keep every track's time non-decreasing by stamping such an
        // event at its track's latest time, a shift of at most one quantum.
        Long trackNs = trackLastNs.get(tid);
        if (trackNs != null && ns < trackNs) {
            ns = trackNs;
        }
        trackLastNs.put(tid, ns);
        lastNs = Math.max(lastNs, ns);
        try {
            out.writeStartObject();
            out.writeStringField("name", name);
            if (category != null) {
                out.writeStringField("cat", category);
            }
            out.writeStringField("ph", ph);
            if (ph.equals("i")) {
                out.writeStringField("s", "t");
            }
            out.writeFieldName("ts");
            out.writeNumber(micros(ns));
            out.writeNumberField("pid", PID);
            out.writeNumberField("tid", tid);
            if (argName != null) {
                out.writeObjectFieldStart("args");
                out.writeStringField(argName, argValue);
                out.writeEndObject();
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    /** Nanoseconds as microseconds with three decimals, exactly: 1234567 ns is {@code 1234.567}. */
    static String micros(long ns) {
        long us = ns / 1000;
        int frac = (int) (ns % 1000);
        return us + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
    }
}
