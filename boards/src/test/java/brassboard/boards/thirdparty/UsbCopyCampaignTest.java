package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import brassboard.boards.campaign.Campaign;
import brassboard.boards.campaign.CampaignRunner;
import brassboard.boards.campaign.Outcome;
import brassboard.boards.campaign.RunRecord;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/examples/usb-copy's campaign, cut to three runs, on Debian's U-Boot: the disk made by its
 * make-disk.sh, U-Boot loaded at 0 with the stick on the EHCI and its input paced by the prompt,
 * and each run classified as the example's README reports it: a bad sector at the file's first
 * block is detected ("Error reading cluster"), one read error the drive recovers from on U-Boot's
 * retry is masked, a copy whose write fails is detected. Without U-Boot, sh, mkfs.vfat or mcopy
 * the test is skipped, unless {@code CI} is set: then it fails and says what is missing.
 */
@Tag("thirdparty")
class UsbCopyCampaignTest {
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "usb-copy");

    @TempDir
    Path dir;

    @Test
    void theExampleCampaignClassifiesDiskFaultsUnderUboot() throws Exception {
        Path uboot = UbootConsole.uboot().toAbsolutePath();
        for (String tool : List.of("sh", "mkfs.vfat", "mcopy", "seq")) {
            requireTool(tool);
        }
        Files.copy(EXAMPLE.resolve("make-disk.sh"), dir.resolve("make-disk.sh"));
        Files.createDirectories(dir.resolve("plans"));
        try (var plans = Files.list(EXAMPLE.resolve("plans"))) {
            for (Path p : plans.toList()) {
                Files.copy(p, dir.resolve("plans").resolve(p.getFileName()));
            }
        }
        String yaml = Files.readString(EXAMPLE.resolve("usb-copy.yaml"))
                .replace("image: ../../../firmware/third-party/cache/u-boot.bin", "image: " + uboot);
        Files.writeString(dir.resolve("usb-copy.yaml"), yaml);
        Process p = new ProcessBuilder("sh", dir.resolve("make-disk.sh").toString()).redirectErrorStream(true).start();
        String made = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("make-disk.sh: %s", made).isZero();

        Campaign all = Campaign.load(dir.resolve("usb-copy.yaml"));
        List<String> picked = List.of("unc-file-first#0", "unc-file-middle-once#0", "write-fault-copy#0");
        Campaign c = all.withRuns(all.runs().stream().filter(r -> picked.contains(r.id())).toList());
        assertThat(c.runs()).hasSize(3);
        CampaignRunner.Result r = new CampaignRunner(c, dir.resolve("out"), 2, null).run();
        assertThat(new String(r.golden().output())).contains("crc32 for 40200000 ... 4023a97f ==> f36869e6",
                "crc32 for 42000000 ... 4203a97f ==> f36869e6");
        Map<String, RunRecord> byId = r.records().stream().collect(Collectors.toMap(RunRecord::id, x -> x));
        assertThat(byId.get("unc-file-first#0").outcome()).isEqualTo(Outcome.DETECTED);
        assertThat(byId.get("unc-file-first#0").divergence().orElseThrow().actual()).contains("Error reading cluster");
        assertThat(byId.get("unc-file-middle-once#0").outcome()).as("one error, recovered by U-Boot's retry").isEqualTo(Outcome.MASKED);
        assertThat(byId.get("unc-file-middle-once#0").faults()).isEqualTo(1);
        assertThat(byId.get("write-fault-copy#0").outcome()).isEqualTo(Outcome.DETECTED);
        assertThat(byId.get("write-fault-copy#0").divergence().orElseThrow().actual()).contains("Error: writing contents");
    }

    private static void requireTool(String name) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/sbin")
                .split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, name))) {
                return;
            }
        }
        if (System.getenv("CI") != null) {
            fail(name + " not found: .ci/run must install dosfstools and mtools");
        }
        Assumptions.abort(name + " not installed (apt-get install dosfstools mtools); skipped outside CI");
    }
}
