package brassboard.cli;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.Images;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtBlob;
import brassboard.firmware.fdt.FdtException;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fit.FitBuilder;
import brassboard.firmware.fit.FitSigner;
import brassboard.firmware.fit.FitVerifier;
import brassboard.firmware.fit.RsaKeys;
import brassboard.firmware.fit.UbootKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code brassboard image fit | sign | verify}: FIT images for U-Boot's {@code bootm}, signed for its verified boot. */
final class FitCommands {
    /** Names U-Boot knows for {@code arch} (common/image.c's table, the ones a FIT for an ARM board may name). */
    static final Set<String> ARCHES = Set.of("arm", "arm64", "x86", "x86_64", "riscv", "mips", "mips64", "powerpc",
            "sandbox", "arc", "m68k", "microblaze", "nios2", "sh", "sparc", "sparc64", "xtensa");
    /** Names U-Boot knows for {@code os}. */
    static final Set<String> OSES = Set.of("linux", "u-boot", "elf", "efi", "tee", "arm-trusted-firmware", "openrtos",
            "opensbi", "qnx", "vxworks", "rtems", "netbsd", "freebsd", "plan9", "lynxos", "integrity");
    /** Names U-Boot knows for {@code compression}; the data is stored as given either way. */
    static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd");

    private FitCommands() {
    }

    /** {@code brassboard image fit -o OUT.itb --kernel FILE [...]}. */
    @Command(name = "fit", mixinStandardHelpOptions = true,
            description = {"Build a FIT (U-Boot's flattened image tree) for bootm: images/kernel-1, fdt-1, ramdisk-1, each",
                "with a sha256 hash-1 node, and configurations/conf-1 naming them. The same inputs give the same bytes.",
                "An ELF kernel is stored as its loadable segments, with load and entry from the ELF unless given."})
    static final class FitCommand implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, paramLabel = "OUT.itb", required = true, description = "Where to write the FIT.")
        Path output;

        @Option(names = "--kernel", paramLabel = "FILE", required = true, description = "The kernel (raw bytes, or an ELF).")
        Path kernel;

        @Option(names = "--dtb", paramLabel = "FILE", description = "A device-tree blob for the kernel (fdt-1).")
        Path dtb;

        @Option(names = "--ramdisk", paramLabel = "FILE", description = "An initial ramdisk (ramdisk-1).")
        Path ramdisk;

        @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "arm", description = "U-Boot's arch name (default: ${DEFAULT-VALUE}).")
        String arch;

        @Option(names = "--os", paramLabel = "OS", defaultValue = "linux", description = "U-Boot's os name (default: ${DEFAULT-VALUE}).")
        String os;

        @Option(names = "--load", paramLabel = "ADDR", converter = Units.AddressConverter.class,
                description = "Where U-Boot copies the kernel (required for a raw kernel).")
        Long load;

        @Option(names = "--entry", paramLabel = "ADDR", converter = Units.AddressConverter.class,
                description = "Where U-Boot jumps (default: the load address).")
        Long entry;

        @Option(names = "--compression", paramLabel = "NAME", defaultValue = "none",
                description = "How the kernel is compressed, as U-Boot names it (default: ${DEFAULT-VALUE}); the bytes are stored as given.")
        String compression;

        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "Brassboard FIT", description = "The FIT's description.")
        String description;

        @Option(names = "--compatible", paramLabel = "STRING",
                description = "The configuration's compatible: a U-Boot with FIT_BEST_MATCH (Debian's qemu_arm) boots, for"
                        + " 'bootm ADDR', the configuration matching its board (linux,dummy-virt on virt); default: none.")
        String compatible;

        @Option(names = "--timestamp", paramLabel = "N", defaultValue = "0",
                description = "Seconds since 1970 for the root's timestamp, which U-Boot's tools require (default: ${DEFAULT-VALUE}; never the clock).")
        long timestamp;

        @Override
        public Integer call() {
            check("--arch", arch, ARCHES);
            check("--os", os, OSES);
            check("--compression", compression, COMPRESSIONS);
            if (timestamp < 0 || timestamp > 0xffff_ffffL) {
                throw new Main.UsageError("--timestamp " + timestamp + ": expected 0..4294967295 (a 32-bit time)");
            }
            byte[] kernelBytes = read("--kernel", kernel);
            OptionalLong loadAt = load == null ? OptionalLong.empty() : OptionalLong.of(load);
            OptionalLong entryAt = entry == null ? OptionalLong.empty() : OptionalLong.of(entry);
            if (isElf(kernelBytes)) {
                LoadedImage elf;
                try {
                    elf = Images.parse(kernel, kernelBytes, OptionalLong.empty());
                } catch (ImageException e) {
                    throw new Main.UsageError("--kernel " + Main.oneLine(e.getMessage()));
                }
                FitBuilder.Spec flat;
                try {
                    flat = FitBuilder.Spec.elfKernel(elf);
                } catch (ImageException e) {
                    throw new Main.UsageError("--kernel " + Main.oneLine(e.getMessage()));
                }
                kernelBytes = flat.kernel();
                loadAt = load == null ? flat.load() : loadAt;
                entryAt = entry == null ? flat.entry() : entryAt;
            } else if (load == null && os.equals("linux")) {
                throw new Main.UsageError("--kernel " + kernel + ": a raw kernel needs --load ADDR (and --entry ADDR if it"
                        + " does not start at its first byte)");
            }
            for (OptionalLong a : List.of(loadAt, entryAt)) {
                if (a.isPresent() && (a.getAsLong() < 0 || a.getAsLong() > 0xffff_ffffL)) {
                    throw new Main.UsageError("--load/--entry 0x" + Long.toHexString(a.getAsLong()) + ": expected a 32-bit address");
                }
            }
            Optional<byte[]> dtbBytes = Optional.ofNullable(dtb).map(p -> read("--dtb", p));
            if (dtbBytes.isPresent()) {
                try {
                    Fdt.read(dtbBytes.get());
                } catch (FdtException e) {
                    throw new Main.UsageError("--dtb " + dtb + ": not a device-tree blob: " + Main.oneLine(e.getMessage()));
                }
            }
            Optional<byte[]> ramdiskBytes = Optional.ofNullable(ramdisk).map(p -> read("--ramdisk", p));
            FitBuilder.Spec spec = new FitBuilder.Spec(kernelBytes, dtbBytes, ramdiskBytes, arch, os, loadAt, entryAt,
                    compression, description, timestamp, Optional.ofNullable(compatible));
            write("--output", output, FitBuilder.build(spec));
            return 0;
        }

        private static boolean isElf(byte[] b) {
            return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
        }
    }

    /** {@code brassboard image sign --key KEY.pem [...] IN.itb [-o OUT.itb]}. */
    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign every configuration of a FIT as U-Boot's verified boot (and mkimage -k) does: RSA PKCS#1 v1.5",
                "over the configuration, its images' hash nodes and the root, in a signature-N node per key. With",
                "--control-dtb, also write each public key into that U-Boot control DTB as mkimage -K does."})
    static final class SignCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN.itb", description = "The FIT to sign.")
        Path input;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.itb", description = "Where to write the signed FIT (default: IN.itb, in place).")
        Path output;

        @Option(names = "--key", paramLabel = "KEY.pem", required = true,
                description = "An RSA private key (PEM, PKCS#1 or PKCS#8; 2048, 3072 or 4096 bits). Repeat to sign with several keys.")
        List<Path> keys = new ArrayList<>();

        @Option(names = "--key-name", paramLabel = "NAME",
                description = "The name U-Boot knows the key by (key-name-hint); one per --key, in order (default: the key file's name without .pem/.key).")
        List<String> keyNames = new ArrayList<>();

        @Option(names = "--checksum", paramLabel = "ALGO", defaultValue = "sha256", description = "The hash that is signed (default: ${DEFAULT-VALUE}).")
        String checksum;

        @Option(names = "--control-dtb", paramLabel = "FILE",
                description = "A U-Boot control DTB to add the public keys to (/signature/key-NAME); created if missing.")
        Path controlDtb;

        @Option(names = "--required", paramLabel = "conf|image",
                description = "Mark the keys in --control-dtb as required: U-Boot then refuses a configuration (conf) or image the key does not verify.")
        String required;

        @Override
        public Integer call() {
            if (keyNames.size() > keys.size()) {
                throw new Main.UsageError("--key-name given " + keyNames.size() + " times for " + keys.size()
                        + " --key; expected at most one name per key");
            }
            if (required != null && !required.equals("conf") && !required.equals("image")) {
                throw new Main.UsageError("--required " + required + ": expected conf or image");
            }
            if (required != null && controlDtb == null) {
                throw new Main.UsageError("--required marks the key in a control DTB: it needs --control-dtb FILE");
            }
            List<FitSigner.SigningKey> signing = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String name = i < keyNames.size() ? keyNames.get(i) : defaultName(keys.get(i));
                checkName("--key-name", name);
                try {
                    signing.add(new FitSigner.SigningKey(RsaKeys.readPrivate(keys.get(i)), name));
                } catch (ImageException e) {
                    throw new Main.UsageError("--key " + Main.oneLine(e.getMessage()));
                }
            }
            byte[] fit = read(null, input);
            byte[] signed;
            try {
                signed = FitSigner.sign(fit, signing, checksum);
            } catch (ImageException e) {
                throw new Main.UsageError(input + ": " + Main.oneLine(e.getMessage()));
            }
            if (controlDtb != null) {
                addKeys(signing);
            }
            write("--output", output == null ? input : output, signed);
            return 0;
        }

        private void addKeys(List<FitSigner.SigningKey> signing) {
            FdtBlob control;
            if (Files.exists(controlDtb)) {
                try {
                    control = Fdt.readBlob(read("--control-dtb", controlDtb));
                } catch (FdtException e) {
                    throw new Main.UsageError("--control-dtb " + controlDtb + ": not a device-tree blob: " + Main.oneLine(e.getMessage()));
                }
            } else {
                control = new FdtBlob(FdtNode.root(), List.of(), 0, Fdt.VERSION);
            }
            for (FitSigner.SigningKey k : signing) {
                RSAKeyParameters pub = new RSAKeyParameters(false, k.key().getModulus(), k.key().getPublicExponent());
                new UbootKey(k.name(), pub, checksum, Optional.ofNullable(required)).addTo(control.root());
            }
            write("--control-dtb", controlDtb, Fdt.write(control.root(), control.memReserve(), control.bootCpuIdPhys()));
        }
    }

    /** {@code brassboard image verify [--key KEY.pub | --dtb CONTROL.dtb] IN.itb}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a FIT as U-Boot's verified boot does: every image's hashes, every configuration's signatures.",
                "Prints per image and configuration what U-Boot prints (sha256+, sha256,rsa2048:NAME+ or -). A --key is",
                "required for every configuration; keys from --dtb are required as their 'required' property says."},
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:every hash matches and every required signature verifies", "1:something does not",
                "2:bad input (a missing file, a key that is not RSA, a file that is not a FIT)"})
    static final class VerifyCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN.itb", description = "The FIT to check.")
        Path input;

        @Option(names = "--key", paramLabel = "KEY.pub",
                description = "An RSA public key (PEM public key, certificate or private key) that must verify each configuration. Repeatable.")
        List<Path> keys = new ArrayList<>();

        @Option(names = "--key-name", paramLabel = "NAME", description = "The name of each --key, in order (default: the file's name without its extension).")
        List<String> keyNames = new ArrayList<>();

        @Option(names = "--dtb", paramLabel = "CONTROL.dtb", description = "A U-Boot control DTB whose /signature/key-* nodes hold the keys.")
        Path dtb;

        @Option(names = "--checksum", paramLabel = "ALGO", defaultValue = "sha256", description = "The hash a --key's signatures use (default: ${DEFAULT-VALUE}).")
        String checksum;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<UbootKey> all = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                String name = i < keyNames.size() ? keyNames.get(i) : defaultName(keys.get(i));
                checkName("--key-name", name);
                try {
                    all.add(new UbootKey(name, RsaKeys.readPublic(keys.get(i)), checksum, Optional.of("conf")));
                } catch (ImageException e) {
                    throw new Main.UsageError("--key " + Main.oneLine(e.getMessage()));
                }
            }
            if (dtb != null) {
                try {
                    all.addAll(UbootKey.readAll(Fdt.read(read("--dtb", dtb)), dtb.toString()));
                } catch (FdtException e) {
                    throw new Main.UsageError("--dtb " + dtb + ": not a device-tree blob: " + Main.oneLine(e.getMessage()));
                } catch (ImageException e) {
                    throw new Main.UsageError("--dtb " + Main.oneLine(e.getMessage()));
                }
            }
            FitVerifier.Report report;
            try {
                report = FitVerifier.verify(read(null, input), all);
            } catch (ImageException e) {
                throw new Main.UsageError(input + ": " + Main.oneLine(e.getMessage()));
            }
            PrintWriter out = spec.commandLine().getOut();
            report.lines().forEach(out::println);
            if (all.isEmpty()) {
                out.println("(no key given: hashes checked, signatures not; give --key or --dtb to check them)");
            }
            out.flush();
            return report.ok() ? 0 : 1;
        }
    }

    static String defaultName(Path key) {
        String file = key.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    static void checkName(String flag, String name) {
        if (!name.matches("[0-9a-zA-Z,._+-]{1,27}")) {
            throw new Main.UsageError(flag + " '" + name + "': expected 1-27 of [0-9a-zA-Z,._+-] (it names the node key-NAME)");
        }
    }

    static void check(String flag, String value, Set<String> known) {
        if (!known.contains(value)) {
            throw new Main.UsageError(flag + " " + value + ": not a name U-Boot knows; expected one of "
                    + String.join(", ", known.stream().sorted().toList()));
        }
    }

    static byte[] read(String flag, Path file) {
        String what = flag == null ? file.toString() : flag + " " + file;
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Main.UsageError(what + ": no such file");
        } catch (IOException e) {
            throw new Main.UsageError(what + ": cannot read it: " + Main.oneLine(e.getMessage()));
        }
    }

    static void write(String flag, Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new Main.UsageError(flag + " " + file + ": cannot write it: " + Main.oneLine(e.getMessage()));
        }
    }
}
