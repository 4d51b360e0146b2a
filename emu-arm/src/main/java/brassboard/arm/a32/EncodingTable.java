package brassboard.arm.a32;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsed {@code encodings.txt}: encodings sorted most-specific-first, and the listed overlaps. */
public final class EncodingTable {
    /** The resource the A32 decoder is built from. */
    public static final String RESOURCE = "/brassboard/arm/a32/encodings.txt";

    private static final Set<String> GROUPS = Set.of("dataproc", "multiply", "loadstore", "ldm", "branch",
            "status", "media", "coproc", "hint", "exception", "sync", "vfp", "vfpldst", "vfpxfer",
            "simd3", "simdimm", "simdshift", "simdmisc", "simdldst", "simdlong");

    private final List<Encoding> encodings;
    private final Map<String, String> allowedOverlaps;

    private EncodingTable(List<Encoding> encodings, Map<String, String> allowedOverlaps) {
        this.encodings = List.copyOf(encodings);
        this.allowedOverlaps = Map.copyOf(allowedOverlaps);
    }

    /** The table shipped with the core. */
    public static EncodingTable load() {
        try (InputStream in = EncodingTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the text format described at the top of {@code encodings.txt}. */
    public static EncodingTable parse(String text) {
        List<Encoding> list = new ArrayList<>();
        Map<String, String> overlaps = new HashMap<>();
        Set<String> names = new HashSet<>();
        int lineNo = 0;
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] parts = trimmed.split("\\s+", 4);
                if (parts[0].equals("overlap")) {
                    if (parts.length < 4) {
                        throw error(lineNo, "an overlap needs two names and a reason");
                    }
                    overlaps.put(overlapKey(parts[1], parts[2]), parts[3]);
                    continue;
                }
                if (parts.length != 3) {
                    throw error(lineNo, "expected NAME GROUP PATTERN");
                }
                list.add(encoding(parts[0], parts[1], parts[2], lineNo));
                if (!names.add(parts[0])) {
                    throw error(lineNo, "duplicate encoding name " + parts[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : overlaps.keySet()) {
            for (String name : key.split(" ")) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException("overlap names unknown encoding " + name);
                }
            }
        }
        list.sort(Comparator.comparingInt(Encoding::specificity).reversed());
        return new EncodingTable(list, overlaps);
    }

    private static Encoding encoding(String name, String group, String pattern, int lineNo) {
        if (!GROUPS.contains(group)) {
            throw error(lineNo, "unknown group " + group + ", expected one of " + GROUPS);
        }
        if (pattern.length() != 32) {
            throw error(lineNo, "pattern of " + name + " has " + pattern.length() + " characters, expected 32");
        }
        int mask = 0;
        int value = 0;
        for (int i = 0; i < 32; i++) {
            char ch = pattern.charAt(i);
            int bit = 1 << (31 - i);
            if (ch == '0' || ch == '1') {
                mask |= bit;
                value |= ch == '1' ? bit : 0;
            } else if (ch == 'c') {
                if (i >= 4) {
                    throw error(lineNo, "'c' (condition) is only allowed in bits 31:28");
                }
            } else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
                throw error(lineNo, "bad pattern character '" + ch + "' in " + name);
            } else if (i < 4) {
                throw error(lineNo, "bits 31:28 of " + name + " must be cccc or 1111");
            }
        }
        boolean conditional = pattern.startsWith("cccc");
        if (!conditional && !pattern.startsWith("1111")) {
            throw error(lineNo, "bits 31:28 of " + name + " must be cccc or 1111 (the unconditional space)");
        }
        return new Encoding(name, group, pattern, mask, value, conditional, lineNo);
    }

    private static IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException(RESOURCE + ":" + line + ": " + message);
    }

    private static String overlapKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    /** The encodings, most specific first. */
    public List<Encoding> encodings() {
        return encodings;
    }

    /** The reason given for the overlap of two encodings, or {@code null} when it is not listed. */
    public String overlapReason(String a, String b) {
        return allowedOverlaps.get(overlapKey(a, b));
    }
}
