package brassboard.boards.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns on a board with the WiFi pair ({@code wifi:}): the link-down campaigns of
 * docs/examples run in part, the driver with its remedy against the driver without it.
 */
class WifiCampaignTest {
    static final Path EXAMPLES = Path.of("..", "docs", "examples");

    @TempDir
    Path dir;

    /** The demo's own plan and the RX DMA abort, from the example campaign. */
    private static Campaign smallLinkDown(String file) throws Exception {
        Campaign c = Campaign.load(EXAMPLES.resolve(file));
        assertThat(c.wifi()).isPresent();
        List<RunSpec> two = c.runs().stream().filter(r -> r.planId().equals("wifi-link-down") || r.planId().equals("rx-dma-abort")).toList();
        assertThat(two).hasSize(2);
        return c.withRuns(two);
    }

    private static Map<String, RunRecord> byPlan(CampaignRunner.Result r) {
        return r.records().stream().collect(Collectors.toMap(RunRecord::plan, x -> x));
    }

    @Test
    void theRemediedDriverRecoversFromWhatHangsTheOneWithoutTheRemedy() throws Exception {
        CampaignRunner.Result fixed = new CampaignRunner(smallLinkDown("wifi-link-down-campaign.yaml"), dir.resolve("fixed"), 2, null).run();
        assertThat(fixed.golden().end().outcome()).isEqualTo(brassboard.boards.api.RunResult.Outcome.POWER_OFF);
        Map<String, RunRecord> f = byPlan(fixed);
        assertThat(f.get("wifi-link-down").outcome()).isEqualTo(Outcome.DETECTED);
        assertThat(f.get("wifi-link-down").reason()).contains("not responding");
        assertThat(f.get("wifi-link-down").faults()).isEqualTo(1);
        assertThat(f.get("rx-dma-abort").outcome()).isEqualTo(Outcome.DETECTED);
        assertThat(f.get("rx-dma-abort").reason()).contains("error interrupt");

        CampaignRunner.Result broken = new CampaignRunner(smallLinkDown("wifi-link-down-noremedy-campaign.yaml"), dir.resolve("broken"), 2, null).run();
        Map<String, RunRecord> b = byPlan(broken);
        assertThat(b.get("wifi-link-down").outcome()).isEqualTo(Outcome.HANG);
        assertThat(b.get("wifi-link-down").reason()).isEqualTo(
                "lockup detector: hard lockup: cpu1 has had IRQs masked for 5.000000 ms (since 7.931823 ms)");
        assertThat(b.get("wifi-link-down").end()).isEqualTo("lockup");
        assertThat(b.get("rx-dma-abort").outcome()).isEqualTo(Outcome.DETECTED);

        String summary = Summary.of(broken).text();
        assertThat(summary).contains("pcie.wifi0.link link-down").contains("pcie.wifi0.dma completer-abort");
        assertThat(Files.readString(dir.resolve("broken").resolve(CampaignRunner.SETTINGS)))
                .contains("wifi=channel=6,rx-rate=20000,rx-size=256,rx-seed=0,rx-count=400,rx-start=2000000ns");
    }

    @Test
    void everyExampleCampaignLoadsWithItsWifiAir() throws Exception {
        for (String f : List.of("wifi-rx-flood-campaign.yaml", "wifi-pll-unlock-campaign.yaml", "wifi-link-down-campaign.yaml",
                "wifi-link-down-noremedy-campaign.yaml")) {
            Campaign c = Campaign.load(EXAMPLES.resolve(f));
            assertThat(c.wifi()).as(f).isPresent();
            assertThat(c.cpus()).as(f).isEqualTo(2);
            assertThat(c.runs()).as(f).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    private Campaign withWifi(String wifi) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, """
                image: %s
                cpus: 2
                wifi: %s
                plans:
                  - name: p
                    rules: [ { point: pcie.wifi0.link, when: { after: 1ms }, action: link-down } ]
                """.formatted(TestImages.image("wifi-link-down.elf").toAbsolutePath(), wifi));
        return Campaign.load(f);
    }

    @Test
    void aBadWifiLineIsOneLineNamingTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> withWifi("channel=99")).isInstanceOf(CampaignException.class)
                .hasMessageEndingWith("c.yaml: line 3: wifi: channel 99 is not a WiFi channel; expected "
                        + brassboard.devices.wifi.WifiChannels.VALID);
        assertThatThrownBy(() -> withWifi("channel=6,tx=out.pcap")).isInstanceOf(CampaignException.class)
                .hasMessageContaining("line 3: wifi: tx= is not allowed in a campaign (every run would write the same file)");
        assertThatThrownBy(() -> withWifi("{ channel: 6 }")).isInstanceOf(CampaignException.class)
                .hasMessageContaining("line 3: wifi: expected the --wifi argument as a string");
    }

    @Test
    void anRxPcapIsRelativeToTheCampaignFile() throws Exception {
        Campaign c = withWifi("channel=6,rx=frames.pcap");
        assertThat(c.wifi().orElseThrow().rxPcap()).contains(dir.resolve("frames.pcap"));
    }
}
