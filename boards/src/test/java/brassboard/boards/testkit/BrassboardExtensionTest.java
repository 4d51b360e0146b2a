package brassboard.boards.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension run through the JUnit Platform (EngineTestKit) on fixture classes, some of whose tests
 * fail on purpose: what it keeps and publishes for a failed test, what it cleans up after a passing one,
 * and that it closes every machine. (Surefire runs no nested class, so the fixtures run only here.)
 */
class BrassboardExtensionTest {
    @TempDir
    Path out;

    /** Machines the fixtures were handed, to check they were closed. */
    static final List<TestMachine> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BrassboardTest(image = "../firmware/images/echo.elf")
    static class EchoFixture {
        @Test
        void passes(TestMachine m) {
            SEEN.add(m);
            m.console().expect("echo> $", Duration.ofSeconds(1));
        }

        @Test
        void failsWaitingForWhatNeverComes(TestMachine m) {
            SEEN.add(m);
            m.console().expect("echo> $", Duration.ofSeconds(1));
            m.console().sendLine("hello");
            m.console().expect("goodbye", Duration.ofMillis(5));
        }

        @Test
        void failsWithTwoMachines(TestMachineBuilder first, TestMachineBuilder second) {
            TestMachine a = first.build();
            TestMachine b = second.build();
            SEEN.add(a);
            SEEN.add(b);
            a.console().sendLine("one");
            b.console().sendLine("two");
            a.advance(Duration.ofMillis(5));
            b.advance(Duration.ofMillis(5));
            throw new AssertionError("on purpose");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2})
        void failsInEachInvocation(int n, TestMachine m) {
            SEEN.add(m);
            m.advance(Duration.ofMillis(1));
            throw new AssertionError("invocation " + n);
        }

        @Test
        @BrassboardTest(image = "../firmware/images/hello.elf", trace = false)
        void theMethodsAnnotationWins(TestMachine m) {
            SEEN.add(m);
            m.runToEnd(Duration.ofSeconds(1));
            throw new AssertionError("printed: " + m.console().transcript());
        }
    }

    @BrassboardTest
    static class NoImageFixture {
        @Test
        void wantsAMachine(TestMachine m) {
        }
    }

    @BrassboardTest(image = "../firmware/images/echo.elf")
    static class BeforeEachFixture {
        TestMachine machine;

        @BeforeEach
        void boot(TestMachine m) {
            machine = m;
            SEEN.add(m);
            m.console().expect("echo> $", Duration.ofSeconds(1));
        }

        @Test
        void fails() {
            machine.console().sendLine("from the test");
            machine.advance(Duration.ofMillis(3));
            throw new AssertionError("on purpose");
        }
    }

    private EngineExecutionResults run(Class<?> fixture) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(BrassboardExtension.OUTPUT, out.toString())
                .execute();
    }

    private Path dir(Class<?> fixture, String method) {
        return out.resolve(fixture.getName()).resolve(method);
    }

    private static Map<String, String> entry(Event e) {
        return e.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs();
    }

    private static Throwable failure(EngineExecutionResults r, String method) {
        return r.testEvents().failed().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(method))
                .map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .findFirst().orElseThrow();
    }

    @Test
    void aFailedTestKeepsAndPublishesItsTranscriptAndTrace() throws Exception {
        EngineExecutionResults r = run(EchoFixture.class);
        r.testEvents().assertStatistics(s -> s.started(6).succeeded(1).failed(5));

        Path failed = dir(EchoFixture.class, "failsWaitingForWhatNeverComes");
        assertThat(failed.resolve("console.txt")).hasContent("echo> hello\r\necho> ");
        assertThat(Files.readString(failed.resolve("trace.txt"))).contains("machine.start").contains("uart.tx");
        List<Map<String, String>> entries = r.allEvents().reportingEntryPublished().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith("failsWaitingForWhatNeverComes"))
                .map(BrassboardExtensionTest::entry).toList();
        assertThat(entries).singleElement().isEqualTo(Map.of(
                BrassboardExtension.CONSOLE_ENTRY, failed.resolve("console.txt").toAbsolutePath().toString(),
                BrassboardExtension.TRACE_ENTRY, failed.resolve("trace.txt").toAbsolutePath().toString()));
        // The failure itself says where they are, and quotes the console.
        Throwable t = failure(r, "failsWaitingForWhatNeverComes");
        assertThat(t).hasMessageContaining("console output never matched /goodbye/");
        assertThat(t.getSuppressed()).singleElement().satisfies(s -> assertThat(s.getMessage())
                .contains("console transcript " + failed.resolve("console.txt").toAbsolutePath())
                .contains("trace " + failed.resolve("trace.txt").toAbsolutePath())
                .contains("| echo> hello"));
    }

    @Test
    void aPassingTestLeavesNothingBehindAndEveryMachineIsClosed() {
        run(EchoFixture.class);
        assertThat(dir(EchoFixture.class, "passes")).doesNotExist();
        assertThat(SEEN).hasSize(7).allSatisfy(m -> assertThat(m.isClosed()).isTrue());
    }

    @Test
    void eachMachineOfATestAndEachInvocationHasItsOwnFiles() throws Exception {
        EngineExecutionResults r = run(EchoFixture.class);
        Path two = dir(EchoFixture.class, "failsWithTwoMachines");
        assertThat(two.resolve("console.txt")).hasContent("echo> one\r\necho> ");
        assertThat(two.resolve("console-2.txt")).hasContent("echo> two\r\necho> ");
        assertThat(two.resolve("trace.txt")).exists();
        assertThat(two.resolve("trace-2.txt")).exists();
        assertThat(failure(r, "failsWithTwoMachines").getSuppressed()[0].getMessage()).contains("machine 1: ", "machine 2: ");
        assertThat(dir(EchoFixture.class, "failsInEachInvocation[1]").resolve("console.txt")).hasContent("echo> ");
        assertThat(dir(EchoFixture.class, "failsInEachInvocation[2]").resolve("trace.txt")).exists();
    }

    @Test
    void theMethodsAnnotationOverridesTheClasss() {
        EngineExecutionResults r = run(EchoFixture.class);
        Path d = dir(EchoFixture.class, "theMethodsAnnotationWins");
        assertThat(d.resolve("console.txt")).hasContent("Brassboard hello: ARMv7-A on the virt board\r\n"
                + "MIDR 0x414fc0f0\r\npowering off via PSCI SYSTEM_OFF\r\n");
        assertThat(d.resolve("trace.txt")).doesNotExist();
        assertThat(failure(r, "theMethodsAnnotationWins").getSuppressed()[0].getMessage())
                .contains("the run ended: powered off (PSCI SYSTEM_OFF)").doesNotContain("trace ");
    }

    @Test
    void aMachineWithoutAnImageIsAClearResolutionError() {
        EngineExecutionResults r = run(NoImageFixture.class);
        r.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(failure(r, "wantsAMachine")).hasMessageContaining("a TestMachine parameter needs @BrassboardTest(image = ...)");
    }

    @Test
    void aMachineHandedToBeforeEachIsTheTestsOwn() {
        run(BeforeEachFixture.class).testEvents().assertStatistics(s -> s.failed(1));
        assertThat(dir(BeforeEachFixture.class, "fails").resolve("console.txt")).hasContent("echo> from the test\r\necho> ");
        assertThat(SEEN).singleElement().satisfies(m -> assertThat(m.isClosed()).isTrue());
    }
}
