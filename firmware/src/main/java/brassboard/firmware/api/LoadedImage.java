package brassboard.firmware.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A firmware image read from {@code source}: {@code format} is {@code "elf"} or {@code "raw"};
 * {@code entry} is the physical address execution starts at (bit 0 set means a Thumb entry);
 * {@code symbols} maps function and object names to their values (Thumb bit cleared) in symbol
 * table order, empty for a raw binary or a stripped ELF.
 */
public record LoadedImage(Path source, String format, long entry, List<Segment> segments,
        Map<String, Long> symbols) {
    public LoadedImage {
        segments = List.copyOf(segments);
        symbols = Collections.unmodifiableMap(new LinkedHashMap<>(symbols));
    }

    /**
     * Checks that every segment lies wholly inside one of the board's memory {@code windows} and
     * that the entry point lies inside a loaded segment.
     *
     * @throws ImageException naming the first segment that does not fit, or the entry point
     */
    public void checkPlacement(List<MemoryWindow> windows) throws ImageException {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            long length = Math.max(s.memSize(), 1);
            if (windows.stream().anyMatch(w -> w.contains(s.address(), length))) {
                continue;
            }
            String where = "segment " + i + " " + Hex.range(s.address(), s.last());
            MemoryWindow partly = windows.stream()
                    .filter(w -> w.overlaps(s.address(), length)).findFirst().orElse(null);
            if (partly != null) {
                String how = s.address() < partly.base()
                        ? "starts " + Hex.num(partly.base() - s.address()) + " bytes before its start"
                        : "runs " + Hex.num(s.last() - partly.last()) + " bytes past its end";
                throw new ImageException(source + ": " + where + " does not fit in "
                        + partly.describe() + ": it " + how);
            }
            throw new ImageException(source + ": " + where + " lies outside "
                    + (windows.isEmpty() ? "every memory window (the board declares none)" : list(windows)));
        }
        long pc = entry & ~1L;
        if (segments.stream().noneMatch(s -> s.contains(pc))) {
            List<String> loaded = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                loaded.add(i + " " + Hex.range(segments.get(i).address(), segments.get(i).last()));
            }
            throw new ImageException(source + ": entry point " + Hex.addr(entry)
                    + " is not inside any loaded segment (segments " + String.join(", ", loaded)
                    + "); expected the entry to be loaded code");
        }
    }

    private static String list(List<MemoryWindow> windows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < windows.size(); i++) {
            if (i > 0) {
                sb.append(i == windows.size() - 1 ? " and " : ", ");
            }
            sb.append(windows.get(i).describe());
        }
        return sb.toString();
    }
}
