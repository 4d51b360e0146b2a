package brassboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.Machine;
import org.junit.jupiter.api.Test;

/** The benchmark's invocation, without JMH: it builds the machine a campaign run would start. */
class MachineBuildBenchmarkTest {
    @Test
    void anInvocationBuildsTheCampaignsMachine() throws Exception {
        MachineBuildBenchmark b = new MachineBuildBenchmark();
        b.image = "firmware/images/irq-demo.elf";
        b.cpus = 2;
        b.resolveImage();
        Machine m = b.build();
        assertThat(m.cpus()).hasSize(2);
        assertThat(m.bus().mappings()).isNotEmpty();
    }
}
