package brassboard.boards.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A file-backed SPI memory on the board's SPI controllers ({@code --spi-flash}, {@code --spi-eeprom}).
 *
 * @param file         the part's contents, exactly its capacity
 * @param writeThrough whether programs, erases and writes reach the file (default: copy-on-write,
 *                     the file is never changed)
 * @param endurance    for a flash: the erase cycles each sector survives (default: the datasheet's)
 */
public record SpiAttachment(Path file, boolean writeThrough, OptionalLong endurance) {
    /** The syntax of {@code --spi-flash}. */
    public static final String FLASH_SYNTAX = "FILE[,write-through][,endurance=N]";
    /** The syntax of {@code --spi-eeprom}. */
    public static final String EEPROM_SYNTAX = "FILE[,write-through]";

    public SpiAttachment {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(endurance, "endurance");
    }

    /** {@code file}, copy-on-write, the datasheet's endurance. */
    public static SpiAttachment of(Path file) {
        return new SpiAttachment(file, false, OptionalLong.empty());
    }

    /**
     * Parses the argument of {@code option} ({@code --spi-flash}: {@value #FLASH_SYNTAX};
     * {@code --spi-eeprom}: {@value #EEPROM_SYNTAX}).
     *
     * @throws ConfigException one line naming the option, what is wrong and what was expected
     */
    public static SpiAttachment parse(String option, String spec, boolean flash) throws ConfigException {
        String syntax = flash ? FLASH_SYNTAX : EEPROM_SYNTAX;
        String where = option + " " + spec + ": ";
        String[] parts = spec.split(",", -1);
        if (parts[0].isEmpty()) {
            throw new ConfigException(where + "no file name; expected " + syntax);
        }
        boolean through = false;
        OptionalLong endurance = OptionalLong.empty();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("write-through")) {
                through = true;
            } else if (flash && p.startsWith("endurance=")) {
                String v = p.substring("endurance=".length());
                long n;
                try {
                    n = Long.parseLong(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    n = 0;
                }
                if (n < 1) {
                    throw new ConfigException(where + "endurance '" + v + "' is not a whole number of erase cycles of 1 or more");
                }
                endurance = OptionalLong.of(n);
            } else {
                throw new ConfigException(where + "unknown setting '" + p + "'; expected " + syntax);
            }
        }
        return new SpiAttachment(Path.of(parts[0]), through, endurance);
    }
}
