package brassboard.boards.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory per run is bounded: a campaign of machines with 128 MiB of RAM each, two runs at a time,
 * in a heap of 96 MiB (this class runs in its own surefire fork with -Xmx96m; see boards/pom.xml)
 * — less than one machine's RAM, so RAM has to be allocated as the guest touches it.
 */
class CampaignMemoryTest {
    @TempDir
    Path dir;

    @Test
    @EnabledIfSystemProperty(named = "brassboard.campaign.memory-fork", matches = "true") // only in its own fork (with -Dtest the others list it too)
    void twoJobsOf128MiBMachinesRunIn96MiBOfHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("the fork's -Xmx").isLessThanOrEqualTo(100L << 20);
        Path f = dir.resolve("mem.yaml");
        Files.writeString(f, """
                image: %s
                cpus: 2
                ram: 128M
                limits: { max-time: 100ms }
                watchdog: { hard: 20ms, soft: 50ms }
                generate:
                  - name: isenabler0
                    point: bus.write
                    registers: [0x08000100]
                    bits: [0, 1, 2, 3, 26, 27, 28, 30]
                    action: flip
                    when: { nth: 2 }
                """.formatted(TestImages.image("irq-demo.elf").toAbsolutePath()));
        Campaign c = Campaign.load(f);
        assertThat(c.ramBytes()).isEqualTo(128L << 20);
        CampaignRunner.Result r = new CampaignRunner(c, dir.resolve("out"), 2, null).run();
        assertThat(r.records()).hasSize(8);
        assertThat(r.records()).extracting(RunRecord::outcome).doesNotContain(Outcome.ERROR);
    }
}
