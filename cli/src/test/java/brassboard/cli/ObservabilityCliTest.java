package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --trace FILE.json, --symbols, --span, --profile and --report as a user meets them. */
class ObservabilityCliTest {
    private static final String HELLO = Path.of("..", "firmware", "images", "hello.elf").toString();
    private static final String IRQDEMO = Path.of("..", "boards", "src", "test", "resources", "brassboard", "boards",
            "trace", "irqdemo.elf").toString();

    @Test
    void aJsonTraceWithSpansAndTheReport(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("in.txt");
        Files.writeString(input, "abc");
        Path json = dir.resolve("run.json");
        CliTest.Outcome o = brassboard("run", "--input", input.toString(), "--trace", json.toString(),
                "--profile", "irqkit", "--span", "uart_rx", "--report", IRQDEMO);
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).isEqualTo("bcd");
        assertThat(o.err()).contains("brassboard: warning: no function schedule, run_timer_softirq, ksoftirqd_run")
                .contains("brassboard: IRQ report (virtual time ")
                .contains("cpu0:")
                .contains("irq latency (pending to GICC_IAR):  3, p50 ")
                .contains("irq top half (entry to return):     3, p50 ")
                .contains("longest irqs-off:")
                .contains("bottom-half deferral (irq entry to process_one_work): 3, p50 ");
        var root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("displayTimeUnit").asText()).isEqualTo("ns");
        String text = Files.readString(json);
        assertThat(text).contains("\"name\":\"uart_rx\"").contains("\"name\":\"gic_handle_irq\"").contains("\"cpu0 irqs-off\"");

        // the same run again: the same bytes
        Path again = dir.resolve("again.json");
        brassboard("run", "--input", input.toString(), "--trace", again.toString(),
                "--profile", "irqkit", "--span", "uart_rx", "--report", IRQDEMO);
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(json));
    }

    @Test
    void aTraceRenderedAsAPicture(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        assertThat(brassboard("run", "--cpus", "2", "--trace", json.toString(), "--profile", "irqkit",
                Path.of("..", "firmware", "images", "irq-demo.elf").toString()).status()).isZero();
        Path svg = dir.resolve("run.svg");
        CliTest.Outcome o = brassboard("trace", "render", json.toString(), "-o", svg.toString(), "--tracks", "cpu|irq", "--width", "1200");
        assertThat(o.status()).as(o.err()).isZero();
        String picture = Files.readString(svg);
        assertThat(picture).startsWith("<svg").contains(">cpu0<").contains(">cpu1<").contains(">cpu0 irqs-off<")
                .contains("<title>__do_softirq</title>").doesNotContain(">uart0<");
        Path again = dir.resolve("again.svg");
        brassboard("trace", "render", json.toString(), "-o", again.toString(), "--tracks", "cpu|irq", "--width", "1200");
        assertThat(Files.readString(again)).isEqualTo(picture);

        CliTest.Outcome missing = brassboard("trace", "render", dir.resolve("nope.json").toString(), "-o", svg.toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("brassboard: ").contains("nope.json: no such file").doesNotContain("Exception");
        Path notJson = dir.resolve("bad.json");
        Files.writeString(notJson, "hello");
        CliTest.Outcome bad = brassboard("trace", "render", notJson.toString(), "-o", svg.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("bad.json: not valid JSON at line 1").doesNotContain("\n");
        CliTest.Outcome window = brassboard("trace", "render", json.toString(), "-o", svg.toString(), "--from", "2s", "--to", "1s");
        assertThat(window.status()).isEqualTo(2);
        assertThat(window.err()).contains("--from/--to: the window is empty");
        CliTest.Outcome regex = brassboard("trace", "render", json.toString(), "-o", svg.toString(), "--tracks", "(");
        assertThat(regex.status()).isEqualTo(2);
        assertThat(regex.err()).contains("--tracks (: not a regular expression");
    }

    @Test
    void aTextTraceStaysText(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("run.trace");
        assertThat(brassboard("run", "--trace", trace.toString(), "--span", "main", HELLO).status()).isZero();
        assertThat(Files.readString(trace, StandardCharsets.UTF_8)).startsWith("              0 ns  machine  machine.start");
    }

    @Test
    void symbolsFromASystemMap(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("System.map");
        Files.writeString(map, "40010000 T _start\n4001034c T renamed_main\n");
        Path json = dir.resolve("t.json");
        CliTest.Outcome o = brassboard("run", "--symbols", map.toString(), "--span", "renamed_main", "--trace",
                json.toString(), HELLO);
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(Files.readString(json)).contains("\"name\":\"renamed_main\"");
    }

    @Test
    void badInputGetsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        CliTest.Outcome profile = brassboard("run", "--profile", "bsd", HELLO).oneLineError();
        assertThat(profile.status()).isEqualTo(2);
        assertThat(profile.err()).isEqualTo("brassboard: --profile 'bsd': unknown profile; known profiles: irqkit, linux\n");
        Path missing = dir.resolve("System.map");
        CliTest.Outcome symbols = brassboard("run", "--symbols", missing.toString(), HELLO).oneLineError();
        assertThat(symbols.status()).isEqualTo(2);
        assertThat(symbols.err()).contains("--symbols " + missing + ": no such file");
        Path bad = dir.resolve("bad.map");
        Files.writeString(bad, "hello world\n");
        CliTest.Outcome badMap = brassboard("run", "--symbols", bad.toString(), HELLO).oneLineError();
        assertThat(badMap.status()).isEqualTo(2);
        assertThat(badMap.err()).contains("bad.map: line 1: 'hello world' is not a System.map line");
        CliTest.Outcome badTrace = brassboard("run", "--trace", dir.resolve("no/such/dir/t.json").toString(), HELLO).oneLineError();
        assertThat(badTrace.status()).isEqualTo(2);
    }
}
