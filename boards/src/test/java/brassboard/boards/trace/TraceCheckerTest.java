package brassboard.boards.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The checker itself: it passes a good trace and names what is wrong with bad ones. */
class TraceCheckerTest {
    private static final String NAMES = "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"t\"}},";

    private static java.util.List<String> check(String events) {
        return TraceChecker.problems(("{\"traceEvents\":[" + NAMES + events + "],\"displayTimeUnit\":\"ns\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String ev(String ph, String name, String ts) {
        return "{\"name\":\"" + name + "\",\"ph\":\"" + ph + "\",\"ts\":" + ts + ",\"pid\":1,\"tid\":1}";
    }

    @Test
    void acceptsNestedSlicesAndInstants() {
        assertThat(check(String.join(",", ev("B", "a", "1.000"), ev("B", "b", "1.500"), ev("i", "x", "1.700"),
                ev("E", "b", "2.000"), ev("E", "a", "2.000")))).isEmpty();
    }

    @Test
    void rejectsOverlappingSlices() {
        assertThat(check(String.join(",", ev("B", "a", "1.000"), ev("B", "b", "1.500"),
                ev("E", "a", "2.000"), ev("E", "b", "3.000"))))
                .anyMatch(p -> p.contains("E of 'a'") && p.contains("'b' is the innermost"));
    }

    @Test
    void rejectsUnclosedSlicesStrayEndsAndTimeGoingBack() {
        assertThat(check(ev("B", "a", "1.000"))).anyMatch(p -> p.contains("never closed: [a]"));
        assertThat(check(ev("E", "a", "1.000"))).anyMatch(p -> p.contains("with nothing open"));
        assertThat(check(String.join(",", ev("i", "a", "2.000"), ev("i", "b", "1.999"))))
                .anyMatch(p -> p.contains("goes back"));
    }

    @Test
    void rejectsUnnamedTracksAndNonTraces() {
        assertThat(check("{\"name\":\"a\",\"ph\":\"i\",\"ts\":1,\"pid\":1,\"tid\":7}")).anyMatch(p -> p.contains("no thread_name"));
        assertThat(TraceChecker.problems("[1,2".getBytes(StandardCharsets.UTF_8))).anyMatch(p -> p.startsWith("not JSON"));
        assertThat(TraceChecker.problems("{}".getBytes(StandardCharsets.UTF_8))).containsExactly("no traceEvents array");
    }
}
