package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.RunResult;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.irqkit.WifiRigs;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WiFi driver's halves as spans in the Perfetto trace (--trace with --profile irqkit plus the
 * driver's functions as --span): the top half inside gic_handle_irq, the NAPI poll inside the NET_RX
 * softirq, the TX-completion tasklet inside tasklet_action, the RF and reset work items inside
 * process_one_work on cpu1.
 */
class WifiTraceTest {
    static final List<String> DRIVER = List.of("wifi_interrupt", "net_rx_action", "wifi_poll", "wifi_tx_complete",
            "wifi_rf_work", "wifi_reset_work", "wifi_watchdog", "wifi_tx_flush");

    private static byte[] trace(String demo, String plan, List<String> warnings) throws Exception {
        Path image = TestImages.image(demo + ".elf");
        TestImages.Rig rig = WifiRigs.rig(image, 2, "channel=6,rx-rate=20000,rx-count=400,rx-start=2ms");
        FaultPlan.load(Path.of("..", "docs", "examples", plan)).applyTo(rig.machine());
        List<String> spans = new ArrayList<>(SpanProfiles.names("irqkit").orElseThrow());
        spans.addAll(DRIVER);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        Observation o = Observation.attach(rig.machine(), Observation.imageSymbols(image), spans, json, true, warnings::add);
        RunResult result = rig.machine().run(RunLimits.none().withMaxTimeNs(1_000_000_000L));
        o.finish();
        rig.machine().tracer().close();
        assertThat(result.outcome()).as(result.message()).isEqualTo(RunResult.Outcome.POWER_OFF);
        assertThat(TraceChecker.problems(json.toByteArray())).isEmpty();
        return json.toByteArray();
    }

    /** "depth:name" entries directly below a parent "depth-1:parent" (the parent's nearest enclosing span). */
    private static List<String> children(List<String> slices, String parent) {
        List<String> out = new ArrayList<>();
        List<String> stack = new ArrayList<>();
        for (String s : slices) {
            int depth = Integer.parseInt(s.substring(0, s.indexOf(':')));
            String name = s.substring(s.indexOf(':') + 1);
            while (stack.size() > depth) {
                stack.remove(stack.size() - 1);
            }
            if (!stack.isEmpty() && stack.get(stack.size() - 1).equals(parent)) {
                out.add(name);
            }
            stack.add(name);
        }
        return out;
    }

    @Test
    void theTopHalfThePollTheTaskletAndTheRfWorkAreSpansInTheirContexts() throws Exception {
        List<String> warnings = new ArrayList<>();
        byte[] json = trace("wifi-pll-unlock", "wifi-pll-unlock.yaml", warnings);
        List<String> cpu0 = ObservationTest.slices(json, 10);
        List<String> cpu1 = ObservationTest.slices(json, 12);
        assertThat(children(cpu0, "gic_handle_irq")).contains("wifi_interrupt");
        assertThat(children(cpu0, "__do_softirq")).contains("net_rx_action", "tasklet_action");
        assertThat(children(cpu0, "net_rx_action")).containsOnly("wifi_poll");
        assertThat(children(cpu0, "tasklet_action")).contains("wifi_tx_complete");
        assertThat(children(cpu1, "process_one_work")).containsOnly("wifi_rf_work", "wifi_watchdog");
        assertThat(cpu1.stream().filter(s -> s.endsWith(":wifi_rf_work")).count()).isEqualTo(1);
        assertThat(cpu0).noneMatch(s -> s.endsWith(":wifi_rf_work"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void theResetWorkAndTheWatchdogRunOnCpu1() throws Exception {
        List<String> warnings = new ArrayList<>();
        byte[] json = trace("wifi-link-down", "wifi-link-down.yaml", warnings);
        List<String> cpu1 = ObservationTest.slices(json, 12);
        // four attempts: three find the link down, the fourth resets
        assertThat(cpu1.stream().filter(s -> s.endsWith(":wifi_reset_work")).count()).isEqualTo(4);
        assertThat(children(cpu1, "process_one_work")).contains("wifi_reset_work", "wifi_watchdog");
        assertThat(cpu1).anyMatch(s -> s.endsWith(":wifi_tx_flush"));
        assertThat(warnings).isEmpty();
    }
}
