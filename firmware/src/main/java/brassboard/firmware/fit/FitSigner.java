package brassboard.firmware.fit;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.Fdt;
import brassboard.firmware.fdt.FdtBlob;
import brassboard.firmware.fdt.FdtException;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/**
 * Signs every configuration of a FIT as U-Boot's {@code mkimage -k} does (U-Boot's {@code
 * doc/usage/fit/signature.rst}): RSA PKCS#1 v1.5 over the configuration's {@link SignedRegions},
 * written into a {@code signature-N} node of the configuration with {@code algo}, {@code
 * key-name-hint}, {@code sign-images}, {@code value}, {@code signer-name}, {@code signer-version},
 * {@code hashed-nodes} and {@code hashed-strings}. Everything outside the signature nodes keeps its
 * bytes (the strings block grows only at its end), so signatures already in the FIT stay valid.
 * No clock is read: the result depends only on the FIT, the key and its name.
 */
public final class FitSigner {
    /** What {@code signer-name} says. */
    public static final String SIGNER_NAME = "brassboard";
    /** What {@code signer-version} says. */
    public static final String SIGNER_VERSION = "0.1.0";
    private static final List<String> WRITTEN = List.of("value", "signer-name", "signer-version", "hashed-nodes",
            "hashed-strings", "timestamp", "comment");

    private FitSigner() {
    }

    /** A private key and the name U-Boot will know it by ({@code key-name-hint}). */
    public record SigningKey(RSAPrivateCrtKeyParameters key, String name) {
    }

    /**
     * The FIT with each configuration signed by {@code key} under {@code keyName}.
     *
     * @param checksum the hash that is signed ({@code sha256})
     */
    public static byte[] sign(byte[] fit, RSAPrivateCrtKeyParameters key, String keyName, String checksum)
            throws ImageException {
        return sign(fit, List.of(new SigningKey(key, keyName)), checksum);
    }

    /**
     * The FIT with each configuration signed by each key, one signature node per key. All keys
     * sign in one pass: a signature node added later would change the configuration's bytes under
     * the earlier signatures (a configuration's sub-node names are covered), so a FIT that already
     * holds a signature by another key is refused rather than silently broken.
     */
    public static byte[] sign(byte[] fit, List<SigningKey> keys, String checksum) throws ImageException {
        try {
            return signAll(fit, keys, checksum);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // A property of the wrong shape or a node name the builder refuses: the FIT is malformed.
            throw new ImageException("not a valid FIT: " + e.getMessage(), e);
        }
    }

    private static byte[] signAll(byte[] fit, List<SigningKey> keys, String checksum) throws ImageException {
        if (FitAlgorithms.signatureDigest(checksum).isEmpty()) {
            throw new ImageException("checksum '" + checksum + "': expected sha1, sha256, sha384 or sha512");
        }
        if (keys.isEmpty()) {
            throw new ImageException("no key to sign with");
        }
        FdtBlob read = read(fit);
        FdtNode root = read.root();
        FdtNode configurations = root.find("/configurations").orElseThrow(() -> new ImageException(
                "not a signable FIT: no /configurations node; expected configurations { conf-1 { kernel = ...; }; }"));
        List<FdtNode> confs = configurations.children();
        if (confs.isEmpty()) {
            throw new ImageException("not a signable FIT: /configurations has no configuration; expected conf-1 { kernel = ...; }");
        }
        if (root.find("/images").isEmpty()) {
            throw new ImageException("not a FIT: no /images node");
        }

        // 1. Name each signature node and say what it covers; nothing yet that depends on the bytes.
        List<FdtNode> sigs = new ArrayList<>();
        List<List<String>> nodes = new ArrayList<>();
        List<SigningKey> signers = new ArrayList<>();
        for (FdtNode conf : confs) {
            if (conf.name().indexOf('@') >= 0) {
                throw new ImageException("configuration " + conf.name() + ": a unit address in the name; U-Boot refuses"
                        + " those in signed FITs (expected a name such as conf-1)");
            }
            List<String> props = SignedRegions.imageProperties(conf);
            if (props.isEmpty()) {
                throw new ImageException("configuration " + conf.name() + " names no image; expected kernel = \"kernel-1\"");
            }
            List<String> hashed = SignedRegions.hashedNodes(root, conf, props);
            for (SigningKey k : keys) {
                FdtNode sig = signatureNode(conf, k.name());
                for (String p : WRITTEN) {
                    sig.remove(p);
                }
                sig.prop("algo", FitAlgorithms.signatureAlgo(checksum, RsaKeys.bits(k.key()))).prop("key-name-hint", k.name())
                        .prop("sign-images", props.get(0), props.subList(1, props.size()).toArray(String[]::new));
                sigs.add(sig);
                nodes.add(hashed);
                signers.add(k);
            }
            for (FdtNode sub : conf.children()) {
                if (sub.name().startsWith("signature") && !sigs.contains(sub) && sub.property("value").isPresent()) {
                    throw new ImageException("configuration " + conf.name() + " already holds " + sub.name()
                            + " by another key, which signing now would invalidate; expected all keys in one run (--key A --key B)");
                }
            }
        }
        byte[] unsigned;
        byte[] unsignedStrings;
        try {
            unsigned = Fdt.writeKeepingStrings(root, read.memReserve(), read.bootCpuIdPhys(), Fdt.stringsBlock(fit));
            unsignedStrings = Fdt.stringsBlock(unsigned);
        } catch (FdtException e) {
            throw new ImageException(e.getMessage(), e);
        }

        // 2. Sign each configuration's regions of that blob; the values go where no region looks.
        for (int i = 0; i < sigs.size(); i++) {
            byte[] covered = SignedRegions.bytes(unsigned, nodes.get(i), unsignedStrings.length, Fdt.stringsOffset(unsigned));
            RSADigestSigner signer = new RSADigestSigner(FitAlgorithms.signatureDigest(checksum).orElseThrow());
            signer.init(true, signers.get(i).key());
            signer.update(covered, 0, covered.length);
            byte[] value;
            try {
                value = signer.generateSignature();
            } catch (CryptoException e) {
                throw new ImageException(sigs.get(i).path() + ": signing failed: " + e.getMessage(), e);
            }
            List<String> list = nodes.get(i);
            sigs.get(i).prop("value", value)
                    .prop("signer-name", SIGNER_NAME)
                    .prop("signer-version", SIGNER_VERSION)
                    .prop("hashed-nodes", list.get(0), list.subList(1, list.size()).toArray(String[]::new))
                    .propCells("hashed-strings", 0, unsignedStrings.length);
        }
        return Fdt.writeKeepingStrings(root, read.memReserve(), read.bootCpuIdPhys(), unsignedStrings);
    }

    /** The configuration's signature node for {@code keyName}: the one whose hint names it, else a new {@code signature-N}. */
    private static FdtNode signatureNode(FdtNode conf, String keyName) {
        int n = 1;
        for (FdtNode sub : conf.children()) {
            if (sub.name().startsWith("signature")) {
                Optional<String> hint = sub.property("key-name-hint").map(FdtProperty::asString);
                if (hint.isEmpty() || hint.get().equals(keyName)) {
                    return sub;
                }
                n++;
            }
        }
        while (conf.find("signature-" + n).isPresent()) {
            n++;
        }
        return conf.child("signature-" + n);
    }

    static FdtBlob read(byte[] fit) throws ImageException {
        try {
            return Fdt.readBlob(fit);
        } catch (FdtException e) {
            throw new ImageException("not a FIT: " + e.getMessage(), e);
        }
    }
}
