package brassboard.firmware.elf;

import brassboard.firmware.api.Hex;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.LoadedImage;
import brassboard.firmware.api.Segment;
import brassboard.firmware.api.Symbol;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a 32-bit little-endian ARM ELF executable ({@code ET_EXEC}, {@code EM_ARM}) from its bytes.
 *
 * <p>Every offset and size taken from the file is checked against the file's length before it is
 * used, so malformed input of any kind ends in an {@link ImageException} with a one-line message,
 * never in another exception. Segments are placed by physical address ({@code p_paddr}), as QEMU
 * does for bare-metal images; an entry point inside an executable segment whose virtual and
 * physical addresses differ is translated to the physical address the same way.
 */
public final class ElfImageReader {
    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};

    // e_ident
    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;
    private static final int EI_NIDENT = 16;
    private static final int ELFCLASS32 = 1;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int ELFDATA2MSB = 2;

    // Elf32_Ehdr
    private static final int EHDR_SIZE = 52;
    private static final int E_TYPE = 16;
    private static final int E_MACHINE = 18;
    private static final int E_ENTRY = 24;
    private static final int E_PHOFF = 28;
    private static final int E_SHOFF = 32;
    private static final int E_PHENTSIZE = 42;
    private static final int E_PHNUM = 44;
    private static final int E_SHENTSIZE = 46;
    private static final int E_SHNUM = 48;
    private static final int ET_REL = 1;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int ET_CORE = 4;
    private static final int EM_ARM = 40;
    private static final int PN_XNUM = 0xffff;

    // Elf32_Phdr
    private static final int PHDR_SIZE = 32;
    private static final int P_TYPE = 0;
    private static final int P_OFFSET = 4;
    private static final int P_VADDR = 8;
    private static final int P_PADDR = 12;
    private static final int P_FILESZ = 16;
    private static final int P_MEMSZ = 20;
    private static final int P_FLAGS = 24;
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;

    // Elf32_Shdr
    private static final int SHDR_SIZE = 40;
    private static final int SH_TYPE = 4;
    private static final int SH_OFFSET = 16;
    private static final int SH_SIZE = 20;
    private static final int SH_LINK = 24;
    private static final int SH_INFO = 28;
    private static final int SH_ENTSIZE = 36;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_STRTAB = 3;

    // Elf32_Sym
    private static final int SYM_SIZE = 16;
    private static final int ST_NAME = 0;
    private static final int ST_VALUE = 4;
    private static final int ST_SIZE = 8;
    private static final int ST_INFO = 12;
    private static final int ST_SHNDX = 14;
    private static final int STT_NOTYPE = 0;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int STB_LOCAL = 0;
    private static final int STB_GLOBAL = 1;
    private static final int STB_WEAK = 2;
    private static final int SHN_UNDEF = 0;

    private static final long ADDRESS_SPACE = 1L << 32;

    private final Path file;
    private final byte[] b;

    private ElfImageReader(Path file, byte[] bytes) {
        this.file = file;
        this.b = bytes;
    }

    /** Whether {@code bytes} start with the ELF magic {@code 7f 45 4c 46}. */
    public static boolean hasElfMagic(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Parses {@code bytes}, the contents of {@code file} (named in messages), which start with the
     * ELF magic.
     */
    public static LoadedImage read(Path file, byte[] bytes) throws ImageException {
        return new ElfImageReader(file, bytes).read();
    }

    private LoadedImage read() throws ImageException {
        checkIdentification();
        need(0, EHDR_SIZE, "the ELF header");
        checkType(u16(E_TYPE));

        long shoff = u32(E_SHOFF);
        long shnum = u16(E_SHNUM);
        long phnum = u16(E_PHNUM);
        if (shoff != 0 && (shnum == 0 || phnum == PN_XNUM)) {
            // Extended numbering: the real counts live in section header 0.
            checkEntrySize(E_SHENTSIZE, SHDR_SIZE, "section header");
            need(shoff, SHDR_SIZE, "section header 0 (extended numbering)");
            if (shnum == 0) {
                shnum = u32(shoff + SH_SIZE);
            }
            if (phnum == PN_XNUM) {
                phnum = u32(shoff + SH_INFO);
            }
        }

        long entry = u32(E_ENTRY);
        List<Segment> segments = new ArrayList<>();
        if (phnum == 0) {
            throw fail("no program headers; expected an executable with at least one PT_LOAD segment");
        }
        checkEntrySize(E_PHENTSIZE, PHDR_SIZE, "program header");
        long phoff = u32(E_PHOFF);
        need(phoff, phnum * PHDR_SIZE, "the program header table (" + phnum + " entries)");
        long translatedEntry = entry;
        boolean translated = false;
        for (long i = 0; i < phnum; i++) {
            long ph = phoff + i * PHDR_SIZE;
            long memsz = u32(ph + P_MEMSZ);
            if (u32(ph + P_TYPE) != PT_LOAD || memsz == 0) {
                continue;
            }
            int index = segments.size();
            long offset = u32(ph + P_OFFSET);
            long vaddr = u32(ph + P_VADDR);
            long paddr = u32(ph + P_PADDR);
            long filesz = u32(ph + P_FILESZ);
            if (filesz > memsz) {
                throw fail("segment " + index + " (program header " + i + ") has p_filesz " + Hex.num(filesz)
                        + " larger than p_memsz " + Hex.num(memsz) + "; expected p_filesz <= p_memsz");
            }
            if (paddr + memsz > ADDRESS_SPACE) {
                throw fail("segment " + index + " " + Hex.range(paddr, paddr + memsz - 1)
                        + " runs past the end of the 32-bit address space");
            }
            need(offset, filesz, "segment " + index);
            byte[] data = filesz == 0 ? new byte[0] : Arrays.copyOfRange(b, (int) offset, (int) (offset + filesz));
            segments.add(new Segment(paddr, data, memsz));
            if (!translated && vaddr != paddr && (u32(ph + P_FLAGS) & PF_X) != 0
                    && entry >= vaddr && entry < vaddr + filesz) {
                translatedEntry = entry - vaddr + paddr;
                translated = true;
            }
        }
        if (segments.isEmpty()) {
            throw fail("no loadable (PT_LOAD) segments; expected an executable with code to load");
        }
        checkOverlaps(segments);
        return new LoadedImage(file, "elf", translatedEntry, segments, symbols(shoff, shnum));
    }

    private void checkIdentification() throws ImageException {
        need(0, EI_NIDENT, "the ELF identification");
        int elfClass = b[EI_CLASS] & 0xff;
        int data = b[EI_DATA] & 0xff;
        if (elfClass != ELFCLASS32 && elfClass != ELFCLASS64) {
            throw fail("invalid ELF class EI_CLASS=" + elfClass + "; expected 1 (ELFCLASS32)");
        }
        if (data != ELFDATA2LSB && data != ELFDATA2MSB) {
            throw fail("invalid ELF data encoding EI_DATA=" + data + "; expected 1 (ELFDATA2LSB, little-endian)");
        }
        need(0, E_MACHINE + 2, "the ELF header");
        int machine = data == ELFDATA2LSB ? u16(E_MACHINE) : ((b[E_MACHINE] & 0xff) << 8) | (b[E_MACHINE + 1] & 0xff);
        String kind = (elfClass == ELFCLASS64 ? "64-bit " : "32-bit ")
                + (data == ELFDATA2MSB ? "big-endian " : "little-endian ");
        String expected = "expected a 32-bit little-endian ARM executable (EM_ARM, e_machine 40)";
        if (machine != EM_ARM) {
            throw fail("a " + kind + "ELF for " + machineName(machine) + "; " + expected);
        }
        if (elfClass == ELFCLASS64) {
            throw fail("a 64-bit ELF (ELFCLASS64); " + expected + " of class ELFCLASS32");
        }
        if (data == ELFDATA2MSB) {
            throw fail("a big-endian ARM ELF (ELFDATA2MSB); " + expected
                    + " (ELFDATA2LSB): the emulated cores run little-endian");
        }
    }

    private void checkType(int type) throws ImageException {
        String what = switch (type) {
            case ET_EXEC -> null;
            case ET_REL -> "a relocatable object (ET_REL), link it first";
            case ET_DYN -> "a shared object (ET_DYN)";
            case ET_CORE -> "a core dump (ET_CORE)";
            default -> "an ELF of unknown type e_type=" + Hex.num(type);
        };
        if (what != null) {
            throw fail(what + "; expected an executable (ET_EXEC)");
        }
    }

    private void checkEntrySize(int field, int expected, String what) throws ImageException {
        int size = u16(field);
        if (size != expected) {
            throw fail(what + " entry size is " + size + " bytes; expected " + expected + " for ELF32");
        }
    }

    private void checkOverlaps(List<Segment> segments) throws ImageException {
        Integer[] order = new Integer[segments.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> segments.get(i).address()));
        for (int k = 1; k < order.length; k++) {
            Segment prev = segments.get(order[k - 1]);
            Segment next = segments.get(order[k]);
            if (next.address() <= prev.address() + prev.memSize() - 1) {
                int a = Math.min(order[k - 1], order[k]);
                int c = Math.max(order[k - 1], order[k]);
                throw fail("segments " + a + " " + Hex.range(segments.get(a).address(), segments.get(a).last())
                        + " and " + c + " " + Hex.range(segments.get(c).address(), segments.get(c).last())
                        + " overlap; expected disjoint physical addresses");
            }
        }
    }

    /**
     * The symbol table of the ELF executable {@code bytes} (the contents of {@code file}): functions,
     * objects and global labels with their sizes, in symbol-table order; empty when stripped.
     */
    public static List<Symbol> readSymbols(Path file, byte[] bytes) throws ImageException {
        ElfImageReader r = new ElfImageReader(file, bytes);
        r.checkIdentification();
        r.need(0, EHDR_SIZE, "the ELF header");
        long shoff = r.u32(E_SHOFF);
        long shnum = r.u16(E_SHNUM);
        if (shoff != 0 && shnum == 0) {
            r.checkEntrySize(E_SHENTSIZE, SHDR_SIZE, "section header");
            r.need(shoff, SHDR_SIZE, "section header 0 (extended numbering)");
            shnum = r.u32(shoff + SH_SIZE);
        }
        return r.symbolEntries(shoff, shnum);
    }

    /** Functions, objects and global labels from the first {@code SHT_SYMTAB}; empty when stripped. */
    private Map<String, Long> symbols(long shoff, long shnum) throws ImageException {
        Map<String, Long> symbols = new LinkedHashMap<>();
        for (Symbol s : symbolEntries(shoff, shnum)) {
            symbols.put(s.name(), s.address());
        }
        return symbols;
    }

    /** The wanted entries of the first {@code SHT_SYMTAB}, one per name (a global wins over a local). */
    private List<Symbol> symbolEntries(long shoff, long shnum) throws ImageException {
        Map<String, Symbol> symbols = new LinkedHashMap<>();
        if (shoff == 0 || shnum == 0) {
            return List.of();
        }
        checkEntrySize(E_SHENTSIZE, SHDR_SIZE, "section header");
        need(shoff, shnum * SHDR_SIZE, "the section header table (" + shnum + " entries)");
        long symtab = -1;
        for (long i = 0; i < shnum && symtab < 0; i++) {
            if (u32(shoff + i * SHDR_SIZE + SH_TYPE) == SHT_SYMTAB) {
                symtab = i;
            }
        }
        if (symtab < 0) {
            return List.of();
        }
        long sh = shoff + symtab * SHDR_SIZE;
        long entsize = u32(sh + SH_ENTSIZE);
        if (entsize != SYM_SIZE && entsize != 0) {
            throw fail("symbol table (section " + symtab + ") entry size is " + entsize
                    + " bytes; expected " + SYM_SIZE);
        }
        long symoff = u32(sh + SH_OFFSET);
        long symsize = u32(sh + SH_SIZE);
        need(symoff, symsize, "the symbol table (section " + symtab + ")");
        long link = u32(sh + SH_LINK);
        if (link >= shnum || u32(shoff + link * SHDR_SIZE + SH_TYPE) != SHT_STRTAB) {
            throw fail("symbol table (section " + symtab + ") links to section " + link
                    + ", which is not a string table; expected sh_link to name its SHT_STRTAB");
        }
        long str = shoff + link * SHDR_SIZE;
        long stroff = u32(str + SH_OFFSET);
        long strsize = u32(str + SH_SIZE);
        need(stroff, strsize, "the string table (section " + link + ")");

        Map<String, Integer> bindings = new HashMap<>();
        for (long i = 1; i < symsize / SYM_SIZE; i++) {
            long sym = symoff + i * SYM_SIZE;
            int info = b[(int) (sym + ST_INFO)] & 0xff;
            int type = info & 0xf;
            int bind = info >> 4;
            long nameOffset = u32(sym + ST_NAME);
            boolean global = bind == STB_GLOBAL || bind == STB_WEAK;
            boolean wanted = type == STT_FUNC || type == STT_OBJECT || (type == STT_NOTYPE && global);
            if (!wanted || nameOffset == 0 || u16(sym + ST_SHNDX) == SHN_UNDEF) {
                continue;
            }
            String name = string(stroff, strsize, nameOffset, "symbol " + i);
            if (name.isEmpty() || name.startsWith("$")) {
                continue;
            }
            long value = u32(sym + ST_VALUE);
            if (type == STT_FUNC) {
                value &= ~1L; // the Thumb bit
            }
            Symbol.Kind kind = type == STT_FUNC ? Symbol.Kind.FUNCTION
                    : type == STT_OBJECT ? Symbol.Kind.OBJECT : Symbol.Kind.LABEL;
            Integer seen = bindings.get(name);
            if (seen == null || (seen == STB_LOCAL && global)) {
                symbols.put(name, new Symbol(name, value, u32(sym + ST_SIZE), kind));
                bindings.put(name, bind);
            }
        }
        return List.copyOf(symbols.values());
    }

    private String string(long tableOffset, long tableSize, long offset, String owner) throws ImageException {
        if (offset >= tableSize) {
            throw fail(owner + " has its name at string table offset " + Hex.num(offset)
                    + ", past the table's " + Hex.num(tableSize) + " bytes");
        }
        int start = (int) (tableOffset + offset);
        int end = start;
        int limit = (int) (tableOffset + tableSize);
        while (end < limit && b[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw fail(owner + "'s name runs off the end of the string table; expected a NUL-terminated name");
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 0 -> "no machine (EM_NONE)";
            case 2 -> "SPARC (EM_SPARC, e_machine 2)";
            case 3 -> "i386 (EM_386, e_machine 3)";
            case 8 -> "MIPS (EM_MIPS, e_machine 8)";
            case 20 -> "PowerPC (EM_PPC, e_machine 20)";
            case 21 -> "PowerPC64 (EM_PPC64, e_machine 21)";
            case 22 -> "S/390 (EM_S390, e_machine 22)";
            case 62 -> "x86-64 (EM_X86_64, e_machine 62)";
            case 183 -> "AArch64 (EM_AARCH64, e_machine 183)";
            case 243 -> "RISC-V (EM_RISCV, e_machine 243)";
            case 258 -> "LoongArch (EM_LOONGARCH, e_machine 258)";
            default -> "machine " + String.format("0x%02x", machine);
        };
    }

    /** Fails unless bytes {@code [start, start + length)} lie inside the file. */
    private void need(long start, long length, String what) throws ImageException {
        if (length > 0 && start + length > b.length) {
            throw fail("truncated: " + what + " needs bytes " + Hex.num(start) + "-" + Hex.num(start + length - 1)
                    + " but the file is " + Hex.num(b.length) + " bytes");
        }
    }

    private ImageException fail(String what) {
        return new ImageException(file + ": " + what);
    }

    private int u16(long offset) {
        int o = (int) offset;
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    private long u32(long offset) {
        int o = (int) offset;
        return (b[o] & 0xffL) | (b[o + 1] & 0xffL) << 8 | (b[o + 2] & 0xffL) << 16 | (b[o + 3] & 0xffL) << 24;
    }
}
