package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TraceSvgTest {
    private static final String TRACE = """
            {"traceEvents":[
            {"name":"process_name","ph":"M","pid":1,"args":{"name":"brassboard virt"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":10,"args":{"name":"cpu0"}},
            {"name":"thread_sort_index","ph":"M","pid":1,"tid":10,"args":{"sort_index":10}},
            {"name":"thread_name","ph":"M","pid":1,"tid":100,"args":{"name":"uart0"}},
            {"name":"thread_name","ph":"M","pid":1,"tid":11,"args":{"name":"cpu0 irqs-off"}},
            {"name":"IRQ","ph":"B","ts":100.000,"pid":1,"tid":10},
            {"name":"gic_handle_irq","ph":"B","ts":100.250,"pid":1,"tid":10},
            {"name":"gic_handle_irq","ph":"E","ts":180.000,"pid":1,"tid":10},
            {"name":"IRQ","ph":"E","ts":200.000,"pid":1,"tid":10},
            {"name":"irqs-off","ph":"B","ts":100.000,"pid":1,"tid":11},
            {"name":"irqs-off","ph":"E","ts":200.000,"pid":1,"tid":11},
            {"name":"uart.tx","ph":"i","s":"t","ts":150.000,"pid":1,"tid":100,"args":{"detail":"'a'"}},
            {"name":"__do_softirq","ph":"B","ts":300.000,"pid":1,"tid":10}
            ],"displayTimeUnit":"ns"}
            """;

    private static String render(String json, TraceSvg.Options o) throws Exception {
        return TraceSvg.render(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), o);
    }

    @Test
    void tracksSlicesNestingAndInstants() throws Exception {
        String svg = render(TRACE, new TraceSvg.Options(0, -1, null, 1000));
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1000\"");
        // tracks in sort order: cpu0 (10), its irqs-off (11), uart0 (100)
        assertThat(svg.indexOf(">cpu0<")).isLessThan(svg.indexOf(">cpu0 irqs-off<"));
        assertThat(svg.indexOf(">cpu0 irqs-off<")).isLessThan(svg.indexOf(">uart0<"));
        assertThat(svg).contains("<title>IRQ</title>").contains("<title>gic_handle_irq</title>").contains("<title>uart.tx</title>");
        // the nested slice is one row lower than its parent
        assertThat(yOf(svg, "gic_handle_irq") - yOf(svg, "IRQ")).isEqualTo(15);
        // a slice still open at the end runs to the trace's end (300 us): it is drawn
        assertThat(svg).contains("<title>__do_softirq</title>");
        assertThat(svg).contains(">virtual time<").contains(">100 us<");
    }

    @Test
    void aWindowAndATrackFilterLeaveOutWhatIsOutside() throws Exception {
        String svg = render(TRACE, new TraceSvg.Options(120_000, 190_000, Pattern.compile("^cpu0$"), 1000));
        assertThat(svg).contains(">cpu0<").doesNotContain(">uart0<").doesNotContain(">cpu0 irqs-off<")
                .doesNotContain("__do_softirq");
    }

    @Test
    void slicesNarrowerThanAPixelMergeIntoOneGreyRun() throws Exception {
        StringBuilder json = new StringBuilder("{\"traceEvents\":[");
        for (int i = 0; i < 1000; i++) {
            json.append("{\"name\":\"s").append(i).append("\",\"ph\":\"B\",\"ts\":").append(i).append(".000,\"pid\":1,\"tid\":10},");
            json.append("{\"name\":\"s").append(i).append("\",\"ph\":\"E\",\"ts\":").append(i).append(".500,\"pid\":1,\"tid\":10},");
        }
        json.setLength(json.length() - 1);
        json.append("]}");
        String svg = render(json.toString(), new TraceSvg.Options(0, -1, null, 400));
        assertThat(svg).contains("slices</title>").contains("#9e9e9e");
        assertThat(svg.split("<rect").length).isLessThan(60);
    }

    @Test
    void theSameTraceGivesTheSamePicture() throws Exception {
        TraceSvg.Options o = new TraceSvg.Options(0, -1, null, 1200);
        assertThat(render(TRACE, o)).isEqualTo(render(TRACE, o));
    }

    @Test
    void whatIsNotATraceSaysWhy() {
        assertThatThrownBy(() -> render("[1,2]", new TraceSvg.Options(0, -1, null, 800)))
                .isInstanceOf(TraceSvg.TraceFormatException.class).hasMessageContaining("expected a JSON object with a traceEvents array");
        assertThatThrownBy(() -> render("{\"x\":1}", new TraceSvg.Options(0, -1, null, 800)))
                .hasMessageContaining("no traceEvents array");
        assertThatThrownBy(() -> render("{\"traceEvents\":[{\"ph\":", new TraceSvg.Options(0, -1, null, 800)))
                .isInstanceOf(TraceSvg.TraceFormatException.class).hasMessageContaining("not valid JSON at line 1");
        assertThatThrownBy(() -> new TraceSvg.Options(0, -1, null, 50)).hasMessageContaining("width 50 is outside 200..20000");
        assertThatThrownBy(() -> new TraceSvg.Options(10, 5, null, 800)).hasMessageContaining("the window is empty");
    }

    @Test
    void axisTimesAndSteps() {
        assertThat(TraceSvg.niceStep(0)).isEqualTo(1);
        assertThat(TraceSvg.niceStep(3)).isEqualTo(5);
        assertThat(TraceSvg.niceStep(1_300)).isEqualTo(2_000);
        assertThat(TraceSvg.duration(2_000_000_000L)).isEqualTo("2 s");
        assertThat(TraceSvg.duration(1_500_000L)).isEqualTo("1.5 ms");
        assertThat(TraceSvg.duration(250)).isEqualTo("250 ns");
        assertThat(TraceSvg.colour("IRQ")).isEqualTo(TraceSvg.colour("IRQ")).startsWith("hsl(");
    }

    private static int yOf(String svg, String title) {
        int at = svg.indexOf("<title>" + title + "</title>");
        int rect = svg.lastIndexOf("<rect", at);
        int y = svg.indexOf("y=\"", rect) + 3;
        return Integer.parseInt(svg.substring(y, svg.indexOf('"', y)));
    }
}
