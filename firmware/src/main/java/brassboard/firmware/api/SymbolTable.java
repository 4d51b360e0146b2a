package brassboard.firmware.api;

import brassboard.firmware.elf.ElfImageReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The symbols of a firmware image, from an ELF executable's {@code .symtab} or from a Linux
 * {@code System.map}: look a name up, or describe an address as {@code name+0xoff}.
 */
public final class SymbolTable {
    /** An address further than this past its nearest symbol is shown as a bare address. */
    private static final long MAX_OFFSET = 1 << 20;
    private static final Pattern MAP_LINE = Pattern.compile("([0-9a-fA-F]{1,16})\\s+([A-Za-z?])\\s+(\\S+)\\s*");
    /** {@code nm} output also lists undefined symbols, without an address. */
    private static final Pattern UNDEFINED_LINE = Pattern.compile("[Uvw]\\s+\\S+");

    private final Path source;
    private final List<Symbol> symbols;
    private final Map<String, Symbol> byName = new HashMap<>();
    /** Symbols that may describe an address, by address (functions first among equal addresses). */
    private final Symbol[] byAddress;

    /** A table of {@code symbols} read from {@code source}; where two share a name, the first wins. */
    public SymbolTable(Path source, List<Symbol> symbols) {
        this.source = source;
        this.symbols = List.copyOf(symbols);
        for (Symbol s : this.symbols) {
            byName.putIfAbsent(s.name(), s);
        }
        this.byAddress = this.symbols.stream()
                .sorted(Comparator.comparingLong(Symbol::address)
                        .thenComparing(s -> s.kind().ordinal())
                        .thenComparing(Symbol::name))
                .toArray(Symbol[]::new);
    }

    /** An empty table. */
    public static SymbolTable empty() {
        return new SymbolTable(Path.of("(none)"), List.of());
    }

    /**
     * Reads {@code file}: an ELF executable (by its magic) or a {@code System.map} text file
     * ({@code address type name} per line).
     *
     * @throws ImageException naming the file (and line) and what was expected
     */
    public static SymbolTable load(Path file) throws ImageException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ImageException(file + ": is a directory, expected an ELF executable or a System.map");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageException(file + ": no such file, expected an ELF executable or a System.map", e);
        } catch (IOException e) {
            throw new ImageException(file + ": cannot read the symbols (" + e.getMessage() + ")", e);
        }
        if (ElfImageReader.hasElfMagic(bytes)) {
            List<Symbol> list = ElfImageReader.readSymbols(file, bytes);
            if (list.isEmpty()) {
                throw new ImageException(file + ": an ELF without a symbol table (stripped?); expected an ELF with"
                        + " .symtab or a System.map");
            }
            return new SymbolTable(file, list);
        }
        return parseSystemMap(file, new String(bytes, StandardCharsets.UTF_8));
    }

    /** Parses a {@code System.map}'s text; {@code file} names it in messages. */
    public static SymbolTable parseSystemMap(Path file, String text) throws ImageException {
        List<Symbol> list = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || UNDEFINED_LINE.matcher(line).matches()) {
                continue;
            }
            Matcher m = MAP_LINE.matcher(line);
            if (!m.matches()) {
                String shown = line.length() > 60 ? line.substring(0, 60) + "..." : line;
                throw new ImageException(file + ": line " + (i + 1) + ": '" + shown.replaceAll("\\p{Cntrl}", "?")
                        + "' is not a System.map line; expected 'ADDRESS TYPE NAME' (hex address, a type letter,"
                        + " a name), as in 'c0008000 T _text'");
            }
            long address = Long.parseUnsignedLong(m.group(1), 16);
            char type = m.group(2).charAt(0);
            if (type == 'U' || type == 'u' || type == 'A' || type == 'a' || type == 'N' || type == 'n') {
                continue; // undefined, absolute and debug entries name no place in the image
            }
            list.add(new Symbol(m.group(3), address, 0, kindOf(type)));
        }
        if (list.isEmpty()) {
            throw new ImageException(file + ": no symbols; expected a System.map ('ADDRESS TYPE NAME' lines)"
                    + " or an ELF executable with a symbol table");
        }
        return new SymbolTable(file, list);
    }

    private static Symbol.Kind kindOf(char type) {
        switch (Character.toLowerCase(type)) {
            case 't':
            case 'w':
                return Symbol.Kind.FUNCTION;
            case 'd':
            case 'b':
            case 'r':
            case 'g':
            case 's':
            case 'v':
                return Symbol.Kind.OBJECT;
            default:
                return Symbol.Kind.LABEL;
        }
    }

    /** Where the symbols came from. */
    public Path source() {
        return source;
    }

    /** Every symbol, in the order read. */
    public List<Symbol> symbols() {
        return symbols;
    }

    public boolean isEmpty() {
        return symbols.isEmpty();
    }

    /** The symbol named {@code name}. */
    public Optional<Symbol> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * {@code address} as {@code name+0xoff} from the nearest symbol at or below it, or as
     * {@code 0x%08x} when there is none within 1 MiB.
     */
    public String describe(long address) {
        int lo = 0;
        int hi = byAddress.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (byAddress[mid].address() <= address) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || address - byAddress[found].address() >= MAX_OFFSET) {
            return String.format("0x%08x", address);
        }
        long base = byAddress[found].address();
        while (found > 0 && byAddress[found - 1].address() == base) {
            found--; // the preferred symbol of those at this address
        }
        return byAddress[found].name() + "+0x" + Long.toHexString(address - base);
    }
}
