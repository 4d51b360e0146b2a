package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.TestImages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SpeedscopeExportTest {
    /** Two tracks out of sort order, args on the begin events (as the writer puts them), an instant, a slice left open. */
    private static final String TRACE = """
            {"traceEvents":[
            {"name":"process_name","ph":"M","pid":1,"args":{"name":"brassboard virt"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":11,"args":{"name":"cpu0 irqs-off"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":10,"args":{"name":"cpu0"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":100,"args":{"name":"uart0"}},
            {"name":"irq","ph":"B","ts":100.000,"pid":1,"tid":10,"args":{"from":"0x40010000 main+0x0"}},
            {"name":"gic_handle_irq","ph":"B","ts":100.250,"pid":1,"tid":10,"args":{"at":"0x40011f30 gic_handle_irq+0x0"}},
            {"name":"gic_handle_irq","ph":"E","ts":180.000,"pid":1,"tid":10},
            {"name":"irq_exit","ph":"B","ts":180.001,"pid":1,"tid":10},
            {"name":"irq_exit","ph":"E","ts":199.999,"pid":1,"tid":10},
            {"name":"irq","ph":"E","ts":200.000,"pid":1,"tid":10},
            {"name":"irqs-off","ph":"B","ts":100.000,"pid":1,"tid":11},
            {"name":"irqs-off","ph":"E","ts":200.000,"pid":1,"tid":11},
            {"name":"uart.tx","ph":"i","s":"t","ts":150.000,"pid":1,"tid":100,"args":{"detail":"'a'"}},
            {"name":"irq","ph":"B","ts":300.000,"pid":1,"tid":10}
            ],"displayTimeUnit":"ns"}
            """;

    private static JsonNode export(String json, SpeedscopeExport.Options o) throws Exception {
        byte[] out = SpeedscopeExport.toBytes(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json", o);
        return new ObjectMapper().readTree(out);
    }

    /** A profile's events as "O name at" / "C name at" lines. */
    private static List<String> events(JsonNode file, int profile) {
        List<String> lines = new ArrayList<>();
        JsonNode frames = file.get("shared").get("frames");
        for (JsonNode e : file.get("profiles").get(profile).get("events")) {
            lines.add(e.get("type").asText() + " " + frames.get(e.get("frame").asInt()).get("name").asText() + " " + e.get("at").asLong());
        }
        return lines;
    }

    @Test
    void eachTrackWithSlicesIsAnEventedProfileOnTheTracesOwnClock() throws Exception {
        JsonNode f = export(TRACE, SpeedscopeExport.Options.all());
        assertThat(f.get("$schema").asText()).isEqualTo("https://www.speedscope.app/file-format-schema.json");
        assertThat(f.get("name").asText()).isEqualTo("t.json");
        assertThat(f.get("activeProfileIndex").asInt()).isZero();
        // sorted by thread_sort_index (here the thread id): cpu0 (10), cpu0 irqs-off (11); uart0 has only an instant
        assertThat(f.get("profiles")).hasSize(2);
        JsonNode cpu0 = f.get("profiles").get(0);
        assertThat(cpu0.get("name").asText()).isEqualTo("cpu0");
        assertThat(cpu0.get("type").asText()).isEqualTo("evented");
        assertThat(cpu0.get("unit").asText()).isEqualTo("nanoseconds");
        assertThat(cpu0.get("startValue").asLong()).isZero();
        assertThat(cpu0.get("endValue").asLong()).isEqualTo(300_000);
        // names without their arguments; nesting kept; the slice left open runs to the trace's end
        assertThat(events(f, 0)).containsExactly(
                "O irq 100000", "O gic_handle_irq 100250", "C gic_handle_irq 180000",
                "O irq_exit 180001", "C irq_exit 199999", "C irq 200000",
                "O irq 300000", "C irq 300000");
        assertThat(events(f, 1)).containsExactly("O irqs-off 100000", "C irqs-off 200000");
        // one frame per name, shared by the profiles
        assertThat(f.get("shared").get("frames").findValuesAsText("name")).containsExactly("irq", "gic_handle_irq", "irq_exit", "irqs-off");
    }

    @Test
    void aWindowClipsSlicesToItAndTheTrackShownFirstCanBeChosen() throws Exception {
        JsonNode f = export(TRACE, new SpeedscopeExport.Options(150_000, 190_000, null, null, Pattern.compile("irqs-off")));
        assertThat(f.get("activeProfileIndex").asInt()).isEqualTo(1);
        assertThat(f.get("profiles").findValuesAsText("name")).containsExactly("cpu0, times from 150 us", "cpu0 irqs-off, times from 150 us");
        assertThat(f.get("profiles").get(0).get("startValue").asLong()).isEqualTo(150_000);
        assertThat(f.get("profiles").get(0).get("endValue").asLong()).isEqualTo(190_000);
        assertThat(events(f, 0)).containsExactly(
                "O irq 150000", "O gic_handle_irq 150000", "C gic_handle_irq 180000",
                "O irq_exit 180001", "C irq_exit 190000", "C irq 190000");
        assertThat(events(f, 1)).containsExactly("O irqs-off 150000", "C irqs-off 190000");
    }

    @Test
    void hiddenSlicesAndTrackFilters() throws Exception {
        JsonNode f = export(TRACE, new SpeedscopeExport.Options(0, -1, Pattern.compile("^cpu0$"), Pattern.compile("gic_handle_irq"), null));
        assertThat(f.get("profiles")).hasSize(1);
        assertThat(events(f, 0)).containsExactly(
                "O irq 100000", "O irq_exit 180001", "C irq_exit 199999", "C irq 200000", "O irq 300000", "C irq 300000");
    }

    @Test
    void eventsAreInTimeOrderAndBalancedOnARealTrace() throws Exception {
        // irq-demo on two cores with the irqkit spans, as `run --cpus 2 --profile irqkit --trace` traces it
        Path image = TestImages.image("irq-demo.elf");
        TestImages.Rig rig = TestImages.rig(MachineConfig.of(image).withCpus(2), null);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Observation o = Observation.attach(rig.machine(), Observation.imageSymbols(image),
                SpanProfiles.names("irqkit").orElseThrow(), json, true, w -> { });
        rig.machine().run(RunLimits.none().withMaxTimeNs(1_000_000_000L));
        o.finish();
        rig.machine().tracer().close();
        byte[] trace = json.toByteArray();
        JsonNode f = new ObjectMapper().readTree(SpeedscopeExport.toBytes(new ByteArrayInputStream(trace), "irqdemo.json",
                SpeedscopeExport.Options.all()));
        for (JsonNode p : f.get("profiles")) {
            long last = Long.MIN_VALUE;
            List<Integer> stack = new ArrayList<>();
            for (JsonNode e : p.get("events")) {
                assertThat(e.get("at").asLong()).isGreaterThanOrEqualTo(last);
                last = e.get("at").asLong();
                if (e.get("type").asText().equals("O")) {
                    stack.add(e.get("frame").asInt());
                } else {
                    assertThat(stack.remove(stack.size() - 1)).isEqualTo(e.get("frame").asInt());
                }
            }
            assertThat(stack).isEmpty();
        }
        assertThat(f.get("profiles").findValuesAsText("name")).startsWith("cpu0", "cpu0 irqs-off", "cpu1", "cpu1 irqs-off");
        assertThat(f.get("shared").get("frames").findValuesAsText("name"))
                .contains("irq", "gic_handle_irq", "__do_softirq", "run_timer_softirq", "tasklet_action", "process_one_work");
    }

    @Test
    void theLoaderScriptCarriesTheFileAsBase64() {
        String js = SpeedscopeExport.loaderScript("a \"b\".json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(js).isEqualTo("speedscope.loadFileFromBase64(\"a \\\"b\\\".json\", \""
                + Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "\")\n");
    }

    @Test
    void badWindowsAndEmptySelectionsAreNamed() {
        assertThatThrownBy(() -> new SpeedscopeExport.Options(5, 5, null, null, null))
                .hasMessageContaining("the window is empty");
        assertThatThrownBy(() -> export(TRACE, new SpeedscopeExport.Options(0, -1, Pattern.compile("nothing"), null, null)))
                .isInstanceOf(TraceSvg.TraceFormatException.class).hasMessage("no slices between 0 and 300 us on tracks matching 'nothing'");
        assertThatThrownBy(() -> export(TRACE, new SpeedscopeExport.Options(0, -1, null, null, Pattern.compile("gpu"))))
                .isInstanceOf(TraceSvg.TraceFormatException.class).hasMessageContaining("no track with slices in the window matches 'gpu'");
        assertThatThrownBy(() -> export("hello", SpeedscopeExport.Options.all()))
                .isInstanceOf(TraceSvg.TraceFormatException.class).hasMessageContaining("not valid JSON at line 1");
    }
}
