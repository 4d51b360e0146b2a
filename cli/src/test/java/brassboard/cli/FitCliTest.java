package brassboard.cli;

import static brassboard.cli.CliTest.brassboard;
import static org.assertj.core.api.Assertions.assertThat;

import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code image fit}, {@code image sign}, {@code image verify} and {@code run --fit-key} from the command line. */
class FitCliTest {
    static final Path KEYS = Path.of("..", "firmware", "src", "test", "resources", "fit");
    static final String HELLO = Path.of("..", "firmware", "images", "hello.elf").toString();

    @TempDir
    Path dir;

    private String key(String name) {
        return KEYS.resolve(name).toString();
    }

    private Path signedFit() throws Exception {
        Path dtb = Files.write(dir.resolve("k.dtb"), Fdt.write(FdtNode.root().prop("compatible", "linux,dummy-virt"),
                List.of(), 0));
        Path fit = dir.resolve("hello.itb");
        CliTest.Outcome built = brassboard("image", "fit", "-o", fit.toString(), "--kernel", HELLO, "--dtb", dtb.toString());
        assertThat(built.status()).as(built.err()).isZero();
        Path signed = dir.resolve("signed.itb");
        CliTest.Outcome s = brassboard("image", "sign", "--key", key("test-rsa2048.pem"), "--key-name", "dev",
                fit.toString(), "-o", signed.toString());
        assertThat(s.status()).as(s.err()).isZero();
        return signed;
    }

    @Test
    void buildSignAndVerifyFromTheCommandLine() throws Exception {
        Path signed = signedFit();
        FdtNode root = Fdt.read(Files.readAllBytes(signed));
        assertThat(root.find("/images/kernel-1").orElseThrow().property("load").orElseThrow().asU32()).isEqualTo(0x40010000L);
        CliTest.Outcome v = brassboard("image", "verify", "--key", key("test-rsa2048.pub"), "--key-name", "dev", signed.toString());
        assertThat(v.status()).as(v.err()).isZero();
        assertThat(v.out()).isEqualTo("Image 'kernel-1': sha256+ OK\nImage 'fdt-1': sha256+ OK\n"
                + "Configuration 'conf-1' (default): sha256,rsa2048:dev+ OK\n");
        // A certificate works as the public key, and the key's name need not be given.
        assertThat(brassboard("image", "verify", "--key", key("test-rsa2048.crt"), signed.toString()).status()).isZero();
    }

    @Test
    void theSameInputsGiveTheSameFileAndATimestampOnlyWhenAsked() throws Exception {
        Path a = dir.resolve("a.itb");
        Path b = dir.resolve("b.itb");
        Path c = dir.resolve("c.itb");
        Path raw = Files.write(dir.resolve("kernel.bin"), "raw kernel bytes".getBytes(StandardCharsets.US_ASCII));
        assertThat(brassboard("image", "fit", "-o", a.toString(), "--kernel", raw.toString(), "--load", "0x40008000").status()).isZero();
        assertThat(brassboard("image", "fit", "-o", b.toString(), "--kernel", raw.toString(), "--load", "0x40008000").status()).isZero();
        assertThat(brassboard("image", "fit", "-o", c.toString(), "--kernel", raw.toString(), "--load", "0x40008000",
                "--timestamp", "1700000000", "--compatible", "linux,dummy-virt").status()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        FdtNode root = Fdt.read(Files.readAllBytes(c));
        assertThat(root.property("timestamp").orElseThrow().asU32()).isEqualTo(1700000000L);
        assertThat(root.find("/configurations/conf-1").orElseThrow().property("compatible").orElseThrow().asString())
                .isEqualTo("linux,dummy-virt");
        assertThat(Fdt.read(Files.readAllBytes(a)).property("timestamp").orElseThrow().asU32()).isZero();
    }

    @Test
    void aTamperedImageFailsVerifyNamingTheImageWithExitStatusOne() throws Exception {
        Path signed = signedFit();
        byte[] bytes = Files.readAllBytes(signed);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("Brassboard hello");
        bytes[at] = 'b';
        Path tampered = Files.write(dir.resolve("tampered.itb"), bytes);
        CliTest.Outcome v = brassboard("image", "verify", "--key", key("test-rsa2048.pub"), "--key-name", "dev", tampered.toString());
        assertThat(v.status()).isEqualTo(1);
        assertThat(v.out()).contains("Image 'kernel-1': sha256- BAD: the data's sha256 does not match hash-1's value");
        CliTest.Outcome wrongKey = brassboard("image", "verify", "--key", key("test-other-rsa2048.pem"), "--key-name", "dev",
                signed.toString());
        assertThat(wrongKey.status()).isEqualTo(1);
        assertThat(wrongKey.out()).contains("sha256,rsa2048:dev- BAD: Failed to verify required signature 'key-dev'");
    }

    @Test
    void signWritesTheKeyIntoAControlDtbThatVerifyReads() throws Exception {
        Path fit = signedFit();
        Path control = dir.resolve("control.dtb");
        CliTest.Outcome s = brassboard("image", "sign", "--key", key("test-rsa2048.pem"), "--key-name", "dev",
                "--control-dtb", control.toString(), "--required", "conf", fit.toString());
        assertThat(s.status()).as(s.err()).isZero();
        FdtNode node = Fdt.read(Files.readAllBytes(control)).find("/signature/key-dev").orElseThrow();
        assertThat(node.property("required").orElseThrow().asString()).isEqualTo("conf");
        CliTest.Outcome v = brassboard("image", "verify", "--dtb", control.toString(), fit.toString());
        assertThat(v.status()).as(v.out() + v.err()).isZero();
        assertThat(v.out()).contains("sha256,rsa2048:dev+ OK");
    }

    @Test
    void badInputGetsOneLineAndExitStatusTwo() throws Exception {
        Path fit = signedFit();
        Path noConf = Files.write(dir.resolve("noconf.itb"), Fdt.write(FdtNode.root().prop("description", "x")
                .child("images").parent().orElseThrow(), List.of(), 0));
        String[][] cases = {
            {"image", "sign", "--key", key("test-ec.pem"), fit.toString()},
            {"image", "sign", "--key", dir.resolve("missing.pem").toString(), fit.toString()},
            {"image", "sign", "--key", key("test-rsa2048.pub"), fit.toString()},
            {"image", "sign", "--key", key("test-rsa2048.pem"), noConf.toString()},
            {"image", "sign", "--key", key("test-rsa2048.pem"), "--required", "conf", fit.toString()},
            {"image", "sign", "--key", key("test-rsa2048.pem"), dir.resolve("missing.itb").toString()},
            {"image", "verify", "--key", key("test-ec.pem"), fit.toString()},
            {"image", "verify", HELLO},
            {"image", "fit", "-o", dir.resolve("x.itb").toString(), "--kernel", key("README.md")},
            {"image", "fit", "-o", dir.resolve("x.itb").toString(), "--kernel", HELLO, "--arch", "vax"},
            {"image", "fit", "-o", dir.resolve("x.itb").toString(), "--kernel", HELLO, "--dtb", HELLO},
            {"run", "--fit-key", key("test-ec.pem"), HELLO},
            {"run", "--fit-key", key("test-rsa2048.pub") + ",required=sometimes", HELLO},
            {"run", "--fit-key", key("test-rsa2048.pub") + ",colour=blue", HELLO},
        };
        String[] expected = {
            "test-ec.pem: not an RSA key",
            "missing.pem: no such file; expected a PEM key",
            "test-rsa2048.pub: holds subject public key info; expected an RSA private key",
            "noconf.itb: not a signable FIT: no /configurations node",
            "--required marks the key in a control DTB: it needs --control-dtb FILE",
            "missing.itb: no such file",
            "test-ec.pem: not an RSA key",
            "hello.elf: not a FIT: device tree blob: offset 0x0: bad magic",
            "README.md: a raw kernel needs --load ADDR",
            "--arch vax: not a name U-Boot knows; expected one of",
            "hello.elf: not a device-tree blob",
            "test-ec.pem: not an RSA key",
            "required=sometimes: expected conf, image or none",
            "unknown setting 'colour=blue'; expected name=NAME or required=conf|image|none",
        };
        for (int i = 0; i < cases.length; i++) {
            CliTest.Outcome o = brassboard(cases[i]).oneLineError();
            assertThat(o.status()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(o.err()).as(String.join(" ", cases[i])).startsWith("brassboard: ").contains(expected[i]);
        }
    }

    @Test
    void runWithAFitKeyStartsTheFirmware() {
        CliTest.Outcome o = brassboard("run", "--fit-key", key("test-rsa2048.pub") + ",name=dev,required=conf", HELLO);
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("Brassboard hello");
    }
}
