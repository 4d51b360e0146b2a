package brassboard.firmware.fit;

import brassboard.firmware.api.ImageException;
import brassboard.firmware.fdt.FdtException;
import brassboard.firmware.fdt.FdtNode;
import brassboard.firmware.fdt.FdtRegions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a configuration signature covers (U-Boot's {@code doc/usage/fit/signature.rst}, "Signed
 * Configurations"): the nodes it names in {@code hashed-nodes} (the root, the configuration, each
 * image the configuration names with its hash nodes and cipher node), taken as {@link FdtRegions}
 * take them without any image's data, then the strings block up to the size {@code
 * hashed-strings} recorded when it was signed.
 */
final class SignedRegions {
    /** The properties that hold (or place) image data: the data is covered by the hash nodes instead. */
    static final Set<String> EXCLUDED = Set.of("data", "data-size", "data-position", "data-offset");
    /** The properties of a configuration that name images, in the order U-Boot knows them. */
    static final List<String> IMAGE_PROPERTIES = List.of("kernel", "fdt", "ramdisk", "firmware", "loadables",
            "fpga", "setup", "script");

    private SignedRegions() {
    }

    /** The image-naming properties {@code conf} has, in {@link #IMAGE_PROPERTIES} order. */
    static List<String> imageProperties(FdtNode conf) {
        return IMAGE_PROPERTIES.stream().filter(p -> conf.property(p).isPresent()).toList();
    }

    /**
     * The {@code hashed-nodes} list for signing {@code conf}: {@code /}, the configuration, then
     * each image it names under {@code properties} with its {@code hash*} nodes and its {@code
     * cipher} node.
     */
    static List<String> hashedNodes(FdtNode root, FdtNode conf, List<String> properties) throws ImageException {
        List<String> nodes = new ArrayList<>(List.of("/", "/configurations/" + conf.name()));
        for (String property : properties) {
            for (String image : conf.property(property).orElseThrow().asStringList()) {
                Optional<FdtNode> node = root.find("/images/" + image);
                if (node.isEmpty()) {
                    throw new ImageException("configuration " + conf.name() + ": " + property + " = \"" + image
                            + "\" but there is no /images/" + image);
                }
                nodes.add(node.get().path());
                int hashes = 0;
                for (FdtNode sub : node.get().children()) {
                    if (sub.name().startsWith("hash")) {
                        nodes.add(sub.path());
                        hashes++;
                    }
                }
                if (hashes == 0) {
                    throw new ImageException("image " + image + " (" + property + " of configuration " + conf.name()
                            + ") has no hash node: a signature covers an image through its hash; expected hash-1 { algo = \"sha256\"; }");
                }
                node.get().find("cipher").ifPresent(c -> nodes.add(c.path()));
            }
        }
        return nodes;
    }

    /** The bytes a signature over {@code nodes} covers, with {@code stringsSize} bytes of the strings block. */
    static byte[] bytes(byte[] blob, List<String> nodes, int stringsSize, int stringsOffset) throws ImageException {
        try {
            List<FdtRegions.Region> regions = new ArrayList<>(FdtRegions.find(blob, nodes, EXCLUDED, false));
            regions.add(new FdtRegions.Region(stringsOffset, stringsSize));
            return FdtRegions.bytes(blob, regions);
        } catch (FdtException e) {
            throw new ImageException(e.getMessage(), e);
        }
    }
}
