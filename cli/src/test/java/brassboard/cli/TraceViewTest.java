package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import brassboard.boards.trace.SpeedscopeExport;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace view} end to end: an irq-demo trace from {@code run --trace}, opened in the real
 * speedscope (fetched by {@code firmware/third-party/fetch-viewer.sh}) in Debian's headless Chromium,
 * offline. speedscope must show it with no exception, console error or warning, dialog or failed
 * resource, and its DOM must name the trace and its slices; broken inputs must make the same check fail.
 * Thirdparty group: with {@code CI} set, a missing Chromium or viewer fails, never skips.
 */
@Tag("thirdparty")
class TraceViewTest {
    private static final Path IRQ_DEMO = Path.of("..", "firmware", "images", "irq-demo.elf");

    @TempDir
    static Path dir;
    static Path trace;
    static Path viewer;
    static HeadlessChromium browser;

    private static void missing(String message) {
        if (System.getenv("CI") != null) {
            fail(message);
        }
        Assumptions.abort(message);
    }

    @BeforeAll
    static void traceViewerAndBrowser() throws Exception {
        viewer = SpeedscopeView.locate(null);
        if (viewer == null) {
            missing("speedscope is missing: run `bash firmware/third-party/fetch-viewer.sh` first");
        }
        Path chromium = HeadlessChromium.find();
        if (chromium == null) {
            missing("chromium is missing: apt-get install chromium");
        }
        trace = dir.resolve("irq-demo.json");
        CliTest.Outcome run = CliTest.brassboard("run", "--cpus", "2", "--profile", "irqkit", "--trace", trace.toString(), IRQ_DEMO.toString());
        assertThat(run.status()).as(run.err()).isZero();
        browser = HeadlessChromium.start(chromium, 1200, 500);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private static SpeedscopeView.Load show(Path loader, String view) throws Exception {
        return SpeedscopeView.load(browser, SpeedscopeView.url(viewer, loader, view), Duration.ofSeconds(60), false);
    }

    @Test
    void theFetchScriptPinsTheVersionTheCommandLooksFor() throws Exception {
        String script = Files.readString(Path.of("..", "firmware", "third-party", "fetch-viewer.sh"));
        assertThat(script).contains("\nVERSION=" + SpeedscopeView.VERSION + "\n");
        assertThat(viewer.getFileName().toString()).isEqualTo(SpeedscopeView.DIRECTORY);
    }

    @Test
    void speedscopeShowsTheIrqDemoTraceWithoutAnErrorAndNamesItsSlices() throws Exception {
        Path loader = dir.resolve("irq-demo.speedscope.js");
        CliTest.Outcome o = CliTest.brassboard("trace", "view", trace.toString(), "-o", loader.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out().strip()).isEqualTo(SpeedscopeView.url(viewer, loader, null)).startsWith("file:///");

        SpeedscopeView.Load time = show(loader, null);
        assertThat(time.failures()).isEmpty();
        assertThat(time.title()).isEqualTo("irq-demo.json - speedscope");
        // the toolbar names the track shown: the first of cpu0, its irqs-off, cpu1, ..., the interrupt lines
        assertThat(time.text()).contains("cpu0 (1/");
        assertThat(time.requests()).isNotEmpty().allMatch(u -> u.startsWith("file:"));

        // the sandwich view lists cpu0's functions as DOM rows: the irq-demo slices, by name
        SpeedscopeView.Load sandwich = show(loader, "sandwich");
        assertThat(sandwich.failures()).isEmpty();
        assertThat(sandwich.text()).contains("irq", "gic_handle_irq", "irq_exit", "__do_softirq", "run_timer_softirq", "tasklet_action");
    }

    @Test
    void theScreenshotIsThePictureOfAWindowOfTheTrace() throws Exception {
        Path png = dir.resolve("tick.png");
        CliTest.Outcome o = CliTest.brassboard("trace", "view", trace.toString(), "-o", dir.resolve("tick.speedscope.js").toString(),
                "--from", "2.018ms", "--to", "2.045ms", "--screenshot", png.toString(), "--size", "900x300");
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("speedscope showed 'irq-demo.json, 2.018 ms to 2.045 ms - speedscope' without an error; wrote " + png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(300);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("a drawn flame chart, not a blank page").hasSizeGreaterThan(20);
    }

    @Test
    void aBrokenProfileMakesTheCheckFail() throws Exception {
        // The converted trace with one close event taken out: speedscope's import throws and it shows its error screen.
        byte[] good = SpeedscopeExport.toBytes(Files.newInputStream(trace), "irq-demo.json", SpeedscopeExport.Options.all());
        String json = new String(good, StandardCharsets.UTF_8);
        int close = json.indexOf("{\"type\":\"C\""); // cpu0's first close, with events after it
        String unbalanced = json.substring(0, close) + json.substring(json.indexOf('}', close) + 2);
        Path loader = dir.resolve("unbalanced.js");
        Files.writeString(loader, SpeedscopeExport.loaderScript("irq-demo.json", unbalanced.getBytes(StandardCharsets.UTF_8)));
        SpeedscopeView.Load load = show(loader, null);
        System.out.println("unbalanced profile: " + load.failures());
        assertThat(load.failures()).anyMatch(f -> f.contains("Something went wrong"));
        assertThat(load.ready()).isFalse();
    }

    @Test
    void aTruncatedTraceInSpeedscopeItselfFailsTheCheck() throws Exception {
        // The raw Chrome JSON cut in half, handed to speedscope's own importer: it is no format it knows.
        byte[] raw = Files.readAllBytes(trace);
        Path loader = dir.resolve("truncated.js");
        Files.writeString(loader, SpeedscopeExport.loaderScript("irq-demo.json", java.util.Arrays.copyOf(raw, raw.length / 2)));
        SpeedscopeView.Load load = show(loader, null);
        System.out.println("truncated trace: " + load.failures());
        assertThat(load.failures()).isNotEmpty();
        assertThat(load.failures()).anyMatch(f -> f.startsWith("dialog (alert)") || f.contains("Something went wrong"));
    }

    @Test
    void aMissingProfileFileFailsTheCheck() throws Exception {
        SpeedscopeView.Load load = show(dir.resolve("never-written.js"), null);
        assertThat(load.failures()).anyMatch(f -> f.startsWith("a resource failed to load: net::ERR_FILE_NOT_FOUND"));
        assertThat(load.ready()).isFalse();
    }

    @Test
    void aTruncatedTraceIsOneLineFromTheCommand() throws Exception {
        byte[] raw = Files.readAllBytes(trace);
        Path broken = dir.resolve("broken.json");
        Files.write(broken, java.util.Arrays.copyOf(raw, raw.length / 2));
        CliTest.Outcome o = CliTest.brassboard("trace", "view", broken.toString(), "--screenshot", dir.resolve("b.png").toString()).oneLineError();
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("broken.json: not valid JSON");
        assertThat(dir.resolve("b.png")).doesNotExist();
    }

    @Test
    void theRawChromeTraceOpensInSpeedscopesOwnImporterWithOnlyItsArgumentWarnings() throws Exception {
        // Why trace view converts: speedscope reads Chrome JSON too, but names each slice by name and
        // arguments, so every end event (which has none) draws a warning. No exception, error or dialog.
        Path loader = dir.resolve("raw.js");
        Files.writeString(loader, SpeedscopeExport.loaderScript("irq-demo.json", Files.readAllBytes(trace)));
        SpeedscopeView.Load load = show(loader, null);
        assertThat(load.ready()).isTrue();
        assertThat(load.title()).isEqualTo("irq-demo.json - speedscope");
        assertThat(load.text()).contains("brassboard virt (pid 1), cpu0 (tid 10)");
        List<String> failures = load.failures();
        assertThat(failures).isNotEmpty().allMatch(f -> f.startsWith("console.warn: ") && (f.contains("Tried to end") || f.contains("was still open at end of profile")));
    }

    @Test
    void noViewerOrABadOptionIsOneLine() {
        CliTest.Outcome v = CliTest.brassboard("trace", "view", trace.toString(), "--viewer", dir.toString()).oneLineError();
        assertThat(v.status()).isEqualTo(2);
        assertThat(v.err()).contains("--viewer " + dir + ": no dist/release/index.html there");
        CliTest.Outcome s = CliTest.brassboard("trace", "view", trace.toString(), "--screenshot", "x.png", "--size", "big").oneLineError();
        assertThat(s.err()).contains("--size big: expected WIDTHxHEIGHT");
        CliTest.Outcome t = CliTest.brassboard("trace", "view", trace.toString(), "--show", "gpu").oneLineError();
        assertThat(t.err()).contains("no track with slices in the window matches 'gpu'");
    }
}
