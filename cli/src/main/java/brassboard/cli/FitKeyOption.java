package brassboard.cli;

import brassboard.boards.api.BoardOptions;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.fit.RsaKeys;
import brassboard.firmware.fit.UbootKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code run --fit-key KEY.pub[,name=NAME][,required=conf|image|none]}: a public key put into the
 * device tree the board hands to firmware, where U-Boot's verified boot looks for it ({@code
 * /signature/key-NAME}, see {@link UbootKey}). NAME defaults to the file's name without its
 * extension, required to {@code conf} (U-Boot then {@code bootm}s only FIT configurations the key
 * verifies).
 */
final class FitKeyOption {
    private FitKeyOption() {
    }

    /** The options with each {@code --fit-key} added as a device-tree edit. */
    static BoardOptions apply(BoardOptions options, List<String> specs) {
        BoardOptions out = options;
        for (String spec : specs) {
            UbootKey key = parse(spec);
            out = out.withDtbEdit(key::addTo);
        }
        return out;
    }

    static UbootKey parse(String spec) {
        String[] parts = spec.split(",");
        if (parts[0].isEmpty()) {
            throw new Main.UsageError("--fit-key '" + spec + "': expected KEY.pub[,name=NAME][,required=conf|image|none]");
        }
        Path file = Path.of(parts[0]);
        String name = FitCommands.defaultName(file);
        Optional<String> required = Optional.of("conf");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("name=")) {
                name = part.substring(5);
                FitCommands.checkName("--fit-key " + spec + ": name", name);
            } else if (part.startsWith("required=")) {
                String r = part.substring(9);
                if (!List.of("conf", "image", "none").contains(r)) {
                    throw new Main.UsageError("--fit-key " + spec + ": required=" + r + ": expected conf, image or none");
                }
                required = r.equals("none") ? Optional.empty() : Optional.of(r);
            } else {
                throw new Main.UsageError("--fit-key " + spec + ": unknown setting '" + part
                        + "'; expected name=NAME or required=conf|image|none");
            }
        }
        FitCommands.checkName("--fit-key " + spec + ": name", name);
        try {
            return new UbootKey(name, RsaKeys.readPublic(file), "sha256", required);
        } catch (ImageException e) {
            throw new Main.UsageError("--fit-key " + Main.oneLine(e.getMessage()));
        }
    }
}
