package brassboard.firmware.fit;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIT signed by Brassboard verifies under U-Boot's own {@code fit_check_sign} with the control
 * DTB key node Brassboard writes, and a tampered copy does not. Debian's {@code u-boot-tools} does
 * not ship {@code fit_check_sign}: {@code firmware/third-party/build-fit-check-sign.sh} builds it
 * from Debian's U-Boot source into {@code firmware/third-party/cache/} (or it may be on the PATH).
 * Without it the test is skipped, unless {@code CI} is set: then it fails and says so.
 */
class FitCheckSignTest {
    static final String MISSING = "fit_check_sign not found (on PATH or in firmware/third-party/cache/):"
            + " .ci/run must run firmware/third-party/build-fit-check-sign.sh";

    @TempDir
    Path dir;
    Path tool;

    @BeforeEach
    void requireTool() {
        Path cached = Path.of("third-party", "cache", "fit_check_sign");
        if (Files.isExecutable(cached)) {
            tool = cached.toAbsolutePath();
            return;
        }
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin" : path).split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, "fit_check_sign");
            if (Files.isExecutable(candidate)) {
                tool = candidate;
                return;
            }
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty()) {
            throw new AssertionError(MISSING);
        }
        Assumptions.abort(MISSING);
    }

    record Run(int exit, String output) {
    }

    Run check(byte[] fit, byte[] control) throws Exception {
        Path f = Files.write(dir.resolve("signed.itb"), fit);
        Path k = Files.write(dir.resolve("control.dtb"), control);
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(tool.toString(), "-f", f.toString(), "-k", k.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void anRsa4096SignatureVerifiesUnderFitCheckSign() throws Exception {
        org.bouncycastle.crypto.generators.RSAKeyPairGenerator gen = new org.bouncycastle.crypto.generators.RSAKeyPairGenerator();
        gen.init(new org.bouncycastle.crypto.params.RSAKeyGenerationParameters(java.math.BigInteger.valueOf(65537),
                new java.security.SecureRandom(), 4096, 80));
        var key = (org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters) gen.generateKeyPair().getPrivate();
        byte[] signed = FitSigner.sign(FitTest.fit(), key, "big", "sha256");
        FdtNode control = FdtNode.root();
        new UbootKey("big", new org.bouncycastle.crypto.params.RSAKeyParameters(false, key.getModulus(), key.getPublicExponent()),
                "sha256", java.util.Optional.of("conf")).addTo(control);
        assertThat(control.find("/signature/key-big").orElseThrow().property("rsa,modulus").orElseThrow().length()).isEqualTo(512);
        Run run = check(signed, Fdt.write(control, List.of(), 0));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("sha256,rsa4096:big+");
    }

    @Test
    void fitCheckSignAcceptsWhatBrassboardSignsAndRefusesATamperedCopy() throws Exception {
        byte[] signed = FitSigner.sign(FitTest.fit(), FitTest.key(), "dev", "sha256");
        FdtNode control = FdtNode.root().prop("model", "control");
        FitTest.required(FitTest.key()).addTo(control);
        byte[] dtb = Fdt.write(control, List.of(), 0);

        Run good = check(signed, dtb);
        assertThat(good.exit()).as(good.output()).isZero();
        assertThat(good.output()).contains("Verifying Hash Integrity for node 'conf-1'... sha256,rsa2048:dev+",
                "Signature check OK");

        Run bad = check(FitTest.replace(signed, "Brassboard FIT".getBytes(StandardCharsets.US_ASCII),
                "Brassboard FIX".getBytes(StandardCharsets.US_ASCII)), dtb);
        assertThat(bad.exit()).as(bad.output()).isNotZero();
        assertThat(bad.output()).contains("sha256,rsa2048:dev-", "Failed to verify required signature 'key-dev'");
    }
}
