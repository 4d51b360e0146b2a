package brassboard.boards.trace;

import brassboard.boards.trace.TraceSvg.TraceFormatException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A Chrome/Perfetto trace (as {@link PerfettoTraceWriter} writes it) read into tracks of nested slices
 * and instants, in virtual time (exact nanoseconds): what {@link TraceSvg} draws and
 * {@link SpeedscopeExport} converts.
 *
 * <p>Only the phases the writer uses are read: {@code M} (thread_name, thread_sort_index), {@code B},
 * {@code E} and {@code i}; {@code X} (complete) slices are accepted too. Anything else is skipped.
 * Slices still open at the end of the trace run to its end.
 */
final class TraceFile {
    static final class Slice {
        /** What a hidden slice leaves on its track's stack: it pairs its end, and takes no row. */
        static final Slice HIDDEN = new Slice(0, 0, "", -1);

        final long start;
        long end;
        final String name;
        final int depth;

        Slice(long start, long end, String name, int depth) {
            this.start = start;
            this.end = end;
            this.name = name;
            this.depth = depth;
        }
    }

    static final class Track {
        String name;
        long sortIndex;
        final List<Slice> slices = new ArrayList<>();
        final List<long[]> instants = new ArrayList<>();
        final List<String> instantNames = new ArrayList<>();
        final Deque<Slice> open = new ArrayDeque<>();
        /** How many slices on {@link #open} are shown (the depth of the next one). */
        int shownOpen;
        int maxDepth = -1;
        /** The deepest slice inside the window being drawn (rows are only made for those). */
        int shownDepth = -1;
    }

    /** Tracks by thread id. */
    final Map<Long, Track> tracks = new TreeMap<>();
    /** The time of the trace's last event (ns). */
    long last;

    private TraceFile() {
    }

    /**
     * Reads a trace; slices whose whole name matches {@code hide} ({@code null}: none) are left out and
     * what ran inside them moves up a row.
     */
    static TraceFile read(InputStream json, Pattern hide) throws IOException, TraceFormatException {
        TraceFile file = new TraceFile();
        file.last = read(json, file.tracks, hide);
        for (Track t : file.tracks.values()) {
            while (!t.open.isEmpty()) {
                Slice s = t.open.pop();
                if (s != Slice.HIDDEN) {
                    s.end = file.last;
                }
            }
        }
        return file;
    }

    private static long read(InputStream json, Map<Long, Track> tracks, Pattern hide) throws IOException, TraceFormatException {
        JsonParser p = new JsonFactory().createParser(json);
        long last = 0;
        try {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TraceFormatException("not a trace: expected a JSON object with a traceEvents array");
            }
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("traceEvents")) {
                    p.skipChildren();
                    continue;
                }
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw new TraceFormatException("not a trace: traceEvents is not an array");
                }
                found = true;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    last = Math.max(last, event(p, tracks, hide));
                }
            }
            if (!found) {
                throw new TraceFormatException("not a trace: no traceEvents array");
            }
        } catch (JsonParseException e) {
            throw new TraceFormatException("not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        }
        return last;
    }

    /** Reads one event object (the parser is on its START_OBJECT) and files it; returns its time. */
    private static long event(JsonParser p, Map<Long, Track> tracks, Pattern hide) throws IOException {
        String name = null;
        String ph = null;
        long ts = 0;
        long dur = 0;
        long tid = 0;
        String argName = null;
        long argSort = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "name" -> name = p.getText();
                case "ph" -> ph = p.getText();
                case "ts" -> ts = nanos(p, v);
                case "dur" -> dur = nanos(p, v);
                case "tid" -> tid = v.isNumeric() ? p.getLongValue() : p.getText().hashCode();
                case "args" -> {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String a = p.currentName();
                            JsonToken av = p.nextToken();
                            if (a.equals("name") && av == JsonToken.VALUE_STRING) {
                                argName = p.getText();
                            } else if (a.equals("sort_index") && av.isNumeric()) {
                                argSort = p.getLongValue();
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (ph == null) {
            return 0;
        }
        Track t = tracks.computeIfAbsent(tid, k -> {
            Track n = new Track();
            n.name = "track " + k;
            n.sortIndex = k;
            return n;
        });
        switch (ph) {
            case "M" -> {
                if ("thread_name".equals(name) && argName != null) {
                    t.name = argName;
                } else if ("thread_sort_index".equals(name)) {
                    t.sortIndex = argSort;
                }
                return 0;
            }
            case "B" -> {
                String n = name == null ? "" : name;
                if (hide != null && hide.matcher(n).matches()) {
                    t.open.push(Slice.HIDDEN);
                } else {
                    Slice s = new Slice(ts, -1, n, t.shownOpen++);
                    t.open.push(s);
                    t.slices.add(s);
                    t.maxDepth = Math.max(t.maxDepth, s.depth);
                }
            }
            case "E" -> {
                if (!t.open.isEmpty()) {
                    Slice s = t.open.pop();
                    if (s != Slice.HIDDEN) {
                        s.end = ts;
                        t.shownOpen--;
                    }
                }
            }
            case "X" -> {
                String n = name == null ? "" : name;
                if (hide == null || !hide.matcher(n).matches()) {
                    Slice s = new Slice(ts, ts + dur, n, t.shownOpen);
                    t.slices.add(s);
                    t.maxDepth = Math.max(t.maxDepth, s.depth);
                }
            }
            case "i", "I" -> {
                t.instants.add(new long[] {ts});
                t.instantNames.add(name == null ? "" : name);
            }
            default -> {
                return 0;
            }
        }
        return ts + dur;
    }

    /** A timestamp in microseconds (the format's unit), as exact nanoseconds. */
    private static long nanos(JsonParser p, JsonToken v) throws IOException {
        if (!v.isNumeric()) {
            return 0;
        }
        BigDecimal us = p.getDecimalValue();
        return us.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValue();
    }

}
