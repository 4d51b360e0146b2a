package brassboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark's invocation, without JMH: every loop executes exactly the instructions it reports. */
class GuestLoopBenchmarkTest {
    @ParameterizedTest
    @ValueSource(strings = {"alu", "mem", "cond", "branch", "mul", "memcpy", "crc32"})
    void anInvocationExecutesExactlyItsOperations(String loop) {
        GuestLoopBenchmark b = new GuestLoopBenchmark();
        b.loop = loop;
        b.buildImage();
        b.buildMachine();
        assertThat(b.run()).isEqualTo(GuestLoopBenchmark.INSTRUCTIONS);
    }
}
