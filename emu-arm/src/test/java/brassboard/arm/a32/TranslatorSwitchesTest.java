package brassboard.arm.a32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The translator's measurement switches: bad values are reported in one line and the run goes on. */
class TranslatorSwitchesTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    private String reported() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRegionLimitThatIsNotAWholeNumberFrom1To1024IsReportedAndTheDefaultUsed() {
        for (String bad : new String[] {"abc", "0", "-3", "1025", "", "12.5"}) {
            err.reset();
            assertThat(A32Translator.maxLengthSetting(bad, errStream)).as(bad).isEqualTo(BlockCompiler.MAX_LENGTH);
            assertThat(reported()).as(bad)
                    .startsWith("brassboard: -Dbrassboard.jit.maxLength=" + bad + " ignored: expected a whole number from 1 to 1024")
                    .hasLineCount(1);
        }
        err.reset();
        assertThat(A32Translator.maxLengthSetting("64", errStream)).isEqualTo(64);
        assertThat(A32Translator.maxLengthSetting(null, errStream)).isEqualTo(BlockCompiler.MAX_LENGTH);
        assertThat(reported()).isEmpty();
    }

    @Test
    void aFollowSettingThatIsNotTrueOrFalseIsReportedAndFollowingStaysOn() {
        for (String bad : new String[] {"no", "0", "", "off"}) {
            err.reset();
            assertThat(A32Translator.followSetting(bad, errStream)).as(bad).isTrue();
            assertThat(reported()).as(bad)
                    .isEqualTo("brassboard: -Dbrassboard.jit.follow=" + bad + " ignored: expected true or false; translations follow branches\n");
        }
        err.reset();
        assertThat(A32Translator.followSetting("false", errStream)).isFalse();
        assertThat(A32Translator.followSetting("FALSE", errStream)).isFalse();
        assertThat(A32Translator.followSetting("true", errStream)).isTrue();
        assertThat(A32Translator.followSetting(null, errStream)).isTrue();
        assertThat(reported()).isEmpty();
    }

    @Test
    void aCallsSettingThatIsNotTrueOrFalseIsReportedAndStaysOn() {
        String on = "translations go into short functions they call";
        for (String bad : new String[] {"no", "0", "", "off"}) {
            err.reset();
            assertThat(Switches.on("brassboard.jit.calls", bad, on, errStream)).as(bad).isTrue();
            assertThat(reported()).as(bad)
                    .isEqualTo("brassboard: -Dbrassboard.jit.calls=" + bad + " ignored: expected true or false; " + on + "\n");
        }
        err.reset();
        assertThat(Switches.on("brassboard.jit.calls", "false", on, errStream)).isFalse();
        assertThat(Switches.on("brassboard.jit.calls", " FALSE ", on, errStream)).isFalse();
        assertThat(Switches.on("brassboard.jit.calls", null, on, errStream)).isTrue();
        assertThat(reported()).isEmpty();
    }

    @Test
    void aRawPagesSettingThatIsNotTrueOrFalseIsReportedAndStaysOn() {
        for (String bad : new String[] {"no", "0", "", "off"}) {
            err.reset();
            assertThat(RawPageAccess.wanted(bad, errStream)).as(bad).isTrue();
            assertThat(reported()).as(bad)
                    .startsWith("brassboard: -Dbrassboard.jit.rawPages=" + bad + " ignored: expected true or false")
                    .hasLineCount(1);
        }
        err.reset();
        assertThat(RawPageAccess.wanted("false", errStream)).isFalse();
        assertThat(RawPageAccess.wanted(" False ", errStream)).isFalse();
        assertThat(RawPageAccess.wanted("true", errStream)).isTrue();
        assertThat(RawPageAccess.wanted(null, errStream)).isTrue();
        assertThat(reported()).isEmpty();
    }

    @Test
    void aDumpDirectoryThatCannotBeWrittenIsReportedInOneLine(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("no-such-dir");
        assertThat(A32Translator.dump(missing.toString(), 0x4000_0000, new byte[] {1, 2}, errStream)).isFalse();
        assertThat(reported()).startsWith("brassboard: -Dbrassboard.jit.dump=" + missing + ": cannot write translations there")
                .contains("expected an existing, writable directory").hasLineCount(1);

        err.reset();
        assertThat(A32Translator.dump(tmp.toString(), 0x4000_0010, new byte[] {1, 2}, errStream)).isTrue();
        assertThat(Files.readAllBytes(tmp.resolve("block_40000010.class"))).containsExactly(1, 2);
        assertThat(reported()).isEmpty();
    }
}
