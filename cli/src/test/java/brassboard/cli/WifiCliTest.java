package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --wifi SPEC}: the baseband appears at PCI 00:02.0 in its air; bad input is one line naming --wifi and exit status 2. */
class WifiCliTest {
    private static Path program(Path dir) throws Exception {
        return CliTest.pciProbe(dir.resolve("probe-wifi.bin"), 2, 0xb5b0, 0x0211);
    }

    @Test
    void theBasebandIsAtPci0002OnlyWithWifiAndTheRunReportsItsAir(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        Path tx = dir.resolve("tx.pcap");
        CliTest.Outcome with = brassboard("run", "--bios", bios.toString(), "--wifi", "channel=11,rx-rate=1000,tx=" + tx, "--max-time", "10ms");
        assertThat(with.status()).as("stderr: %s", with.err()).isZero();
        assertThat(with.err()).contains("brassboard: wifi0: ").contains("on the air on channel 11, 0 delivered to the RX ring, 0 transmitted");
        assertThat(Files.size(tx)).as("an empty pcap: the global header").isEqualTo(24);
        CliTest.Outcome quiet = brassboard("run", "--bios", bios.toString(), "--wifi", "channel=6", "--max-time", "10ms");
        assertThat(quiet.status()).as("stderr: %s", quiet.err()).isZero();
        assertThat(quiet.err()).contains("0 frame(s) on the air on channel 6");
        CliTest.Outcome without = brassboard("run", "--bios", bios.toString(), "--max-time", "10ms");
        assertThat(without.status()).as("no --wifi: no baseband, the probe spins to the time limit").isEqualTo(4);
    }

    @Test
    void theExampleFaultPlanNeedsTheWifiPairOnTheBoard(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        String plan = Path.of("..", "docs", "examples", "wifi-faults.yaml").toString();
        CliTest.Outcome with = brassboard("run", "--bios", bios.toString(), "--wifi", "channel=6,rx-rate=1000", "--faults", plan,
                "--seed", "3", "--max-time", "10ms");
        assertThat(with.status()).as("stderr: %s", with.err()).isZero();
        assertThat(with.err()).contains("fault report: " + plan + ", seed 3: 0 faults injected by 9 rules")
                .contains("wifi.wifi0.rx").contains("rf.rf0").contains("pcie.wifi0.link");
        CliTest.Outcome without = brassboard("run", "--bios", bios.toString(), "--faults", plan).oneLineError();
        assertThat(without.status()).isEqualTo(2);
        assertThat(without.err()).contains("rule 1 (line 4): point: 'wifi.wifi0.rx' matches no fault point of this machine");
    }

    @Test
    void badWifiArgumentsAreOneLineWithExitStatus2(@TempDir Path dir) throws Exception {
        Path bios = program(dir);
        Path notPcap = Files.write(dir.resolve("text.pcap"), "hello, this is not a capture".getBytes());
        List<List<String>> cases = new ArrayList<>();
        cases.add(List.of("channel=15", "--wifi channel=15: channel 15 is not a WiFi channel; expected 1-14, or 36-64"));
        cases.add(List.of("channel=six", "channel 'six' is not a number"));
        cases.add(List.of("channel=6,channel=7", "channel= given twice"));
        cases.add(List.of("channel", "'channel' is not KEY=VALUE; expected channel=N"));
        cases.add(List.of("speed=54", "unknown key 'speed'"));
        cases.add(List.of("rx-rate=0", "rx-rate 0 is out of range; expected 1 to 10000000"));
        cases.add(List.of("rx-rate=100,rx-size=20", "rx-size 20 is out of range; expected 36 to 2346"));
        cases.add(List.of("rx-size=100", "rx-size, rx-seed and rx-count configure the generator; expected rx-rate=R with them"));
        cases.add(List.of("rx=" + notPcap + ",rx-rate=5", "rx= and rx-rate= exclude each other"));
        cases.add(List.of("rx-rate=5,rx-start=soon", "rx-start: 'soon' is not a duration"));
        cases.add(List.of("rx=" + dir.resolve("missing.pcap"), "missing.pcap: no such file; expected an 802.11 pcap file"));
        cases.add(List.of("rx=" + notPcap, "is not a pcap file's; expected a classic libpcap file"));
        cases.add(List.of("tx=" + dir.resolve("no/such/dir/tx.pcap"), "cannot create it (no such directory)"));
        for (List<String> c : cases) {
            CliTest.Outcome o = brassboard("run", "--bios", bios.toString(), "--wifi", c.get(0)).oneLineError();
            assertThat(o.status()).as(c.get(0)).isEqualTo(2);
            assertThat(o.err()).as(c.get(0)).startsWith("brassboard: --wifi ").contains(c.get(1));
        }
    }
}
