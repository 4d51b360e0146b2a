package brassboard.cli;

import brassboard.boards.trace.TraceSvg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brassboard trace}: tools for the traces {@code run --trace FILE.json} writes. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Work with traces written by 'run --trace FILE.json'.",
        subcommands = {TraceCommand.RenderCommand.class})
final class TraceCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "expected a subcommand: render");
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

        @Option(names = "--from", paramLabel = "TIME", description = "Start of the window in virtual time (e.g. 1.2s, 350ms); default 0.")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "End of the window in virtual time; default the trace's end.")
        String to;

        @Option(names = "--tracks", paramLabel = "REGEX", description = "Only tracks whose name contains a match (e.g. 'cpu|irq ehci').")
        String tracks;

        @Option(names = "--width", paramLabel = "PX", defaultValue = "1600", description = "Picture width in pixels (200-20000; default ${DEFAULT-VALUE}).")
        int width;

        @Override
        public Integer call() {
            long fromNs = time("--from", from, 0);
            long toNs = time("--to", to, -1);
            Pattern pattern = null;
            if (tracks != null) {
                try {
                    pattern = Pattern.compile(tracks);
                } catch (PatternSyntaxException e) {
                    throw new Main.UsageError("--tracks " + tracks + ": not a regular expression: " + Main.oneLine(e.getDescription()));
                }
            }
            TraceSvg.Options options;
            try {
                options = new TraceSvg.Options(fromNs, toNs, pattern, width);
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

        private static long time(String flag, String text, long absent) {
            if (text == null) {
                return absent;
            }
            try {
                return Units.duration(text);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError(flag + " " + text + ": " + Main.oneLine(e.getMessage()));
            }
        }
    }
}
