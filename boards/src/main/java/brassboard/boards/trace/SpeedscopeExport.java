package brassboard.boards.trace;

import brassboard.boards.trace.TraceFile.Slice;
import brassboard.boards.trace.TraceFile.Track;
import brassboard.boards.trace.TraceSvg.TraceFormatException;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Converts a Chrome/Perfetto trace (as {@link PerfettoTraceWriter} writes it) into speedscope's own
 * file format (an "evented" profile per track: open- and close-frame events in virtual time), which
 * the speedscope viewer opens offline from a file.
 *
 * <p>speedscope also reads Chrome trace JSON directly, but two of its rules suit a machine trace badly:
 * it names each slice by its name <em>and</em> its arguments (so every {@code irq} from another PC is
 * another function, and every end event, which carries no arguments, is reported as mismatched), and
 * it restarts each track's clock at that track's first event. Here a slice is its name only, and every
 * track runs on the trace's own clock: a profile spans the window {@code [from, to]} of virtual time in
 * nanoseconds (speedscope's axis counts from the window's start, so a window's profiles are named
 * "cpu0, times from 2.018 ms"). speedscope shows one track at a time (its profile list); instants (UART lines, GIC
 * acknowledgements, faults) have no place in its model and are left out: {@code trace render} and
 * Perfetto show them.
 */
public final class SpeedscopeExport {
    /** The file format's schema address, which speedscope uses to recognise its own files. */
    static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";

    /**
     * What to export: a window of virtual time (ns; {@code toNs} &lt; 0 means the trace's end), the
     * tracks whose name contains a match of {@code tracks} ({@code null}: all), the slices left out
     * ({@code hide}, matched against the whole name, {@code null}: none), and the track shown first
     * ({@code show}: the first track whose name contains a match; {@code null}: the first track).
     */
    public record Options(long fromNs, long toNs, Pattern tracks, Pattern hide, Pattern show) {
        public Options {
            if (fromNs < 0) {
                throw new IllegalArgumentException("the window starts at " + fromNs + " ns, before the trace's start");
            }
            if (toNs >= 0 && toNs <= fromNs) {
                throw new IllegalArgumentException("the window is empty: it ends at " + toNs + " ns, before it starts at " + fromNs + " ns");
            }
        }

        /** The whole trace, every track. */
        public static Options all() {
            return new Options(0, -1, null, null, null);
        }
    }

    private SpeedscopeExport() {
    }

    /**
     * Reads the trace from {@code json} and writes it to {@code out} in speedscope's format, as a
     * profile group called {@code name} (e.g. the trace's file name).
     */
    public static void write(InputStream json, String name, Options options, OutputStream out)
            throws IOException, TraceFormatException {
        TraceFile file = TraceFile.read(json, options.hide());
        long from = options.fromNs();
        long to = options.toNs() >= 0 ? options.toNs() : file.last;
        if (to <= from) {
            throw new TraceFormatException("the trace ends at " + file.last + " ns, before the window's start at " + from + " ns");
        }
        List<Track> shown = new ArrayList<>();
        for (Track t : file.tracks.values()) {
            if (options.tracks() != null && !options.tracks().matcher(t.name).find()) {
                continue;
            }
            if (t.slices.stream().anyMatch(s -> inWindow(s, from, to))) {
                shown.add(t);
            }
        }
        if (shown.isEmpty()) {
            throw new TraceFormatException("no slices between " + TraceSvg.duration(from) + " and " + TraceSvg.duration(to)
                    + (options.tracks() != null ? " on tracks matching '" + options.tracks().pattern() + "'" : ""));
        }
        shown.sort(Comparator.<Track>comparingLong(t -> t.sortIndex).thenComparing(t -> t.name));
        int active = 0;
        if (options.show() != null) {
            active = -1;
            for (int i = 0; i < shown.size() && active < 0; i++) {
                if (options.show().matcher(shown.get(i).name).find()) {
                    active = i;
                }
            }
            if (active < 0) {
                throw new TraceFormatException("no track with slices in the window matches '" + options.show().pattern() + "'");
            }
        }

        // The frames (slice names) are shared by all profiles and known only once the profiles are
        // written: they follow them (the order of an object's fields does not matter to a reader).
        Map<String, Integer> frames = new LinkedHashMap<>();
        JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out, JsonEncoding.UTF8);
        g.writeStartObject();
        g.writeStringField("$schema", SCHEMA);
        g.writeStringField("exporter", "brassboard trace view");
        g.writeStringField("name", name);
        g.writeNumberField("activeProfileIndex", active);
        g.writeArrayFieldStart("profiles");
        for (Track t : shown) {
            profile(g, t, from, to, frames);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("shared");
        g.writeArrayFieldStart("frames");
        for (String frame : frames.keySet()) {
            g.writeStartObject();
            g.writeStringField("name", frame);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.close();
    }

    /**
     * A script that hands {@code speedscopeJson} to a speedscope page opened with
     * {@code #localProfilePath=} pointing at it: speedscope adds the script to the page, and the script
     * calls speedscope's {@code loadFileFromBase64(name, data)}.
     */
    public static String loaderScript(String fileName, byte[] speedscopeJson) {
        return "speedscope.loadFileFromBase64(" + jsString(fileName) + ", \""
                + Base64.getEncoder().encodeToString(speedscopeJson) + "\")\n";
    }

    /** One evented profile: the track's slices inside the window, clipped to it, as open/close events. */
    private static void profile(JsonGenerator g, Track t, long from, long to, Map<String, Integer> frames) throws IOException {
        List<Slice> slices = new ArrayList<>();
        for (Slice s : t.slices) {
            if (inWindow(s, from, to)) {
                slices.add(s);
            }
        }
        // B/E slices are already in this order (a parent begins before its children); X slices may not be.
        slices.sort(Comparator.<Slice>comparingLong(s -> Math.max(s.start, from)).thenComparingInt(s -> s.depth));
        g.writeStartObject();
        g.writeStringField("type", "evented");
        // speedscope's axis counts from the profile's start: say where that is when it is not the trace's start
        g.writeStringField("name", from == 0 ? t.name : t.name + ", times from " + TraceSvg.duration(from));
        g.writeStringField("unit", "nanoseconds");
        g.writeNumberField("startValue", from);
        g.writeNumberField("endValue", to);
        g.writeArrayFieldStart("events");
        Deque<Slice> open = new ArrayDeque<>();
        for (Slice s : slices) {
            // Whatever is open at this depth or deeper has ended (slices on a track nest): close it first.
            while (!open.isEmpty() && open.peek().depth >= s.depth) {
                Slice done = open.pop();
                event(g, "C", frames.get(done.name), Math.min(done.end, to));
            }
            int frame = frames.computeIfAbsent(s.name, k -> frames.size());
            event(g, "O", frame, Math.max(s.start, from));
            open.push(s);
        }
        while (!open.isEmpty()) {
            Slice done = open.pop();
            event(g, "C", frames.get(done.name), Math.min(done.end, to));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, String type, int frame, long at) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        g.writeNumberField("frame", frame);
        g.writeNumberField("at", at);
        g.writeEndObject();
    }

    /** A slice shows in {@code [from, to]}: it overlaps the window, or it is an instant-long slice inside it. */
    private static boolean inWindow(Slice s, long from, long to) {
        long a = Math.max(s.start, from);
        long b = Math.min(s.end, to);
        return a < b || (s.start == s.end && s.start >= from && s.start <= to);
    }

    private static String jsString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The speedscope file as bytes (for {@link #loaderScript}). */
    public static byte[] toBytes(InputStream json, String name, Options options) throws IOException, TraceFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(json, name, options, out);
        return out.toByteArray();
    }
}
