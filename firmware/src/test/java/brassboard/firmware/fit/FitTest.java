package brassboard.firmware.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtRegions;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.junit.jupiter.api.Test;

/** Building, signing and verifying FITs, and the key node of U-Boot's control device tree. */
class FitTest {
    static final byte[] KERNEL = "a kernel, or something standing in for one".getBytes(StandardCharsets.US_ASCII);
    static final byte[] DTB = Fdt.write(FdtNode.root().prop("compatible", "test"), List.of(), 0);
    static final byte[] RAMDISK = new byte[] {1, 2, 3, 4, 5};

    static Path resource(String name) {
        try {
            return Path.of(FitTest.class.getResource("/fit/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] fit() {
        return FitBuilder.build(FitBuilder.Spec.kernel(KERNEL, 0x40010000L).withDtb(DTB).withRamdisk(RAMDISK));
    }

    static RSAPrivateCrtKeyParameters key() throws ImageException {
        return RsaKeys.readPrivate(resource("test-rsa2048.pem"));
    }

    static UbootKey required(RSAPrivateCrtKeyParameters key) {
        return new UbootKey("dev", new RSAKeyParameters(false, key.getModulus(), key.getPublicExponent()), "sha256",
                Optional.of("conf"));
    }

    @Test
    void aFitHasTheLayoutOfUbootsSourceFileFormat() throws Exception {
        FdtNode root = Fdt.read(fit());
        assertThat(root.property("description").orElseThrow().asString()).isEqualTo("Brassboard FIT");
        assertThat(root.property("timestamp").orElseThrow().asU32()).isZero();
        FdtNode kernel = root.find("/images/kernel-1").orElseThrow();
        assertThat(kernel.property("data").orElseThrow().value()).isEqualTo(KERNEL);
        assertThat(kernel.property("type").orElseThrow().asString()).isEqualTo("kernel");
        assertThat(kernel.property("arch").orElseThrow().asString()).isEqualTo("arm");
        assertThat(kernel.property("os").orElseThrow().asString()).isEqualTo("linux");
        assertThat(kernel.property("compression").orElseThrow().asString()).isEqualTo("none");
        assertThat(kernel.property("load").orElseThrow().asU32()).isEqualTo(0x40010000L);
        assertThat(kernel.property("entry").orElseThrow().asU32()).isEqualTo(0x40010000L);
        assertThat(kernel.find("hash-1").orElseThrow().property("value").orElseThrow().value())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(KERNEL));
        assertThat(root.find("/images/fdt-1").orElseThrow().property("type").orElseThrow().asString()).isEqualTo("flat_dt");
        assertThat(root.find("/images/ramdisk-1").orElseThrow().property("type").orElseThrow().asString()).isEqualTo("ramdisk");
        assertThat(root.find("/configurations").orElseThrow().property("default").orElseThrow().asString()).isEqualTo("conf-1");
        FdtNode conf = root.find("/configurations/conf-1").orElseThrow();
        assertThat(conf.property("kernel").orElseThrow().asString()).isEqualTo("kernel-1");
        assertThat(conf.property("fdt").orElseThrow().asString()).isEqualTo("fdt-1");
        assertThat(conf.property("ramdisk").orElseThrow().asString()).isEqualTo("ramdisk-1");
    }

    @Test
    void anElfKernelIsStoredAsItsLoadableBytesWithItsLoadAndEntryAddresses() throws Exception {
        FitBuilder.Spec spec = FitBuilder.Spec.elfKernel(brassboard.firmware.api.Images.load(
                Path.of("images", "hello.elf"), java.util.OptionalLong.empty()));
        // hello.elf: .text and .rodata from 0x40010000, 0x406 bytes; .bss and the stack have no file bytes.
        assertThat(spec.load()).hasValue(0x40010000L);
        assertThat(spec.entry()).hasValue(0x40010000L);
        assertThat(spec.kernel()).hasSize(0x406);
        assertThat(new String(spec.kernel(), StandardCharsets.ISO_8859_1)).contains("Brassboard hello");
    }

    @Test
    void theSameInputsGiveTheSameBytes() throws Exception {
        assertThat(fit()).isEqualTo(fit());
        assertThat(FitSigner.sign(fit(), key(), "dev", "sha256")).isEqualTo(FitSigner.sign(fit(), key(), "dev", "sha256"));
    }

    @Test
    void aSignedFitVerifiesWithItsKeyAndPrintsWhatUbootPrints() throws Exception {
        byte[] signed = FitSigner.sign(fit(), key(), "dev", "sha256");
        FitVerifier.Report report = FitVerifier.verify(signed, List.of(required(key())));
        assertThat(report.ok()).as(report.lines().toString()).isTrue();
        assertThat(report.lines()).containsExactly(
                "Image 'kernel-1': sha256+ OK",
                "Image 'fdt-1': sha256+ OK",
                "Image 'ramdisk-1': sha256+ OK",
                "Configuration 'conf-1' (default): sha256,rsa2048:dev+ OK");
        FdtNode sig = Fdt.read(signed).find("/configurations/conf-1/signature-1").orElseThrow();
        assertThat(sig.property("algo").orElseThrow().asString()).isEqualTo("sha256,rsa2048");
        assertThat(sig.property("key-name-hint").orElseThrow().asString()).isEqualTo("dev");
        assertThat(sig.property("sign-images").orElseThrow().asStringList()).containsExactly("kernel", "fdt", "ramdisk");
        assertThat(sig.property("hashed-nodes").orElseThrow().asStringList()).containsExactly("/",
                "/configurations/conf-1", "/images/kernel-1", "/images/kernel-1/hash-1", "/images/fdt-1",
                "/images/fdt-1/hash-1", "/images/ramdisk-1", "/images/ramdisk-1/hash-1");
        assertThat(sig.property("value").orElseThrow().length()).isEqualTo(256);
        assertThat(sig.property("hashed-strings").orElseThrow().asCells()[0]).isZero();
    }

    @Test
    void twoKeysSignInOnePassAndALaterKeyIsRefusedRatherThanBreakingTheFirst() throws Exception {
        byte[] once = FitSigner.sign(fit(), key(), "dev", "sha256");
        RSAPrivateCrtKeyParameters other = RsaKeys.readPrivate(resource("test-other-rsa2048.pem"));
        assertThatThrownBy(() -> FitSigner.sign(once, other, "other", "sha256")).isInstanceOf(ImageException.class)
                .hasMessage("configuration conf-1 already holds signature-1 by another key, which signing now would"
                        + " invalidate; expected all keys in one run (--key A --key B)");
        // Signing again with the same key replaces its signature (the strings block now covered is longer).
        assertThat(FitVerifier.verify(FitSigner.sign(once, key(), "dev", "sha256"), List.of(required(key()))).ok()).isTrue();
        byte[] twice = FitSigner.sign(fit(), List.of(new FitSigner.SigningKey(key(), "dev"),
                new FitSigner.SigningKey(other, "other")), "sha256");
        UbootKey second = new UbootKey("other", new RSAKeyParameters(false, other.getModulus(), other.getPublicExponent()),
                "sha256", Optional.of("conf"));
        FitVerifier.Report report = FitVerifier.verify(twice, List.of(required(key()), second));
        assertThat(report.ok()).as(report.lines().toString()).isTrue();
        assertThat(report.lines()).contains("Configuration 'conf-1' (default): sha256,rsa2048:dev+ sha256,rsa2048:other+ OK");
    }

    @Test
    void aTamperedImageFailsNamingTheImage() throws Exception {
        byte[] signed = FitSigner.sign(fit(), key(), "dev", "sha256");
        byte[] tampered = replace(signed, KERNEL, "A kernel".getBytes(StandardCharsets.US_ASCII));
        FitVerifier.Report report = FitVerifier.verify(tampered, List.of(required(key())));
        assertThat(report.ok()).isFalse();
        assertThat(report.lines()).contains("Image 'kernel-1': sha256- BAD: the data's sha256 does not match hash-1's value"
                + " (the image was changed)");
        // The data is outside the signed regions: the configuration still verifies, the hash does not.
        assertThat(report.lines()).contains("Configuration 'conf-1' (default): sha256,rsa2048:dev+ OK");
    }

    @Test
    void aTamperedHashOrLoadAddressBreaksTheConfigurationSignature() throws Exception {
        byte[] signed = FitSigner.sign(fit(), key(), "dev", "sha256");
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(KERNEL);
        byte[] badHash = hash.clone();
        badHash[0] ^= 1;
        for (byte[] tampered : List.of(replace(signed, hash, badHash),
                replace(signed, new byte[] {0x40, 0x01, 0x00, 0x00}, new byte[] {0x40, 0x02, 0x00, 0x00}))) {
            FitVerifier.Report report = FitVerifier.verify(tampered, List.of(required(key())));
            assertThat(report.ok()).isFalse();
            assertThat(report.lines()).anyMatch(l -> l.startsWith("Configuration 'conf-1' (default): sha256,rsa2048:dev- BAD:"
                    + " Failed to verify required signature 'key-dev'"));
        }
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        byte[] signed = FitSigner.sign(fit(), RsaKeys.readPrivate(resource("test-other-rsa2048.pem")), "dev", "sha256");
        FitVerifier.Report report = FitVerifier.verify(signed, List.of(required(key())));
        assertThat(report.ok()).isFalse();
        assertThat(report.lines()).contains("Configuration 'conf-1' (default): sha256,rsa2048:dev- BAD: Failed to verify"
                + " required signature 'key-dev' (/configurations/conf-1/signature-1: Verification failed)");
    }

    @Test
    void anUnsignedFitFailsARequiredKeyButPassesHashesOnly() throws Exception {
        assertThat(FitVerifier.verify(fit(), List.of(required(key()))).ok()).isFalse();
        FitVerifier.Report hashesOnly = FitVerifier.verify(fit(), List.of());
        assertThat(hashesOnly.ok()).isTrue();
        assertThat(hashesOnly.lines()).contains("Configuration 'conf-1' (default): (no signature node) OK");
    }

    @Test
    void theSignedRegionsCoverHashesAndSignatureNamesButNotDataOrValues() throws Exception {
        byte[] signed = FitSigner.sign(fit(), key(), "dev", "sha256");
        FdtNode sig = Fdt.read(signed).find("/configurations/conf-1/signature-1").orElseThrow();
        byte[] covered = FdtRegions.bytes(signed, FdtRegions.find(signed,
                sig.property("hashed-nodes").orElseThrow().asStringList(), SignedRegions.EXCLUDED, false));
        assertThat(indexOf(covered, MessageDigest.getInstance("SHA-256").digest(KERNEL))).isPositive();
        assertThat(indexOf(covered, "signature-1\0".getBytes(StandardCharsets.US_ASCII))).isPositive();
        assertThat(indexOf(covered, KERNEL)).isNegative();
        assertThat(indexOf(covered, sig.property("value").orElseThrow().value())).isNegative();
        // The last region ends with FDT_END; with the strings block it runs on to the blob's end.
        List<FdtRegions.Region> withStrings = FdtRegions.find(signed, List.of("/"), Set.of(), true);
        FdtRegions.Region last = withStrings.get(withStrings.size() - 1);
        assertThat(last.offset() + last.size()).isEqualTo(Fdt.stringsOffset(signed) + Fdt.stringsSize(signed));
        // Only the root's own properties and the begin/end tokens of its children: four regions.
        List<FdtRegions.Region> rootOnly = FdtRegions.find(signed, List.of("/"), Set.of(), false);
        assertThat(rootOnly).hasSize(3);
    }

    @Test
    void theKeyNodeHoldsUbootsMontgomeryValues() throws Exception {
        RSAPrivateCrtKeyParameters priv = key();
        FdtNode root = FdtNode.root();
        required(priv).addTo(root);
        FdtNode node = root.find("/signature/key-dev").orElseThrow();
        BigInteger n = priv.getModulus();
        BigInteger two32 = BigInteger.ONE.shiftLeft(32);
        long n0inv = node.property("rsa,n0-inverse").orElseThrow().asU32();
        assertThat(n.multiply(BigInteger.valueOf(n0inv)).mod(two32)).isEqualTo(two32.subtract(BigInteger.ONE));
        assertThat(new BigInteger(1, node.property("rsa,r-squared").orElseThrow().value()))
                .isEqualTo(BigInteger.TWO.pow(4096).mod(n));
        assertThat(node.property("rsa,r-squared").orElseThrow().length()).isEqualTo(256);
        assertThat(new BigInteger(1, node.property("rsa,modulus").orElseThrow().value())).isEqualTo(n);
        assertThat(node.property("rsa,modulus").orElseThrow().length()).isEqualTo(256);
        assertThat(node.property("rsa,exponent").orElseThrow().asU64()).isEqualTo(65537);
        assertThat(node.property("rsa,num-bits").orElseThrow().asU32()).isEqualTo(2048);
        assertThat(node.property("algo").orElseThrow().asString()).isEqualTo("sha256,rsa2048");
        assertThat(node.property("required").orElseThrow().asString()).isEqualTo("conf");
        assertThat(node.property("key-name-hint").orElseThrow().asString()).isEqualTo("dev");
        List<UbootKey> back = UbootKey.readAll(Fdt.read(Fdt.write(root, List.of(), 0)), "control.dtb");
        assertThat(back).hasSize(1);
        assertThat(back.get(0).key().getModulus()).isEqualTo(n);
        assertThat(back.get(0).required()).contains("conf");
    }

    @Test
    void keysAreReadInEveryPemFormUbootUsersHave() throws Exception {
        BigInteger n = key().getModulus();
        assertThat(RsaKeys.readPrivate(resource("test-rsa2048-pkcs8.pem")).getModulus()).isEqualTo(n);
        assertThat(RsaKeys.readPublic(resource("test-rsa2048.pub")).getModulus()).isEqualTo(n);
        assertThat(RsaKeys.readPublic(resource("test-rsa2048.crt")).getModulus()).isEqualTo(n);
        assertThat(RsaKeys.readPublic(resource("test-rsa2048.pem")).getModulus()).isEqualTo(n);
    }

    @Test
    void badKeysAndBadFitsGetOneLineErrors() throws Exception {
        assertThatThrownBy(() -> RsaKeys.readPrivate(resource("test-ec.pem"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("test-ec.pem: not an RSA key");
        assertThatThrownBy(() -> RsaKeys.readPrivate(resource("test-rsa2048.pub"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("test-rsa2048.pub: holds subject public key info; expected an RSA private key");
        assertThatThrownBy(() -> RsaKeys.readPrivate(Path.of("/nonexistent/key.pem"))).isInstanceOf(ImageException.class)
                .hasMessage("/nonexistent/key.pem: no such file; expected a PEM key");
        assertThatThrownBy(() -> RsaKeys.readPrivate(resource("README.md"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("README.md: no PEM object found");
        byte[] noConfigurations = Fdt.write(FdtNode.root().prop("description", "x").child("images").child("kernel-1")
                .prop("data", KERNEL).parent().orElseThrow().parent().orElseThrow(), List.of(), 0);
        assertThatThrownBy(() -> FitSigner.sign(noConfigurations, key(), "dev", "sha256")).isInstanceOf(ImageException.class)
                .hasMessageStartingWith("not a signable FIT: no /configurations node");
        assertThatThrownBy(() -> FitSigner.sign(KERNEL, key(), "dev", "sha256")).isInstanceOf(ImageException.class)
                .hasMessageStartingWith("not a FIT: device tree blob: offset 0x0: bad magic");
        byte[] withoutHash = Fdt.write(Fdt.read(stripHash(fit())), List.of(), 0);
        assertThatThrownBy(() -> FitSigner.sign(withoutHash, key(), "dev", "sha256")).isInstanceOf(ImageException.class)
                .hasMessageContaining("image kernel-1 (kernel of configuration conf-1) has no hash node");
    }

    @Test
    void corruptedFitsGiveAReportOrAnImageExceptionNeverAnotherException() throws Exception {
        byte[] signed = FitSigner.sign(fit(), key(), "dev", "sha256");
        java.util.Random random = new java.util.Random(14);
        int reports = 0;
        for (int i = 0; i < 400; i++) {
            byte[] bad = signed.clone();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                FitVerifier.Report r = FitVerifier.verify(bad, List.of(required(key())));
                reports++;
                assertThat(r.lines()).isNotEmpty();
            } catch (ImageException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
            try {
                FitSigner.sign(bad, key(), "dev", "sha256");
            } catch (ImageException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(reports).isPositive();
    }

    /** A FIT whose kernel has no hash node (rebuilt without it). */
    private static byte[] stripHash(byte[] fit) throws Exception {
        FdtNode old = Fdt.read(fit);
        FdtNode root = FdtNode.root().prop("description", "no hash");
        FdtNode kernel = root.child("images").child("kernel-1");
        old.find("/images/kernel-1").orElseThrow().properties().forEach(p -> kernel.prop(p.name(), p.value()));
        root.child("configurations").prop("default", "conf-1").child("conf-1").prop("kernel", "kernel-1");
        return Fdt.write(root, List.of(), 0);
    }

    static byte[] replace(byte[] blob, byte[] what, byte[] with) {
        int at = indexOf(blob, what);
        assertThat(at).as("pattern present").isNotNegative();
        byte[] out = blob.clone();
        System.arraycopy(with, 0, out, at, with.length);
        return out;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
