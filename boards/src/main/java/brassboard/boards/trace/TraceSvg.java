package brassboard.boards.trace;

import brassboard.boards.trace.TraceFile.Slice;
import brassboard.boards.trace.TraceFile.Track;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Draws a Chrome/Perfetto trace (as {@link PerfettoTraceWriter} writes it) as an SVG picture: one row
 * per track, slices as nested boxes, instants as ticks, a time axis in virtual time. It is how a trace
 * gets into a README or a bug report without a browser and ui.perfetto.dev; the same trace and window
 * give the same picture, byte for byte.
 *
 * <p>Only the phases the writer uses are read: {@code M} (thread_name, thread_sort_index), {@code B},
 * {@code E} and {@code i}; {@code X} (complete) slices are accepted too. Anything else is skipped.
 * Slices that would be narrower than a pixel are merged with their neighbours into one grey run, so a
 * long trace stays a small picture (in the slices' colour when they all have one name, grey when not).
 */
public final class TraceSvg {
    /**
     * What to draw: a window of virtual time (ns; {@code toNs} &lt; 0 means the trace's end), the tracks
     * whose name matches ({@code null}: all), the slices left out ({@code hide}, matched against the
     * whole name; their children move up in their place; {@code null}: none), the width in pixels.
     */
    public record Options(long fromNs, long toNs, Pattern tracks, Pattern hide, int width) {
        /** All slices shown. */
        public Options(long fromNs, long toNs, Pattern tracks, int width) {
            this(fromNs, toNs, tracks, null, width);
        }

        public Options {
            if (width < 200 || width > 20_000) {
                throw new IllegalArgumentException("width " + width + " is outside 200..20000 pixels");
            }
            if (toNs >= 0 && toNs <= fromNs) {
                throw new IllegalArgumentException("the window is empty: it ends at " + toNs + " ns, before it starts at " + fromNs + " ns");
            }
        }
    }

    /** A trace that cannot be read: not JSON, or not a trace. */
    public static final class TraceFormatException extends Exception {
        TraceFormatException(String message) {
            super(message);
        }
    }

    private static final int LABEL_WIDTH = 190;
    private static final int AXIS_HEIGHT = 28;
    private static final int ROW = 15;
    private static final int TRACK_GAP = 5;

    private TraceSvg() {
    }

    /** Reads the trace from {@code json} and returns the picture as SVG text. */
    public static String render(InputStream json, Options options) throws IOException, TraceFormatException {
        TraceFile file = TraceFile.read(json, options.hide());
        long last = file.last;
        long from = options.fromNs();
        long to = options.toNs() >= 0 ? options.toNs() : last;
        if (to <= from) {
            throw new TraceFormatException("the trace ends at " + last + " ns, before the window's start at " + from + " ns");
        }
        List<Track> shown = new ArrayList<>();
        for (Track t : file.tracks.values()) {
            if (options.tracks() != null && !options.tracks().matcher(t.name).find()) {
                continue;
            }
            boolean any = t.slices.stream().anyMatch(s -> s.end >= from && s.start <= to)
                    || t.instants.stream().anyMatch(i -> i[0] >= from && i[0] <= to);
            if (any) {
                t.shownDepth = t.slices.stream().filter(s -> s.end >= from && s.start <= to).mapToInt(s -> s.depth).max().orElse(-1);
                shown.add(t);
            }
        }
        shown.sort((a, b) -> a.sortIndex != b.sortIndex ? Long.compare(a.sortIndex, b.sortIndex) : a.name.compareTo(b.name));
        return draw(shown, from, to, options.width());
    }

    private static String draw(List<Track> shown, long from, long to, int width) {
        int plot = width - LABEL_WIDTH - 10;
        double scale = plot / (double) (to - from);
        int height = AXIS_HEIGHT;
        for (Track t : shown) {
            height += trackHeight(t) + TRACK_GAP;
        }
        height += 6;
        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"10\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        axis(svg, from, to, scale, height);
        int y = AXIS_HEIGHT;
        for (Track t : shown) {
            int h = trackHeight(t);
            svg.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"").append(width).append("\" height=\"").append(h)
                    .append("\" fill=\"#f4f4f4\"/>\n");
            svg.append("<text x=\"4\" y=\"").append(y + 11).append("\">").append(escape(clip(t.name, 30))).append("</text>\n");
            drawSlices(svg, t, from, to, scale, y);
            drawInstants(svg, t, from, to, scale, y + Math.max(0, t.shownDepth + 1) * ROW);
            y += h + TRACK_GAP;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static int trackHeight(Track t) {
        int rows = Math.max(0, t.shownDepth + 1) + (t.instants.isEmpty() ? 0 : 1);
        return Math.max(1, rows) * ROW;
    }

    private static void axis(StringBuilder svg, long from, long to, double scale, int height) {
        long span = to - from;
        long step = niceStep(span / 8);
        long first = ((from + step - 1) / step) * step;
        for (long t = first; t <= to; t += step) {
            double x = LABEL_WIDTH + (t - from) * scale;
            svg.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(AXIS_HEIGHT - 6).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(height).append("\" stroke=\"#dddddd\"/>\n");
            svg.append("<text x=\"").append(fmt(x + 2)).append("\" y=\"").append(AXIS_HEIGHT - 10).append("\">")
                    .append(duration(t)).append("</text>\n");
        }
        svg.append("<text x=\"4\" y=\"").append(AXIS_HEIGHT - 10).append("\" font-weight=\"bold\">virtual time</text>\n");
    }

    private static void drawSlices(StringBuilder svg, Track t, long from, long to, double scale, int y) {
        // One pending run per depth: slices closer than a pixel join it and are drawn as one grey box.
        double[] runStart = new double[t.maxDepth + 1];
        double[] runEnd = new double[t.maxDepth + 1];
        String[] runName = new String[t.maxDepth + 1];
        int[] runCount = new int[t.maxDepth + 1];
        for (Slice s : t.slices) {
            if (s.end < from || s.start > to) {
                continue;
            }
            double x0 = LABEL_WIDTH + (Math.max(s.start, from) - from) * scale;
            double x1 = LABEL_WIDTH + (Math.min(s.end, to) - from) * scale;
            int d = s.depth;
            if (runCount[d] > 0 && x0 - runEnd[d] < 1.0 && (x1 - x0 < 1.0 || runEnd[d] - runStart[d] < 1.0)) {
                runEnd[d] = Math.max(runEnd[d], x1);
                runCount[d]++;
                if (runName[d] != null && !runName[d].equals(s.name)) {
                    runName[d] = null; // a run of different slices: drawn grey
                }
                continue;
            }
            flush(svg, runStart[d], runEnd[d], runName[d], runCount[d], y + d * ROW);
            runStart[d] = x0;
            runEnd[d] = x1;
            runName[d] = s.name;
            runCount[d] = 1;
        }
        for (int d = 0; d <= t.maxDepth; d++) {
            flush(svg, runStart[d], runEnd[d], runName[d], runCount[d], y + d * ROW);
        }
    }

    private static void flush(StringBuilder svg, double x0, double x1, String name, int count, int y) {
        if (count == 0) {
            return;
        }
        double w = Math.max(0.6, x1 - x0);
        boolean mixed = name == null;
        String fill = mixed ? "#9e9e9e" : colour(name);
        String title = mixed ? count + " slices" : count > 1 ? name + " (" + count + " slices)" : name;
        svg.append("<rect x=\"").append(fmt(x0)).append("\" y=\"").append(y + 1).append("\" width=\"").append(fmt(w))
                .append("\" height=\"").append(ROW - 2).append("\" fill=\"").append(fill).append("\"><title>")
                .append(escape(title)).append("</title></rect>\n");
        int chars = (int) ((w - 4) / 6.1);
        if (!mixed && chars >= 3) {
            svg.append("<text x=\"").append(fmt(x0 + 2)).append("\" y=\"").append(y + ROW - 4).append("\">")
                    .append(escape(clip(name, chars))).append("</text>\n");
        }
    }

    private static void drawInstants(StringBuilder svg, Track t, long from, long to, double scale, int y) {
        double lastX = -10;
        for (int i = 0; i < t.instants.size(); i++) {
            long ts = t.instants.get(i)[0];
            if (ts < from || ts > to) {
                continue;
            }
            double x = LABEL_WIDTH + (ts - from) * scale;
            if (x - lastX < 1.0) {
                continue;
            }
            lastX = x;
            svg.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(y + 2).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(y + ROW - 2).append("\" stroke=\"").append(colour(t.instantNames.get(i)))
                    .append("\" stroke-width=\"1.2\"><title>").append(escape(t.instantNames.get(i))).append("</title></line>\n");
        }
    }

    /** A colour that depends only on the name, so the same function is the same colour in every picture. */
    static String colour(String name) {
        int h = 0;
        for (int i = 0; i < name.length(); i++) {
            h = h * 31 + name.charAt(i);
        }
        int hue = Math.floorMod(h, 360);
        return "hsl(" + hue + ",55%,72%)";
    }

    /** A step of 1, 2 or 5 times a power of ten nanoseconds, at least {@code rough}. */
    static long niceStep(long rough) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * p >= Math.max(1, rough)) {
                    return m * p;
                }
            }
            p *= 10;
        }
    }

    /** A time for the axis: the largest unit that keeps it exact to three significant places. */
    public static String duration(long ns) {
        if (ns == 0) {
            return "0";
        }
        if (ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + " s";
        }
        if (ns >= 1_000_000_000L) {
            return trim(String.format(Locale.ROOT, "%.6f", ns / 1e9)) + " s";
        }
        if (ns >= 1_000_000L) {
            return trim(String.format(Locale.ROOT, "%.3f", ns / 1e6)) + " ms";
        }
        if (ns >= 1_000L) {
            return trim(String.format(Locale.ROOT, "%.3f", ns / 1e3)) + " us";
        }
        return ns + " ns";
    }

    private static String trim(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String clip(String s, int chars) {
        return s.length() <= chars ? s : s.substring(0, Math.max(1, chars - 1)) + "~";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
