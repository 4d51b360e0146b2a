package brassboard.boards.thirdparty;

import static org.assertj.core.api.Assertions.assertThat;

import brassboard.boards.api.RunResult;
import brassboard.boards.api.UsbAttachment;
import brassboard.firmware.api.Images;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fit.FitBuilder;
import brassboard.firmware.fit.FitSigner;
import brassboard.firmware.fit.RsaKeys;
import brassboard.firmware.fit.UbootKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * U-Boot's verified boot on Brassboard: Debian's U-Boot, given a public key in its control DTB as
 * {@code run --fit-key} puts it there, {@code bootm}s a FIT that Brassboard built from the sample
 * {@code hello.elf} and signed, printing {@code sha256,rsa2048:dev+} on its "Verifying Hash
 * Integrity" line, and refuses two tampered copies: one whose signed part was changed (the
 * signature fails), one whose kernel data was changed (the signature holds, the kernel's hash
 * fails). The FITs reach U-Boot on a FAT stick ({@code --usb storage}) made here with {@code
 * mkfs.vfat} and {@code mtools}; without them or the U-Boot image the test is skipped, unless
 * {@code CI} is set: then it fails and says what is missing.
 */
@Tag("thirdparty")
class UbootFitTest {
    static final String GREETING = "Brassboard hello: ARMv7-A on the virt board";
    static final String SCRIPT = String.join("\n",
            "", // stops autoboot
            "usb start",
            "fatload usb 0 0x41000000 BADSIG.ITB",
            "bootm 0x41000000",
            "fatload usb 0 0x41000000 BADHASH.ITB",
            "bootm 0x41000000",
            "fatload usb 0 0x41000000 SIGNED.ITB",
            "bootm 0x41000000",
            "");

    @TempDir
    Path dir;

    @Test
    void ubootBootsTheSignedFitAndRefusesTamperedCopies() throws Exception {
        UbootConsole.uboot();
        Path mkfs = UbootUsbTest.tool("mkfs.vfat");
        Path mcopy = UbootUsbTest.tool("mcopy");
        Path keys = Path.of("..", "firmware", "src", "test", "resources", "fit");
        RSAPrivateCrtKeyParameters key = RsaKeys.readPrivate(keys.resolve("test-rsa2048.pem"));

        // The kernel's device tree names the board, so U-Boot's FIT_BEST_MATCH picks conf-1.
        FdtNode kernelTree = FdtNode.root().prop("#address-cells", 2).prop("#size-cells", 2)
                .prop("compatible", "linux,dummy-virt").prop("model", "brassboard-fit-test");
        kernelTree.child("chosen");
        byte[] fit = FitBuilder.build(FitBuilder.Spec.elfKernel(Images.load(Path.of("..", "firmware", "images", "hello.elf"),
                OptionalLong.empty())).withDtb(Fdt.write(kernelTree, List.of(), 0)));
        byte[] signed = FitSigner.sign(fit, key, "dev", "sha256");
        byte[] badSig = replace(signed, "Brassboard FIT", "Brassboard FIX"); // the root's description: signed
        byte[] badHash = replace(signed, "Brassboard hello", "Brassboard jello"); // kernel data: hashed, not signed

        Path stick = dir.resolve("stick.img");
        UbootUsbTest.run(mkfs.toString(), "-C", "-n", "FIT", stick.toString(), "8192");
        for (var f : List.of(new Object[] {"SIGNED.ITB", signed}, new Object[] {"BADSIG.ITB", badSig},
                new Object[] {"BADHASH.ITB", badHash})) {
            Path file = Files.write(dir.resolve((String) f[0]), (byte[]) f[1]);
            UbootUsbTest.run(mcopy.toString(), "-i", stick.toString(), file.toString(), "::" + f[0]);
        }

        UbootKey pub = new UbootKey("dev", RsaKeys.readPublic(keys.resolve("test-rsa2048.pub")), "sha256",
                Optional.of("conf"));
        UbootConsole.Session s = UbootConsole.brassboard(SCRIPT,
                b -> b.usb(UsbAttachment.storage(stick)).dtbEdit(pub::addTo));
        String out = s.output().replace("\r", "");
        String[] boots = out.split("=> bootm 0x41000000\n", -1);
        assertThat(boots).as(out).hasSize(4);

        assertThat(boots[1]).as("a FIT whose signed part was changed")
                .contains("   Verifying Hash Integrity ... sha256,rsa2048:dev-  error!\n",
                        "Verification failed for '<NULL>' hash node in 'conf-1' config node\n",
                        "Failed to verify required signature 'key-dev'\n", "Bad Data Hash\n")
                .doesNotContain(GREETING);
        assertThat(boots[2]).as("a FIT whose kernel data was changed")
                .contains("   Verifying Hash Integrity ... sha256,rsa2048:dev+ OK\n", "kernel-1", "Bad Data Hash\n")
                .doesNotContain(GREETING);
        assertThat(boots[3]).as("the signed FIT")
                .contains("   Using 'conf-1' configuration\n",
                        "   Verifying Hash Integrity ... sha256,rsa2048:dev+ OK\n",
                        "   Verifying Hash Integrity ... sha256+ OK\n",
                        "Starting kernel ...",
                        GREETING);
        assertThat(s.result().outcome()).as(out).isEqualTo(RunResult.Outcome.POWER_OFF);
    }

    private static byte[] replace(byte[] blob, String what, String with) {
        String text = new String(blob, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(what);
        assertThat(at).as(what).isNotNegative();
        byte[] out = blob.clone();
        System.arraycopy(with.getBytes(StandardCharsets.ISO_8859_1), 0, out, at, with.length());
        return out;
    }
}
