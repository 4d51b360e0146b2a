package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.firmware.api.SymbolTable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole runs watched: the Perfetto trace's structure and content, spans, and the IRQ report. */
class ObservationTest {
    static final Path IRQDEMO = Path.of("src", "test", "resources", "brassboard", "boards", "trace", "irqdemo.elf");

    /** A finished run's trace, report and warnings. */
    record Watched(RunResult result, String console, byte[] json, IrqReport.Summary report, List<String> warnings,
                   SymbolTable symbols) {
    }

    static Watched watch(Path image, String input, List<String> spans, boolean translate) throws Exception {
        TestImages.Rig rig = TestImages.rig(MachineConfig.of(image), input);
        rig.machine().cpu().setCompileBlocks(translate);
        SymbolTable symbols = Observation.imageSymbols(image);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();
        Observation o = Observation.attach(rig.machine(), symbols, spans, json, true, warnings::add);
        RunResult result = rig.machine().run(RunLimits.none().withMaxTimeNs(2_000_000_000L));
        o.finish();
        rig.machine().tracer().close();
        return new Watched(result, rig.text(), json.toByteArray(), o.report().orElseThrow(), warnings, symbols);
    }

    /** "depth:name" for each B on track {@code tid}, in order. */
    static List<String> slices(byte[] json, int tid) throws Exception {
        List<String> out = new ArrayList<>();
        int depth = 0;
        for (JsonNode e : new ObjectMapper().readTree(json).get("traceEvents")) {
            if (e.path("tid").asInt() != tid) {
                continue;
            }
            switch (e.path("ph").asText()) {
                case "B" -> out.add(depth++ + ":" + e.get("name").asText());
                case "E" -> depth--;
                default -> {
                }
            }
        }
        return out;
    }

    @Test
    void irqkitOnTwoCoresGivesOneWellFormedTrackPerCoreWithItsBottomHalves() throws Exception {
        Path image = TestImages.image("irq-demo.elf");
        TestImages.Rig rig = TestImages.rig(MachineConfig.of(image).withCpus(2), null);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        List<String> warnings = new ArrayList<>();
        Observation o = Observation.attach(rig.machine(), Observation.imageSymbols(image),
                SpanProfiles.names("irqkit").orElseThrow(), json, true, warnings::add);
        RunResult result = rig.machine().run(RunLimits.none().withMaxTimeNs(1_000_000_000L));
        o.finish();
        rig.machine().tracer().close();
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(TraceChecker.problems(json.toByteArray())).isEmpty();
        List<String> cpu0 = slices(json.toByteArray(), 10);
        List<String> cpu1 = slices(json.toByteArray(), 12);
        assertThat(cpu0).contains("0:irq", "1:gic_handle_irq", "3:__do_softirq", "4:tasklet_action");
        assertThat(cpu0.stream().filter(x -> x.endsWith(":run_timer_softirq")).count()).isEqualTo(10);
        assertThat(cpu1.stream().filter(x -> x.endsWith(":process_one_work")).count()).isEqualTo(10);
        assertThat(warnings).isEmpty();
        String text = new String(json.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("\"cpu1 irqs-off\"").contains("\"irq cpu0.timer.virt\"");
        IrqReport.Summary report = o.report().orElseThrow();
        assertThat(report.toString()).isNotEmpty();
    }

    @Test
    void anIrqDrivenFirmwareGivesAWellFormedTraceWithIrqsAndSpansNested() throws Exception {
        for (boolean translate : new boolean[] {false, true}) {
            Watched w = watch(IRQDEMO, "abc", SpanProfiles.names("irqkit").orElseThrow(), translate);
            assertThat(w.result().outcome()).as(w.result().message()).isEqualTo(RunResult.Outcome.POWER_OFF);
            assertThat(w.console()).isEqualTo("bcd");
            assertThat(TraceChecker.problems(w.json())).isEmpty();
            List<String> cpu0 = slices(w.json(), 10);
            List<String> oneIrq = List.of("0:irq", "1:gic_handle_irq", "2:irq_enter", "2:irq_exit", "3:__do_softirq",
                    "4:tasklet_action");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                expected.addAll(oneIrq);
                expected.add("0:process_one_work");
            }
            assertThat(cpu0).as("translate=%s", translate).isEqualTo(expected);
            assertThat(slices(w.json(), 11)).contains("0:irqs-off");
            String text = new String(w.json(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).contains("\"irq uart0\"").contains("\"irq gic.cpu0.irq\"").contains("\"cpu0 irqs-off\"")
                    .contains("\"name\":\"raise\"").contains("gic_handle_irq+0x0").contains("\"displayTimeUnit\":\"ns\"");
            assertThat(w.warnings()).containsExactly(
                    "no function schedule, run_timer_softirq, ksoftirqd_run in the symbols (irqdemo.elf); they are not traced");

            IrqReport.CpuSummary c = w.report().cpus().get(0);
            assertThat(c.irqLatency().count()).isEqualTo(3);
            assertThat(c.irqLatencyByInterrupt()).as("irq-demo's three UART receive interrupts, by INTID and line name")
                    .containsOnlyKeys("INTID 33 uart0");
            assertThat(c.irqLatencyByInterrupt().get("INTID 33 uart0").count()).isEqualTo(3);
            assertThat(c.topHalf().count()).isEqualTo(3);
            assertThat(c.topHalf().p50Ns()).isPositive();
            assertThat(c.bottomHalfDeferral().keySet()).containsExactly("__do_softirq", "tasklet_action", "process_one_work");
            assertThat(c.bottomHalfDeferral().get("process_one_work").count()).isEqualTo(3);
            assertThat(c.longestIrqsOff()).isPresent();
            String report = w.report().toText(w.symbols());
            assertThat(report).contains("cpu0:").contains("irq latency (pending to GICC_IAR):  3, p50 ")
                    .contains("    INTID 33 uart0:                   3, p50 ")
                    .contains("bottom-half deferral (irq entry to __do_softirq): 3, p50");
        }
    }

    @Test
    void theSameRunTwiceGivesByteIdenticalJson() throws Exception {
        List<String> spans = SpanProfiles.names("irqkit").orElseThrow();
        Watched a = watch(IRQDEMO, "abc", spans, true);
        Watched b = watch(IRQDEMO, "abc", spans, true);
        assertThat(a.json()).isEqualTo(b.json());
        assertThat(a.report().toText(a.symbols())).isEqualTo(b.report().toText(b.symbols()));
    }

    /**
     * Translation changes how fast guest code runs, never what it does: the same run with translated
     * blocks and with the interpreter alone gives the same trace, byte for byte (exception entries and
     * function spans at the same virtual nanosecond), the same console and the same instruction count.
     */
    @Test
    void translationOnAndOffGiveByteIdenticalTraces() throws Exception {
        record Case(Path image, String input, List<String> spans) {
        }
        for (Case c : List.of(
                new Case(TestImages.image("abort.elf"), null, List.of("uart_puts", "handle_exception")),
                new Case(TestImages.image("thumb.elf"), null, List.of("main")),
                new Case(IRQDEMO, "abc", SpanProfiles.names("irqkit").orElseThrow()))) {
            Watched on = watch(c.image(), c.input(), c.spans(), true);
            Watched off = watch(c.image(), c.input(), c.spans(), false);
            assertThat(on.console()).as(c.image().toString()).isEqualTo(off.console());
            assertThat(new String(on.json(), java.nio.charset.StandardCharsets.UTF_8)).as(c.image().toString())
                    .isEqualTo(new String(off.json(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(on.result()).as(c.image().toString()).isEqualTo(off.result());
        }
    }

    @Test
    void sampleImagesGiveWellFormedTraces() throws Exception {
        Watched abort = watch(TestImages.image("abort.elf"), null, List.of("uart_puts", "handle_exception"), true);
        assertThat(TraceChecker.problems(abort.json())).isEmpty();
        assertThat(slices(abort.json(), 10)).contains("0:data-abort", "1:handle_exception").contains("0:uart_puts");
        Watched hello = watch(TestImages.image("hello.elf"), null, List.of("main", "uart_puts", "no_such_thing"), true);
        assertThat(TraceChecker.problems(hello.json())).isEmpty();
        assertThat(slices(hello.json(), 10)).startsWith("0:main", "1:uart_puts");
        assertThat(hello.warnings()).containsExactly("no function no_such_thing in the symbols (hello.elf); it is not traced");
        // hello never unmasks IRQs: one masked interval from reset to the end
        IrqReport.MaskedInterval m = hello.report().cpus().get(0).longestIrqsOff().orElseThrow();
        assertThat(m.openAtEnd()).isTrue();
        assertThat(m.beginNs()).isZero();
    }

    @Test
    void thumbFunctionsAreTracedAsSpans() throws Exception {
        // main and its helpers are Thumb (odd symbol values); uart_puts is ARM: calls interwork both ways
        for (boolean translate : new boolean[] {false, true}) {
            Watched thumb = watch(TestImages.image("thumb.elf"), null, List.of("main", "uart_puts"), translate);
            assertThat(TraceChecker.problems(thumb.json())).isEmpty();
            List<String> s = slices(thumb.json(), 10);
            assertThat(s).startsWith("0:main", "1:uart_puts");
            assertThat(s.stream().filter(x -> x.equals("1:uart_puts")).count()).isEqualTo(10); // every uart_puts call in main
        }
    }

    @Test
    void microsecondsAreExact() {
        assertThat(PerfettoTraceWriter.micros(0)).isEqualTo("0.000");
        assertThat(PerfettoTraceWriter.micros(1_234_567)).isEqualTo("1234.567");
        assertThat(PerfettoTraceWriter.micros(5)).isEqualTo("0.005");
        assertThat(PerfettoTraceWriter.micros(10_050)).isEqualTo("10.050");
        assertThat(PerfettoTraceWriter.micros(Long.MAX_VALUE)).isEqualTo("9223372036854775.807");
    }
}
