package brassboard.boards.campaign;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.MachineConfig;
import brassboard.boards.api.RunLimits;
import brassboard.boards.api.UsbAttachment;
import brassboard.boards.api.WifiAttachment;
import brassboard.boards.watch.WatchdogOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A fault-injection campaign: one image on one board, a golden run without faults, and the runs —
 * (plan, seed) pairs — each classified against the golden run. Load one from YAML with
 * {@link #load(Path)} (the schema is in {@code docs/campaigns.md}) and run it with
 * {@link CampaignRunner}.
 *
 * @param source        where it came from (the file, for messages)
 * @param name          its name ({@code name:}, else the file's name without {@code .yaml})
 * @param image         the firmware image
 * @param board         a built-in board name, or a board file (resolved against the campaign file's directory)
 * @param cpus          core count
 * @param ramBytes      RAM size
 * @param input         console input fed to every run (empty for none)
 * @param maxTimeNs     virtual-time limit of each run
 * @param maxInsns      instruction limit of each run ({@link Long#MAX_VALUE}: none)
 * @param maxOutput     console bytes kept per run (beyond this a run's output counts as different)
 * @param watchdog      lockup-detector thresholds (always stopping at the first report), or disabled
 * @param exceptionLoop consecutive synchronous exceptions of one kind from one PC on a core that
 *                      count as an exception loop (a crash); 0 turns the check off
 * @param crashOutput   the firmware's panic pattern, if any
 * @param detectedExit  exit statuses by which the firmware reports a fault it handled
 * @param detectedOutput the console pattern by which the firmware reports a fault it handled, if any
 * @param goldenSeed    the golden run's seed
 * @param runs          the runs, in campaign order
 * @param setup         how each machine is set up beyond its image: load address, USB devices, the WiFi pair, input pacing
 */
public record Campaign(String source, String name, Path image, String board, int cpus, long ramBytes, String input,
                       long maxTimeNs, long maxInsns, long maxOutput, WatchdogOptions watchdog, int exceptionLoop,
                       Optional<Pattern> crashOutput, Set<Integer> detectedExit, Optional<Pattern> detectedOutput,
                       long goldenSeed, List<RunSpec> runs, Setup setup) {
    /**
     * What a run's machine has beyond the image: where a raw image is loaded ({@code load-address:},
     * 0 for U-Boot's {@code u-boot.bin}), USB devices ({@code usb:}, as {@code --usb}: each run gets a
     * copy-on-write view of the disk unless the spec says otherwise), and the prompt that paces the
     * console input ({@code prompt:}, one line per prompt, as a person types; without it the input is
     * there from the start), and what of the output is not compared with the golden run
     * ({@code ignore-output:}, a regex whose matches are removed from both outputs first: U-Boot's
     * "240000 bytes read in 8 ms" changes with a slow disk, the data does not), and the WiFi pair and
     * its air ({@code wifi:}, {@code run --wifi}'s syntax).
     */
    public record Setup(OptionalLong loadAddress, List<UsbAttachment> usb, Optional<Pattern> prompt, Optional<Pattern> ignoreOutput,
                        Optional<WifiAttachment> wifi) {
        /** Nothing beyond the image. */
        public static final Setup NONE = new Setup(OptionalLong.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty());

        public Setup {
            usb = List.copyOf(usb);
            java.util.Objects.requireNonNull(wifi, "wifi");
        }

        /** The board options of a run. */
        public BoardOptions boardOptions() {
            BoardOptions options = BoardOptions.none().withUsb(usb.toArray(new UsbAttachment[0]));
            return wifi.map(options::withWifi).orElse(options);
        }

        String settingsText() {
            return "load-address=" + (loadAddress.isPresent() ? Long.toHexString(loadAddress.getAsLong()) : "")
                    + "\nusb=" + usb + "\nprompt=" + prompt.map(Pattern::pattern).orElse("")
                    + "\nignore-output=" + ignoreOutput.map(Pattern::pattern).orElse("")
                    + wifi.map(w -> "\nwifi=" + w).orElse("");
        }

        /** A run's console output as the golden comparison sees it: {@code ignore-output}'s matches removed. */
        byte[] comparable(byte[] output) {
            if (ignoreOutput.isEmpty()) {
                return output;
            }
            String text = new String(output, java.nio.charset.StandardCharsets.ISO_8859_1);
            return ignoreOutput.get().matcher(text).replaceAll("").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** Default virtual-time limit of a run. */
    public static final long DEFAULT_MAX_TIME_NS = 1_000_000_000L;
    /** Default console bytes kept per run: 1 MiB. */
    public static final long DEFAULT_MAX_OUTPUT = 1L << 20;
    /** Default exception-loop threshold. */
    public static final int DEFAULT_EXCEPTION_LOOP = 16;

    public Campaign {
        runs = List.copyOf(runs);
        java.util.Objects.requireNonNull(setup, "setup");
        detectedExit = Set.copyOf(detectedExit);
    }

    /** The WiFi pair on the board ({@code wifi:}), if any. */
    public Optional<WifiAttachment> wifi() {
        return setup.wifi();
    }

    /**
     * Reads and checks a campaign file; relative paths in it (image, plan files) are relative to
     * the file's directory. Plans are checked for syntax here and against the machine's fault
     * points when the campaign starts.
     *
     * @throws CampaignException one line naming the file, line and field
     */
    public static Campaign load(Path file) throws CampaignException {
        return CampaignReader.load(file, UnaryOperator.identity());
    }

    /**
     * As {@link #load(Path)}, with every file the campaign names (image, plan files, USB disks,
     * pcaps), once resolved against the campaign's directory, passed through {@code locate} before
     * it is read: the identity on the machine that has the files; a map to local copies on a
     * cluster worker that was shipped them; or a recorder of what to ship.
     */
    public static Campaign load(Path file, UnaryOperator<Path> locate) throws CampaignException {
        return CampaignReader.load(file, locate);
    }

    /** Reads a campaign given as text; {@code baseDir} resolves its relative paths. */
    public static Campaign parse(String yaml, String source, Path baseDir) throws CampaignException {
        return parse(yaml, source, baseDir, UnaryOperator.identity());
    }

    /** As {@link #parse(String, String, Path)}, files located as by {@link #load(Path, UnaryOperator)}. */
    public static Campaign parse(String yaml, String source, Path baseDir, UnaryOperator<Path> locate) throws CampaignException {
        return CampaignReader.parse(yaml, source, baseDir, Path.of(source).getFileName().toString(), locate);
    }

    /** The machine configuration of a run with this seed. */
    public MachineConfig machineConfig(long seed) {
        return new MachineConfig(board, ramBytes, image, setup.loadAddress(), seed, MachineConfig.DEFAULT_CPU_HZ,
                MachineConfig.DEFAULT_RTC_EPOCH, cpus);
    }

    /** The limits of every run. */
    public RunLimits limits() {
        return RunLimits.none().withMaxTimeNs(maxTimeNs).withMaxInsns(maxInsns);
    }

    /** A copy with only these runs (tests, or a user picking a subset). */
    public Campaign withRuns(List<RunSpec> subset) {
        return new Campaign(source, name, image, board, cpus, ramBytes, input, maxTimeNs, maxInsns, maxOutput, watchdog,
                exceptionLoop, crashOutput, detectedExit, detectedOutput, goldenSeed, subset, setup);
    }

    /**
     * What results depend on besides the plans: any change here makes earlier results in an
     * output directory stale.
     */
    String settingsText() {
        return String.join("\n", "board=" + board, "cpus=" + cpus, "ram=" + ramBytes, "input=" + input,
                "max-time=" + maxTimeNs, "max-insns=" + maxInsns, "max-output=" + maxOutput,
                "watchdog=" + watchdog, "exception-loop=" + exceptionLoop,
                "crash=" + crashOutput.map(Pattern::pattern).orElse(""),
                "detected-exit=" + detectedExit.stream().sorted().toList(),
                "detected-output=" + detectedOutput.map(Pattern::pattern).orElse(""),
                "golden-seed=" + goldenSeed) + (setup.equals(Setup.NONE) ? "" : "\n" + setup.settingsText());
    }
}
