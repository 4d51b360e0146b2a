package brassboard.arm.t32;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsed T32 {@code encodings.txt}: encodings sorted most-specific-first, and the listed overlaps. */
public final class T32EncodingTable {
    /** The resource the T32 decoder is built from. */
    public static final String RESOURCE = "/brassboard/arm/t32/encodings.txt";

    static final Set<String> GROUPS = Set.of("dataproc", "multiply", "loadstore", "ldm", "branch",
            "status", "media", "coproc", "hint", "exception", "sync");

    private final List<T32Encoding> encodings;
    private final Map<String, String> allowedOverlaps;

    private T32EncodingTable(List<T32Encoding> encodings, Map<String, String> allowedOverlaps) {
        this.encodings = List.copyOf(encodings);
        this.allowedOverlaps = Map.copyOf(allowedOverlaps);
    }

    /** The table shipped with the core. */
    public static T32EncodingTable load() {
        try (InputStream in = T32EncodingTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the text format described at the top of {@code encodings.txt}. */
    public static T32EncodingTable parse(String text) {
        List<T32Encoding> list = new ArrayList<>();
        Map<String, String> overlaps = new HashMap<>();
        Set<String> names = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String trimmed = lines[i].strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("overlap")) {
                String[] parts = trimmed.split("\\s+", 4);
                if (parts.length < 4) {
                    throw error(lineNo, "an overlap needs two names and a reason");
                }
                overlaps.put(overlapKey(parts[1], parts[2]), parts[3]);
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 3 && parts.length != 4) {
                throw error(lineNo, "expected NAME GROUP HALFWORD [HALFWORD]");
            }
            String pattern = parts.length == 4 ? parts[2] + parts[3] : parts[2];
            list.add(encoding(parts[0], parts[1], pattern, parts.length == 4, lineNo));
            if (!names.add(parts[0])) {
                throw error(lineNo, "duplicate encoding name " + parts[0]);
            }
        }
        for (String key : overlaps.keySet()) {
            for (String name : key.split(" ")) {
                if (!names.contains(name)) {
                    throw new IllegalArgumentException(RESOURCE + ": overlap names unknown encoding " + name);
                }
            }
        }
        list.sort(Comparator.comparingInt(T32Encoding::specificity).reversed());
        return new T32EncodingTable(list, overlaps);
    }

    private static T32Encoding encoding(String name, String group, String pattern, boolean wide, int lineNo) {
        if (!GROUPS.contains(group)) {
            throw error(lineNo, "unknown group " + group + ", expected one of " + GROUPS);
        }
        int length = wide ? 32 : 16;
        if (pattern.length() != length) {
            throw error(lineNo, "pattern of " + name + " has " + pattern.length() + " characters, expected " + length);
        }
        int mask = 0;
        int value = 0;
        for (int i = 0; i < length; i++) {
            char ch = pattern.charAt(i);
            int bit = 1 << (length - 1 - i);
            if (ch == '0' || ch == '1') {
                mask |= bit;
                value |= ch == '1' ? bit : 0;
            } else if (!Character.isLetter(ch)) {
                throw error(lineNo, "bad pattern character '" + ch + "' in " + name);
            }
        }
        int top5 = wide ? value >>> 27 : value >>> 11;
        boolean wideSpace = top5 == 0b11101 || top5 == 0b11110 || top5 == 0b11111;
        if ((mask >>> (length - 5)) != 0x1F && wide) {
            throw error(lineNo, name + ": bits 15:11 of the first halfword must be fixed");
        }
        if (wide != wideSpace && (mask >>> (length - 5)) == 0x1F) {
            throw error(lineNo, name + ": bits 15:11 of the first halfword say " + (wideSpace ? "32" : "16")
                    + "-bit, the pattern is " + length + " bits");
        }
        return new T32Encoding(name, group, pattern, wide, mask, value, lineNo);
    }

    private static IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException(RESOURCE + ":" + line + ": " + message);
    }

    private static String overlapKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }

    /** The encodings, most specific first. */
    public List<T32Encoding> encodings() {
        return encodings;
    }

    /** The reason given for the overlap of two encodings, or {@code null} when it is not listed. */
    public String overlapReason(String a, String b) {
        return allowedOverlaps.get(overlapKey(a, b));
    }
}
