package brassboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark's invocations, without JMH: every loop executes exactly the instructions each reports,
 * on from where the last one paused on the same machine (its warm-up is the same invocations, untimed).
 */
class GuestLoopBenchmarkTest {
    @ParameterizedTest
    @ValueSource(strings = {"alu", "mem", "cond", "branch", "mul", "memcpy", "crc32"})
    void invocationsRunOnTheSameMachineExactlyTheirOperations(String loop) {
        GuestLoopBenchmark b = new GuestLoopBenchmark();
        b.loop = loop;
        b.buildImage();
        b.newMachine();
        for (int i = 1; i <= 3; i++) {
            assertThat(b.run()).isEqualTo(GuestLoopBenchmark.INSTRUCTIONS);
            assertThat(b.retired()).isEqualTo((long) i * GuestLoopBenchmark.INSTRUCTIONS);
        }
    }
}
