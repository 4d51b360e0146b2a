package brassboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace view} without a browser: the file it writes for speedscope and the address it prints
 * (the browser half is {@link TraceViewTest}, in the thirdparty group).
 */
class TraceViewCommandTest {
    private static final Path IRQ_DEMO = Path.of("..", "firmware", "images", "irq-demo.elf");
    private static final Pattern LOADER = Pattern.compile("speedscope\\.loadFileFromBase64\\(\"([^\"]*)\", \"([A-Za-z0-9+/=]*)\"\\)\n");

    @Test
    void writesTheProfileForSpeedscopeAndPrintsItsAddress(@TempDir Path dir) throws Exception {
        Path viewer = Files.createDirectories(dir.resolve("a viewer").resolve("dist").resolve("release")).getParent().getParent();
        Files.writeString(viewer.resolve(SpeedscopeView.INDEX), "<html></html>");
        Path traces = Files.createDirectories(dir.resolve("my traces"));
        Path json = traces.resolve("irq-demo.json");
        CliTest.Outcome run = CliTest.brassboard("run", "--cpus", "2", "--profile", "irqkit", "--trace", json.toString(), IRQ_DEMO.toString());
        assertThat(run.status()).as(run.err()).isZero();

        CliTest.Outcome o = CliTest.brassboard("trace", "view", json.toString(), "--viewer", viewer.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.err()).isEmpty();
        Path loader = traces.resolve("irq-demo.speedscope.js");
        String url = o.out().strip();
        assertThat(url).startsWith(viewer.resolve(SpeedscopeView.INDEX).toUri() + "#localProfilePath=%2F").doesNotContain(" ");
        // speedscope decodes the hash value once and loads file:/// + it: that must be the loader file
        String decoded = URLDecoder.decode(url.substring(url.indexOf('=') + 1), StandardCharsets.UTF_8);
        assertThat(Path.of(URI.create("file://" + decoded))).isEqualTo(loader.toAbsolutePath());

        Matcher m = LOADER.matcher(Files.readString(loader));
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).isEqualTo("irq-demo.json");
        JsonNode profile = new ObjectMapper().readTree(Base64.getDecoder().decode(m.group(2)));
        assertThat(profile.get("$schema").asText()).isEqualTo("https://www.speedscope.app/file-format-schema.json");
        assertThat(profile.get("name").asText()).isEqualTo("irq-demo.json");
        assertThat(profile.get("profiles").findValuesAsText("name")).startsWith("cpu0", "cpu0 irqs-off", "cpu1", "cpu1 irqs-off");

        // a window, another output, another first track
        Path tick = dir.resolve("tick.js");
        CliTest.Outcome w = CliTest.brassboard("trace", "view", json.toString(), "--viewer", viewer.toString(), "-o", tick.toString(),
                "--from", "2.018ms", "--to", "2.045ms", "--show", "cpu1");
        assertThat(w.status()).as(w.err()).isZero();
        Matcher t = LOADER.matcher(Files.readString(tick));
        assertThat(t.matches()).isTrue();
        JsonNode window = new ObjectMapper().readTree(Base64.getDecoder().decode(t.group(2)));
        assertThat(window.get("name").asText()).isEqualTo("irq-demo.json, 2.018 ms to 2.045 ms");
        JsonNode first = window.get("profiles").get(window.get("activeProfileIndex").asInt());
        assertThat(first.get("name").asText()).isEqualTo("cpu1, times from 2.018 ms");
        assertThat(first.get("startValue").asLong()).isEqualTo(2_018_000);
        assertThat(first.get("endValue").asLong()).isEqualTo(2_045_000);
    }

    @Test
    void badInputIsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path viewer = Files.createDirectories(dir.resolve("v").resolve("dist").resolve("release")).getParent().getParent();
        Files.writeString(viewer.resolve(SpeedscopeView.INDEX), "<html></html>");
        CliTest.Outcome missing = CliTest.brassboard("trace", "view", dir.resolve("nope.json").toString(), "--viewer", viewer.toString())
                .oneLineError();
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.json: no such file; expected a trace written by 'run --trace FILE.json'");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"traceEvents\":[{\"ph\":\"B\",");
        CliTest.Outcome notJson = CliTest.brassboard("trace", "view", bad.toString(), "--viewer", viewer.toString()).oneLineError();
        assertThat(notJson.status()).isEqualTo(2);
        assertThat(notJson.err()).contains("bad.json: not valid JSON at line 1");
        CliTest.Outcome noViewer = CliTest.brassboard("trace", "view", bad.toString(), "--viewer", dir.toString()).oneLineError();
        assertThat(noViewer.err()).contains("no dist/release/index.html there; expected speedscope's npm package directory");
        CliTest.Outcome window = CliTest.brassboard("trace", "view", bad.toString(), "--viewer", viewer.toString(), "--from", "2ms", "--to", "1ms")
                .oneLineError();
        assertThat(window.err()).contains("--from/--to: the window is empty");
        CliTest.Outcome regex = CliTest.brassboard("trace", "view", bad.toString(), "--viewer", viewer.toString(), "--show", "(").oneLineError();
        assertThat(regex.err()).contains("--show (: not a regular expression");
    }
}
