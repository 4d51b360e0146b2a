package brassboard.cli;

import brassboard.boards.trace.SpeedscopeExport;
import brassboard.boards.trace.TraceSvg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brassboard trace}: tools for the traces {@code run --trace FILE.json} writes. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Work with traces written by 'run --trace FILE.json'.",
        subcommands = {TraceCommand.RenderCommand.class, TraceCommand.ViewCommand.class})
final class TraceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: render, view");
    }

    /** {@code brassboard trace render TRACE.json -o PICTURE.svg}. */
    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Draw a trace as an SVG picture: one row per track (cores, irqs-off, interrupt lines, devices),",
                "slices as nested boxes, instants as ticks, virtual time across. Slices narrower than a pixel merge into grey runs.",
                "The same trace and options give the same picture, byte for byte."})
    static final class RenderCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "TRACE", description = "A trace in Chrome/Perfetto JSON (run --trace FILE.json).")
        Path trace;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write the SVG.")
        Path output;

        @picocli.CommandLine.Mixin
        Selection selection;

        @Option(names = "--width", paramLabel = "PX", defaultValue = "1600", description = "Picture width in pixels (200-20000; default ${DEFAULT-VALUE}).")
        int width;

        @Override
        public Integer call() {
            long fromNs = time("--from", selection.from, 0);
            long toNs = time("--to", selection.to, -1);
            Pattern pattern = regex("--tracks", selection.tracks);
            Pattern hidden = regex("--hide", selection.hide);
            TraceSvg.Options options;
            try {
                options = new TraceSvg.Options(fromNs, toNs, pattern, hidden, width);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError((e.getMessage().startsWith("width") ? "--width: " : "--from/--to: ") + e.getMessage());
            }
            String svg;
            try (InputStream in = Files.newInputStream(trace)) {
                svg = TraceSvg.render(in, options);
            } catch (NoSuchFileException e) {
                throw new Main.UsageError(trace + ": no such file; expected a trace written by 'run --trace FILE.json'");
            } catch (TraceSvg.TraceFormatException e) {
                throw new Main.UsageError(trace + ": " + e.getMessage() + "; expected a trace written by 'run --trace FILE.json'");
            } catch (IOException e) {
                throw new Main.UsageError(trace + ": cannot read it: " + Main.oneLine(e.getMessage()));
            }
            try {
                Files.writeString(output, svg, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Main.UsageError("--output " + output + ": cannot write the picture: " + Main.oneLine(e.getMessage()));
            }
            return 0;
        }
    }

    /** What of a trace to show: a window of virtual time, tracks, slices left out (render and view alike). */
    static final class Selection {
        @Option(names = "--from", paramLabel = "TIME", description = "Start of the window in virtual time (e.g. 1.2s, 350ms); default 0.")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End of the window in virtual time; default the trace's end.")
        String to;

        @Option(names = "--tracks", paramLabel = "REGEX", description = "Only tracks whose name contains a match (e.g. 'cpu|irq ehci').")
        String tracks;

        @Option(names = "--hide", paramLabel = "REGEX", description = {"Leave out slices whose whole name matches (e.g. 'schedule|__schedule');",
            "what ran inside them moves up a row."})
        String hide;
    }

    /** A time option in virtual time (e.g. 1.2s, 350ms); {@code absent} when not given. */
    static long time(String flag, String text, long absent) {
        if (text == null) {
            return absent;
        }
        try {
            return Units.duration(text);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(flag + " " + text + ": " + Main.oneLine(e.getMessage()));
        }
    }

    /** A regular-expression option, or null when not given. */
    static Pattern regex(String flag, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new Main.UsageError(flag + " " + text + ": not a regular expression: " + Main.oneLine(e.getDescription()));
        }
    }

    /** {@code brassboard trace view TRACE.json}: the trace in the speedscope viewer, offline. */
    @Command(name = "view", mixinStandardHelpOptions = true,
            description = {"Open a trace in speedscope, a trace viewer that runs offline in a browser",
                "(firmware/third-party/fetch-viewer.sh fetches it). Writes the trace for it",
                "next to TRACE (or to --output) and prints the file: address to open.",
                "One track at a time (cores, irqs-off, interrupt lines), slices by name.",
                "With --screenshot, headless Chromium loads it, checks that speedscope",
                "shows it without an error, and saves the window as a PNG."})
    static final class ViewCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TRACE", description = "A trace in Chrome/Perfetto JSON (run --trace FILE.json).")
        Path trace;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE.js", description = {"Where to write the trace for speedscope",
            "(default: TRACE without .json, plus .speedscope.js)."})
        Path output;

        @picocli.CommandLine.Mixin
        Selection selection;

        @Option(names = "--show", paramLabel = "REGEX", description = "The track speedscope shows first: the first whose name contains a match (default: the first track).")
        String show;

        @Option(names = "--viewer", paramLabel = "DIR", description = {"The speedscope package directory (default: $BRASSBOARD_SPEEDSCOPE, else",
            "firmware/third-party/cache/" + SpeedscopeView.DIRECTORY + ")."})
        Path viewer;

        @Option(names = "--screenshot", paramLabel = "FILE.png", description = "Load the trace in headless Chromium, check it loads cleanly, save the window as a PNG.")
        Path screenshot;

        @Option(names = "--size", paramLabel = "WxH", defaultValue = "1600x900", description = "The screenshot's window size (default ${DEFAULT-VALUE}).")
        String size;

        @Override
        public Integer call() throws IOException {
            Pattern trackPattern = regex("--tracks", selection.tracks);
            Pattern hidden = regex("--hide", selection.hide);
            Pattern shown = regex("--show", show);
            int[] window = screenshot == null ? null : size(size);
            SpeedscopeExport.Options options;
            try {
                options = new SpeedscopeExport.Options(time("--from", selection.from, 0), time("--to", selection.to, -1), trackPattern, hidden, shown);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError("--from/--to: " + e.getMessage());
            }
            Path dir = SpeedscopeView.locate(viewer);
            if (dir == null) {
                throw new Main.UsageError(viewer != null
                        ? "--viewer " + viewer + ": no " + SpeedscopeView.INDEX + " there; expected speedscope's npm package directory"
                        : "speedscope not found: run firmware/third-party/fetch-viewer.sh (or give --viewer DIR)");
            }
            String name = trace.getFileName().toString();
            byte[] profile;
            try (InputStream in = Files.newInputStream(trace)) {
                profile = SpeedscopeExport.toBytes(in, selection.from == null && selection.to == null ? name
                        : name + ", " + TraceSvg.duration(options.fromNs()) + " to " + (selection.to == null ? "end" : TraceSvg.duration(options.toNs())), options);
            } catch (NoSuchFileException e) {
                throw new Main.UsageError(trace + ": no such file; expected a trace written by 'run --trace FILE.json'");
            } catch (TraceSvg.TraceFormatException e) {
                throw new Main.UsageError(trace + ": " + e.getMessage());
            } catch (IOException e) {
                throw new Main.UsageError(trace + ": cannot read it: " + Main.oneLine(e.getMessage()));
            }
            Path loader = output != null ? output : trace.resolveSibling(name.replaceFirst("(?i)\\.json$", "") + ".speedscope.js");
            try {
                Files.writeString(loader, SpeedscopeExport.loaderScript(name, profile), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Main.UsageError("--output " + loader + ": cannot write it: " + Main.oneLine(e.getMessage()));
            }
            String url = SpeedscopeView.url(dir, loader, null);
            spec.commandLine().getOut().println(url);
            if (screenshot == null) {
                return 0;
            }
            Path chromium = HeadlessChromium.find();
            if (chromium == null) {
                throw new Main.UsageError("--screenshot: no Chromium on the PATH (looked for " + String.join(", ", HeadlessChromium.NAMES)
                        + "; Debian: apt-get install chromium)");
            }
            SpeedscopeView.Load load;
            try (HeadlessChromium browser = HeadlessChromium.start(chromium, window[0], window[1])) {
                load = SpeedscopeView.load(browser, url, Duration.ofSeconds(60), true);
            } catch (IOException e) {
                throw new Main.UsageError("--screenshot: " + Main.oneLine(e.getMessage()));
            }
            List<String> failures = load.failures();
            if (!failures.isEmpty()) {
                throw new Main.UsageError("speedscope did not load " + trace + " cleanly: " + String.join("; ", failures));
            }
            try {
                Files.write(screenshot, load.png());
            } catch (IOException e) {
                throw new Main.UsageError("--screenshot " + screenshot + ": cannot write it: " + Main.oneLine(e.getMessage()));
            }
            spec.commandLine().getOut().println("speedscope showed '" + load.title() + "' without an error; wrote " + screenshot
                    + " (" + window[0] + "x" + window[1] + ")");
            return 0;
        }

        private static int[] size(String text) {
            java.util.regex.Matcher m = Pattern.compile("(\\d{2,5})x(\\d{2,5})").matcher(text);
            if (!m.matches()) {
                throw new Main.UsageError("--size " + text + ": expected WIDTHxHEIGHT in pixels, e.g. 1600x900");
            }
            int w = Integer.parseInt(m.group(1));
            int h = Integer.parseInt(m.group(2));
            if (w < 200 || h < 200 || w > 8000 || h > 8000) {
                throw new Main.UsageError("--size " + text + ": each side must be 200 to 8000 pixels");
            }
            return new int[] {w, h};
        }
    }
}
