package brassboard.firmware.fit;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/**
 * Checks a FIT as U-Boot's verified boot does: each image's hash nodes against its data, each
 * configuration's signature nodes against the keys (as {@link UbootKey}s from a control device
 * tree), and each image's own signature nodes. A key with {@code required = "conf"} must verify a
 * signature of every configuration, one with {@code required = "image"} a signature of every image;
 * keys without {@code required} are tried but demanded of nothing, as in U-Boot.
 *
 * <p>The report says per image and configuration what U-Boot prints: {@code sha256+} for a hash
 * that matches, {@code sha256,rsa2048:dev+} for a signature that verifies, {@code -} for one that
 * does not.
 */
public final class FitVerifier {
    /**
     * The outcome.
     *
     * @param lines one line per image and per configuration, then one per failure of a required key
     * @param ok    every hash matches and every required key verified what it must
     */
    public record Report(List<String> lines, boolean ok) {
        public Report {
            lines = List.copyOf(lines);
        }
    }

    private FitVerifier() {
    }

    /** Checks {@code fit} against {@code keys} (none: hashes only). */
    public static Report verify(byte[] fit, List<UbootKey> keys) throws ImageException {
        try {
            return check(fit, keys);
        } catch (IllegalStateException | IllegalArgumentException | ArithmeticException e) {
            // A property of the wrong shape (a cell where a string belongs, say): the FIT is malformed.
            throw new ImageException("not a valid FIT: " + e.getMessage(), e);
        }
    }

    private static Report check(byte[] fit, List<UbootKey> keys) throws ImageException {
        FdtNode root = FitSigner.read(fit).root();
        FdtNode images = root.find("/images").orElseThrow(() -> new ImageException(
                "not a FIT: no /images node; expected images { kernel-1 { data = ...; }; }"));
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (FdtNode image : images.children()) {
            StringBuilder line = new StringBuilder("Image '" + image.name() + "': ");
            byte[] data = data(fit, image);
            boolean imageOk = true;
            int hashes = 0;
            String problem = null;
            for (FdtNode hash : image.children()) {
                if (!hash.name().startsWith("hash")) {
                    continue;
                }
                hashes++;
                String algo = string(hash, "algo");
                Optional<byte[]> want = hash.property("value").map(FdtProperty::value);
                Optional<byte[]> got = FitAlgorithms.hash(algo, data);
                boolean match = want.isPresent() && got.isPresent() && Arrays.equals(want.get(), got.get());
                line.append(algo).append(match ? "+ " : "- ");
                if (!match) {
                    imageOk = false;
                    problem = got.isEmpty() ? hash.name() + ": unknown hash algorithm '" + algo + "'"
                            : want.isEmpty() ? hash.name() + " has no value"
                            : "the data's " + algo + " does not match " + hash.name() + "'s value (the image was changed)";
                }
            }
            for (FdtNode sig : image.children()) {
                if (sig.name().startsWith("signature")) {
                    Check c = check(sig, keys, data);
                    line.append(c.label()).append(' ');
                    imageOk &= c.failedRequired().isEmpty();
                    if (!c.failedRequired().isEmpty()) {
                        problem = c.detail();
                    }
                }
            }
            for (UbootKey key : keys) {
                if (key.required().filter("image"::equals).isPresent() && !verifiedBy(image, key, data)) {
                    imageOk = false;
                    problem = "no signature node verifies with required key '" + key.name() + "'";
                }
            }
            if (hashes == 0 && problem == null) {
                line.append("(no hash node) ");
            }
            line.append(imageOk ? "OK" : "BAD: " + problem);
            lines.add(line.toString());
            ok &= imageOk;
        }

        Optional<FdtNode> configurations = root.find("/configurations");
        List<FdtNode> confs = configurations.map(FdtNode::children).orElse(List.of());
        boolean requiredConf = keys.stream().anyMatch(k -> k.required().filter("conf"::equals).isPresent());
        if (confs.isEmpty() && requiredConf) {
            lines.add("no /configurations: nothing a required configuration key could verify");
            ok = false;
        }
        for (FdtNode conf : confs) {
            StringBuilder line = new StringBuilder("Configuration '" + conf.name() + "'");
            if (configurations.get().property("default").map(p -> p.asStringList().get(0)).filter(conf.name()::equals).isPresent()) {
                line.append(" (default)");
            }
            line.append(": ");
            List<String> verifiedKeys = new ArrayList<>();
            String problem = null;
            boolean any = false;
            for (FdtNode sig : conf.children()) {
                if (!sig.name().startsWith("signature")) {
                    continue;
                }
                any = true;
                Check c = configCheck(fit, root, conf, sig, keys);
                line.append(c.label()).append(' ');
                verifiedKeys.addAll(c.verifiedKeys());
                if (c.detail() != null) {
                    problem = c.detail();
                }
            }
            if (!any) {
                line.append("(no signature node) ");
            }
            boolean confOk = true;
            for (UbootKey key : keys) {
                if (key.required().filter("conf"::equals).isPresent() && !verifiedKeys.contains(key.name())) {
                    confOk = false;
                    problem = "Failed to verify required signature 'key-" + key.name() + "'"
                            + (problem == null ? "" : " (" + problem + ")");
                }
            }
            line.append(confOk ? "OK" : "BAD: " + problem);
            lines.add(line.toString());
            ok &= confOk;
        }
        return new Report(lines, ok);
    }

    /** What one signature node came to. */
    private record Check(String label, List<String> verifiedKeys, List<String> failedRequired, String detail) {
    }

    private static Check configCheck(byte[] fit, FdtNode root, FdtNode conf, FdtNode sig, List<UbootKey> keys)
            throws ImageException {
        String where = conf.name() + "/" + sig.name();
        List<String> nodes = sig.property("hashed-nodes").map(FdtProperty::asStringList).orElse(List.of());
        String algo = string(sig, "algo");
        String hint = sig.property("key-name-hint").map(FdtProperty::asString).orElse("");
        String label = algo + ":" + hint;
        if (nodes.isEmpty()) {
            return new Check(label + "-", List.of(), List.of(), where + ": Can't get hashed-nodes property");
        }
        if (!nodes.contains("/configurations/" + conf.name())) {
            return new Check(label + "-", List.of(), List.of(), where + ": Selected config not in hashed nodes");
        }
        long[] strings = sig.property("hashed-strings").map(FdtProperty::asCells).orElse(new long[0]);
        int stringsSize = strings.length == 2 ? (int) Math.min(strings[1], Integer.MAX_VALUE) : 0;
        if (stringsSize > Fdt.stringsSize(fit)) {
            return new Check(label + "-", List.of(), List.of(), where + ": hashed-strings covers " + stringsSize
                    + " bytes but the strings block has " + Fdt.stringsSize(fit));
        }
        byte[] covered = SignedRegions.bytes(fit, nodes, strings.length == 2 ? stringsSize : 0, Fdt.stringsOffset(fit));
        return check(sig, keys, covered);
    }

    /** Checks {@code sig}'s value over {@code covered} with the keys it may be meant for. */
    private static Check check(FdtNode sig, List<UbootKey> keys, byte[] covered) throws ImageException {
        String algo = string(sig, "algo");
        String hint = sig.property("key-name-hint").map(FdtProperty::asString).orElse("");
        String label = algo + ":" + hint;
        String padding = sig.property("padding").map(FdtProperty::asString).orElse("pkcs-1.5");
        int comma = algo.indexOf(',');
        Optional<Digest> digest = comma < 0 ? Optional.empty() : FitAlgorithms.signatureDigest(algo.substring(0, comma));
        if (digest.isEmpty() || !padding.equals("pkcs-1.5")) {
            return new Check(label + "-", List.of(), List.of(), sig.path() + ": Unknown signature algorithm '" + algo
                    + "' (padding " + padding + "); expected e.g. sha256,rsa2048 with pkcs-1.5");
        }
        byte[] value = sig.property("value").map(FdtProperty::value).orElse(new byte[0]);
        List<UbootKey> candidates = keys.stream().filter(k -> k.algo().equals(algo) && k.name().equals(hint)).toList();
        if (candidates.isEmpty()) {
            // U-Boot tries every key of the control tree when none carries the hint's name.
            candidates = keys.stream().filter(k -> k.algo().equals(algo)).toList();
        }
        if (candidates.isEmpty()) {
            return new Check(label + "?", List.of(), List.of(), null);
        }
        List<String> verified = new ArrayList<>();
        for (UbootKey key : candidates) {
            RSADigestSigner verifier = new RSADigestSigner(FitAlgorithms.signatureDigest(algo.substring(0, comma)).orElseThrow());
            verifier.init(false, key.key());
            verifier.update(covered, 0, covered.length);
            if (verifier.verifySignature(value)) {
                verified.add(key.name());
            }
        }
        List<String> failedRequired = verified.isEmpty()
                ? candidates.stream().filter(k -> k.required().isPresent()).map(UbootKey::name).toList() : List.of();
        return new Check(label + (verified.isEmpty() ? "-" : "+"), verified, failedRequired,
                verified.isEmpty() ? sig.path() + ": Verification failed" : null);
    }

    private static boolean verifiedBy(FdtNode image, UbootKey key, byte[] data) throws ImageException {
        for (FdtNode sig : image.children()) {
            if (sig.name().startsWith("signature") && check(sig, List.of(key), data).verifiedKeys().contains(key.name())) {
                return true;
            }
        }
        return false;
    }

    /**
     * An image's data: its {@code data} property, or {@code data-size} bytes placed outside the
     * tree by {@code mkimage -E} at {@code data-position} (from the FIT's start) or {@code
     * data-offset} (from the end of the tree, rounded up to 4 bytes).
     */
    static byte[] data(byte[] fit, FdtNode image) throws ImageException {
        Optional<FdtProperty> inline = image.property("data");
        if (inline.isPresent()) {
            return inline.get().value();
        }
        Optional<FdtProperty> size = image.property("data-size");
        Optional<FdtProperty> position = image.property("data-position");
        Optional<FdtProperty> offset = image.property("data-offset");
        if (size.isEmpty() || (position.isEmpty() && offset.isEmpty())) {
            throw new ImageException("image " + image.name() + " has no data (expected a data property, or data-size with"
                    + " data-position or data-offset)");
        }
        long start = position.isPresent() ? position.get().asU32()
                : ((Fdt.totalSize(fit) + 3) & ~3L) + offset.get().asU32();
        long n = size.get().asU32();
        if (start + n > fit.length) {
            throw new ImageException("image " + image.name() + ": external data [0x" + Long.toHexString(start) + ", +0x"
                    + Long.toHexString(n) + ") runs past the file's end at 0x" + Integer.toHexString(fit.length));
        }
        return Arrays.copyOfRange(fit, (int) start, (int) (start + n));
    }

    private static String string(FdtNode node, String name) throws ImageException {
        try {
            return node.property(name).orElseThrow(() -> new ImageException(node.path() + ": no " + name + " property"))
                    .asString();
        } catch (IllegalStateException e) {
            throw new ImageException(node.path() + ": " + e.getMessage());
        }
    }
}
