package brassboard.firmware.fit;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtProperty;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * A public key as U-Boot's verified boot keeps it in its control device tree: a node {@code
 * /signature/key-NAME} with {@code key-name-hint}, {@code algo}, {@code rsa,num-bits}, {@code
 * rsa,n0-inverse}, {@code rsa,exponent} (64-bit), {@code rsa,modulus} and {@code rsa,r-squared}
 * (big-endian arrays of 32-bit words, most significant first, {@code num-bits / 32} words each),
 * and {@code required = "conf"} or {@code "image"} when U-Boot must refuse what the key does not
 * verify (U-Boot's {@code doc/usage/fit/signature.rst}, "Public Key Storage"). The two
 * precomputed values serve U-Boot's Montgomery multiplication: {@code n0-inverse = -n^-1 mod 2^32}
 * and {@code r-squared = (2^num-bits)^2 mod n}.
 *
 * @param name     the key's name: the node is {@code key-NAME}, its {@code key-name-hint} NAME
 * @param key      the RSA public key
 * @param checksum the checksum half of {@code algo} ({@code sha256})
 * @param required {@code conf}, {@code image} or empty (the key is known but not demanded)
 */
public record UbootKey(String name, RSAKeyParameters key, String checksum, Optional<String> required) {
    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z,._+-]{1,27}");
    private static final BigInteger TWO_32 = BigInteger.ONE.shiftLeft(32);

    public UbootKey {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name '" + name
                    + "' is not valid: expected 1-27 of [0-9a-zA-Z,._+-] (it names the node key-NAME)");
        }
        required.ifPresent(r -> {
            if (!r.equals("conf") && !r.equals("image")) {
                throw new IllegalArgumentException("required '" + r + "': expected conf or image");
            }
        });
    }

    /** The key's size in bits. */
    public int bits() {
        return RsaKeys.bits(key);
    }

    /** The signature algorithm the key verifies, e.g. {@code sha256,rsa2048}. */
    public String algo() {
        return FitAlgorithms.signatureAlgo(checksum, bits());
    }

    /** {@code -n^-1 mod 2^32}, as an unsigned 32-bit value. */
    public static long n0Inverse(BigInteger modulus) {
        return modulus.modInverse(TWO_32).negate().mod(TWO_32).longValueExact();
    }

    /** {@code (2^bits)^2 mod n}. */
    public static BigInteger rSquared(BigInteger modulus, int bits) {
        return BigInteger.ONE.shiftLeft(2 * bits).mod(modulus);
    }

    /** Adds (or replaces) this key's node under {@code /signature} of a control device tree. */
    public FdtNode addTo(FdtNode root) {
        BigInteger n = key.getModulus();
        int bits = bits();
        FdtNode node = root.child("signature").child("key-" + name)
                .prop("key-name-hint", name)
                .prop("rsa,num-bits", bits)
                .propCells("rsa,n0-inverse", n0Inverse(n))
                .propU64("rsa,exponent", key.getExponent().longValueExact())
                .prop("rsa,modulus", words(n, bits))
                .prop("rsa,r-squared", words(rSquared(n, bits), bits))
                .prop("algo", algo());
        required.ifPresentOrElse(r -> node.prop("required", r), () -> node.remove("required"));
        return node;
    }

    /**
     * The keys under {@code /signature} of a control device tree; {@code what} names the tree in
     * messages. The modulus and exponent are what verification uses; a node whose {@code
     * rsa,n0-inverse} or {@code rsa,r-squared} does not match its modulus is refused, since U-Boot
     * computes with those.
     */
    public static List<UbootKey> readAll(FdtNode root, String what) throws ImageException {
        List<UbootKey> keys = new ArrayList<>();
        Optional<FdtNode> signature = root.find("/signature");
        if (signature.isEmpty()) {
            return keys;
        }
        for (FdtNode node : signature.get().children()) {
            String at = what + ": " + node.path();
            try {
                int bits = (int) prop(node, at, "rsa,num-bits").asU32();
                BigInteger n = new BigInteger(1, prop(node, at, "rsa,modulus").value());
                long e = prop(node, at, "rsa,exponent").asU64();
                String algo = prop(node, at, "algo").asString();
                String hint = node.property("key-name-hint").map(FdtProperty::asString)
                        .orElse(node.name().startsWith("key-") ? node.name().substring(4) : node.name());
                if (n.bitLength() != bits) {
                    throw new ImageException(at + ": rsa,modulus has " + n.bitLength() + " bits but rsa,num-bits says " + bits);
                }
                if (prop(node, at, "rsa,n0-inverse").asU32() != n0Inverse(n)
                        || !new BigInteger(1, prop(node, at, "rsa,r-squared").value()).equals(rSquared(n, bits))) {
                    throw new ImageException(at + ": rsa,n0-inverse or rsa,r-squared does not match rsa,modulus");
                }
                int comma = algo.indexOf(',');
                if (comma < 0 || !algo.substring(comma + 1).equals("rsa" + bits)) {
                    throw new ImageException(at + ": algo '" + algo + "' does not name a " + bits + "-bit RSA key");
                }
                Optional<String> required = node.property("required").map(FdtProperty::asString);
                keys.add(new UbootKey(hint, new RSAKeyParameters(false, n, BigInteger.valueOf(e)),
                        algo.substring(0, comma), required));
            } catch (IllegalStateException | IllegalArgumentException | ArithmeticException ex) {
                throw new ImageException(at + ": not a U-Boot key node: " + ex.getMessage());
            }
        }
        return keys;
    }

    private static FdtProperty prop(FdtNode node, String at, String name) throws ImageException {
        return node.property(name).orElseThrow(() -> new ImageException(at + ": no " + name + " property"));
    }

    /** {@code value} as {@code bits / 32} big-endian 32-bit words. */
    static byte[] words(BigInteger value, int bits) {
        byte[] out = new byte[bits / 8];
        byte[] raw = value.toByteArray();
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        return out;
    }
}
