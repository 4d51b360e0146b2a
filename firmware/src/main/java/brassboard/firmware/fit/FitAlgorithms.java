package brassboard.firmware.fit;

import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;

/**
 * The algorithm names a FIT uses: a hash node's {@code algo} ({@code crc32}, {@code md5}, {@code
 * sha1}, {@code sha256}, {@code sha384}, {@code sha512}) and a signature node's {@code algo},
 * {@code CHECKSUM,CRYPTO} such as {@code sha256,rsa2048} (U-Boot's {@code
 * doc/usage/fit/signature.rst}).
 */
public final class FitAlgorithms {
    private static final List<Integer> RSA_SIZES = List.of(2048, 3072, 4096);

    private FitAlgorithms() {
    }

    /** The RSA modulus sizes U-Boot names ({@code rsa2048}, {@code rsa3072}, {@code rsa4096}). */
    public static List<Integer> rsaSizes() {
        return RSA_SIZES;
    }

    /** A fresh digest for a signature's checksum name; empty when the name is not one. */
    static Optional<Digest> signatureDigest(String checksum) {
        return switch (checksum) {
            case "sha1" -> Optional.of(new SHA1Digest());
            case "sha256" -> Optional.of(new SHA256Digest());
            case "sha384" -> Optional.of(new SHA384Digest());
            case "sha512" -> Optional.of(new SHA512Digest());
            default -> Optional.empty();
        };
    }

    /** The value a hash node's {@code algo} gives {@code data}; empty for an unknown name. */
    static Optional<byte[]> hash(String algo, byte[] data) {
        if (algo.equals("crc32")) {
            CRC32 crc = new CRC32();
            crc.update(data);
            long v = crc.getValue();
            return Optional.of(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        }
        Optional<Digest> digest = algo.equals("md5") ? Optional.of(new MD5Digest()) : signatureDigest(algo);
        return digest.map(d -> {
            d.update(data, 0, data.length);
            byte[] out = new byte[d.getDigestSize()];
            d.doFinal(out, 0);
            return out;
        });
    }

    /** The signature {@code algo} for a checksum and a key size, e.g. {@code sha256,rsa2048}. */
    static String signatureAlgo(String checksum, int bits) {
        return checksum + ",rsa" + bits;
    }
}
