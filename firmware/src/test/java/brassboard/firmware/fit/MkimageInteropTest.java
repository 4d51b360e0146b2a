package brassboard.firmware.fit;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtProperty;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brassboard's FITs against U-Boot's own host tools (Debian's {@code u-boot-tools}) and dtc: a FIT
 * signed by {@code mkimage -f ITS -k KEYDIR -K CONTROL.dtb -r} verifies under {@link FitVerifier}
 * with the key mkimage wrote into the control tree, that key node holds the same values {@link
 * UbootKey} writes, Brassboard's signature of mkimage's unsigned FIT is byte for byte mkimage's
 * own, and {@code mkimage -l} and {@code dtc} read the FITs Brassboard builds. In CI (where {@code
 * CI} is set) a missing tool fails these tests instead of skipping them.
 */
class MkimageInteropTest {
    static final String MISSING = " not found: .ci/run must install u-boot-tools and device-tree-compiler";
    static final String ITS = """
            /dts-v1/;
            / {
                description = "interop";
                #address-cells = <1>;
                images {
                    kernel-1 {
                        description = "kernel";
                        data = /incbin/("kernel.bin");
                        type = "kernel";
                        arch = "arm";
                        os = "linux";
                        compression = "none";
                        load = <0x40010000>;
                        entry = <0x40010000>;
                        hash-1 { algo = "sha256"; };
                    };
                    fdt-1 {
                        description = "fdt";
                        data = /incbin/("board.dtb");
                        type = "flat_dt";
                        arch = "arm";
                        compression = "none";
                        hash-1 { algo = "sha256"; };
                    };
                };
                configurations {
                    default = "conf-1";
                    conf-1 {
                        description = "signed";
                        kernel = "kernel-1";
                        fdt = "fdt-1";
                        signature-1 {
                            algo = "sha256,rsa2048";
                            key-name-hint = "dev";
                            sign-images = "kernel", "fdt";
                        };
                    };
                };
            };
            """;

    @TempDir
    Path dir;
    Path mkimage;
    Path dtc;

    @BeforeEach
    void requireTools() throws Exception {
        mkimage = tool("mkimage");
        dtc = tool("dtc");
        Files.write(dir.resolve("kernel.bin"), FitTest.KERNEL);
        Files.write(dir.resolve("board.dtb"), FitTest.DTB);
        Files.writeString(dir.resolve("fit.its"), ITS);
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Files.copy(FitTest.resource("test-rsa2048.pem"), keys.resolve("dev.key"));
        Files.copy(FitTest.resource("test-rsa2048.crt"), keys.resolve("dev.crt"));
        Files.write(dir.resolve("control.dtb"), Fdt.write(FdtNode.root().prop("model", "control"), List.of(), 0));
    }

    static Path tool(String program) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty()) {
            throw new AssertionError(program + MISSING);
        }
        Assumptions.abort(program + MISSING);
        return null;
    }

    String run(String... command) throws Exception {
        Path out = dir.resolve("tool.out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("SOURCE_DATE_EPOCH", "0");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + text).isZero();
        return text;
    }

    @Test
    void aFitSignedByMkimageVerifiesWithTheKeyMkimageWroteIntoTheControlTree() throws Exception {
        run(mkimage.toString(), "-f", "fit.its", "-k", "keys", "-K", "control.dtb", "-r", "signed.itb");
        byte[] signed = Files.readAllBytes(dir.resolve("signed.itb"));
        List<UbootKey> keys = UbootKey.readAll(Fdt.read(Files.readAllBytes(dir.resolve("control.dtb"))), "control.dtb");
        assertThat(keys).extracting(UbootKey::name).containsExactly("dev");
        assertThat(keys.get(0).required()).contains("conf");
        FitVerifier.Report report = FitVerifier.verify(signed, keys);
        assertThat(report.ok()).as(report.lines().toString()).isTrue();
        assertThat(report.lines()).contains("Configuration 'conf-1' (default): sha256,rsa2048:dev+ OK",
                "Image 'kernel-1': sha256+ OK", "Image 'fdt-1': sha256+ OK");

        // A flipped byte in the signed part (the kernel's load address) is caught.
        byte[] tampered = FitTest.replace(signed, new byte[] {0x40, 0x01, 0x00, 0x00}, new byte[] {0x40, 0x09, 0x00, 0x00});
        assertThat(FitVerifier.verify(tampered, keys).ok()).isFalse();
    }

    @Test
    void imageSignaturesMadeByMkimageVerifyAgainstARequiredImageKey() throws Exception {
        String its = ITS.replace("entry = <0x40010000>;",
                "entry = <0x40010000>; signature-1 { algo = \"sha256,rsa2048\"; key-name-hint = \"dev\"; };");
        its = its.substring(0, its.indexOf("signature-1 {\n")) + "};\n};\n};\n";
        assertThat(its).contains("signature-1 { algo");
        Files.writeString(dir.resolve("image-signed.its"), its);
        run(mkimage.toString(), "-f", "image-signed.its", "-k", "keys", "signed.itb");
        byte[] signed = Files.readAllBytes(dir.resolve("signed.itb"));
        UbootKey imageKey = new UbootKey("dev", RsaKeys.readPublic(FitTest.resource("test-rsa2048.pub")), "sha256",
                java.util.Optional.of("image"));
        FitVerifier.Report report = FitVerifier.verify(signed, List.of(imageKey));
        assertThat(report.lines()).contains("Image 'kernel-1': sha256+ sha256,rsa2048:dev+ OK");
        // fdt-1 has no signature: a required image key refuses it.
        assertThat(report.lines()).anyMatch(l -> l.startsWith("Image 'fdt-1': sha256+ BAD: no signature node verifies"));
        assertThat(report.ok()).isFalse();
        byte[] tampered = FitTest.replace(signed, FitTest.KERNEL, "A".getBytes(StandardCharsets.US_ASCII));
        assertThat(FitVerifier.verify(tampered, List.of(imageKey)).lines())
                .anyMatch(l -> l.startsWith("Image 'kernel-1': sha256- sha256,rsa2048:dev- BAD:"));
    }

    @Test
    void aFitResignedInPlaceByMkimageDashFVerifies() throws Exception {
        // Brassboard's own FIT with an empty signature node, as mkimage -F expects one to sign.
        FdtNode tree = Fdt.read(FitTest.fit());
        tree.find("/configurations/conf-1").orElseThrow().child("signature-1")
                .prop("algo", "sha256,rsa2048").prop("key-name-hint", "dev");
        Files.write(dir.resolve("ours.itb"), Fdt.write(tree, List.of(), 0));
        run(mkimage.toString(), "-F", "-k", "keys", "-K", "control.dtb", "-r", "ours.itb");
        List<UbootKey> keys = UbootKey.readAll(Fdt.read(Files.readAllBytes(dir.resolve("control.dtb"))), "control.dtb");
        FitVerifier.Report report = FitVerifier.verify(Files.readAllBytes(dir.resolve("ours.itb")), keys);
        assertThat(report.ok()).as(report.lines().toString()).isTrue();
        assertThat(report.lines()).contains("Configuration 'conf-1' (default): sha256,rsa2048:dev+ OK");
    }

    @Test
    void aFitWithExternalDataVerifies() throws Exception {
        run(mkimage.toString(), "-E", "-f", "fit.its", "-k", "keys", "-K", "control.dtb", "-r", "external.itb");
        byte[] signed = Files.readAllBytes(dir.resolve("external.itb"));
        assertThat(Fdt.read(signed).find("/images/kernel-1").orElseThrow().property("data-offset")).isPresent();
        List<UbootKey> keys = UbootKey.readAll(Fdt.read(Files.readAllBytes(dir.resolve("control.dtb"))), "control.dtb");
        FitVerifier.Report report = FitVerifier.verify(signed, keys);
        assertThat(report.ok()).as(report.lines().toString()).isTrue();
        byte[] tampered = FitTest.replace(signed, FitTest.KERNEL, "A".getBytes(StandardCharsets.US_ASCII));
        assertThat(FitVerifier.verify(tampered, keys).lines()).anyMatch(l -> l.startsWith("Image 'kernel-1': sha256- BAD"));
    }

    @Test
    void theKeyNodeIsTheOneMkimageWrites() throws Exception {
        run(mkimage.toString(), "-f", "fit.its", "-k", "keys", "-K", "control.dtb", "-r", "signed.itb");
        FdtNode theirs = Fdt.read(Files.readAllBytes(dir.resolve("control.dtb"))).find("/signature/key-dev").orElseThrow();
        RSAPrivateCrtKeyParameters key = FitTest.key();
        FdtNode ours = FitTest.required(key).addTo(FdtNode.root());
        for (String p : List.of("key-name-hint", "algo", "required", "rsa,num-bits", "rsa,n0-inverse", "rsa,exponent",
                "rsa,modulus", "rsa,r-squared")) {
            assertThat(ours.property(p).map(FdtProperty::value)).as(p).isPresent();
            assertThat(ours.property(p).orElseThrow().value()).as(p).isEqualTo(theirs.property(p).orElseThrow().value());
        }
    }

    @Test
    void brassboardSignsMkimagesUnsignedFitWithMkimagesExactSignature() throws Exception {
        run(mkimage.toString(), "-f", "fit.its", "unsigned.itb");
        run(mkimage.toString(), "-f", "fit.its", "-k", "keys", "signed.itb");
        byte[] ours = FitSigner.sign(Files.readAllBytes(dir.resolve("unsigned.itb")), FitTest.key(), "dev", "sha256");
        FdtNode theirs = Fdt.read(Files.readAllBytes(dir.resolve("signed.itb")));
        FdtNode mine = Fdt.read(ours);
        String sig = "/configurations/conf-1/signature-1";
        for (String p : List.of("hashed-nodes", "value")) {
            assertThat(mine.find(sig).orElseThrow().property(p).orElseThrow().value()).as(p)
                    .isEqualTo(theirs.find(sig).orElseThrow().property(p).orElseThrow().value());
        }
    }

    @Test
    void mkimageAndDtcReadTheFitsBrassboardBuildsAndSigns() throws Exception {
        byte[] signed = FitSigner.sign(FitTest.fit(), FitTest.key(), "dev", "sha256");
        Files.write(dir.resolve("ours.itb"), signed);
        String listing = run(mkimage.toString(), "-l", "ours.itb");
        assertThat(listing).contains("FIT description: Brassboard FIT", "Image 0 (kernel-1)", "Load Address: 0x40010000",
                "Hash algo:    sha256", "Image 2 (ramdisk-1)", "Default Configuration: 'conf-1'",
                "Sign algo:    sha256,rsa2048:dev");
        String dts = run(dtc.toString(), "-I", "dtb", "-O", "dts", "ours.itb");
        assertThat(dts).contains("kernel-1 {", "type = \"kernel\";", "load = <0x40010000>;", "hash-1 {",
                "algo = \"sha256\";", "default = \"conf-1\";", "signature-1 {", "algo = \"sha256,rsa2048\";",
                "key-name-hint = \"dev\";", "hashed-strings = <0x00 ");
        // No compiler warnings either.
        Path err = dir.resolve("dtc.err");
        Process p = new ProcessBuilder(dtc.toString(), "-I", "dtb", "-O", "dtb", "-o", "/dev/null", "ours.itb")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(err)).isEmpty();
    }
}
