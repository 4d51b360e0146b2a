package brassboard.boards.trace;

import brassboard.arm.api.ArmCpu;
import brassboard.bus.api.Masters;
import brassboard.bus.api.MemoryBus;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Finds functions of Linux kernel modules as the kernel loads them, so that they can be traced as
 * spans although {@code System.map} knows only the kernel's own symbols.
 *
 * <p>The ARM kernel relocates a module with {@code apply_relocate(sechdrs, strtab, symindex,
 * relindex, module)} ({@code arch/arm/kernel/module.c}), once per relocation section. When it is
 * called, the module's section headers ({@code Elf32_Shdr[]}, r0) and string table (r1) are in
 * memory as the ELF specification lays them out, the symbol table is section {@code symindex}
 * (r2), and every defined symbol's {@code st_value} is already its final address (the loader's
 * {@code simplify_symbols} runs before the relocations). Reading them as a debugger does (through
 * the CPU's translation tables, as {@link Masters#DEBUG}: no fault rule sees it, nothing is traced,
 * the run is the same with or without this) gives the address of each wanted function, local ones
 * too ({@code t} symbols: Debian's modules keep their symbol tables).
 */
final class LinuxModuleSymbols {
    /** The kernel function whose entry is hooked. */
    static final String LOADER = "apply_relocate";

    private static final int SHDR_SIZE = 40;
    private static final int SH_ADDR = 12;
    private static final int SH_SIZE = 20;
    private static final int SYM_SIZE = 16;
    private static final int STT_FUNC = 2;
    private static final int SHN_UNDEF = 0;
    /** A name longer than this is not one of ours. */
    private static final int MAX_NAME = 128;

    private final Set<String> wanted;
    private final MemoryBus bus;
    /** The (section headers, symbol table) last read: the calls for a module's other relocation sections are skipped. */
    private long lastScanned = -1;

    LinuxModuleSymbols(Set<String> wanted, MemoryBus bus) {
        this.wanted = Set.copyOf(wanted);
        this.bus = bus;
    }

    /**
     * At the entry of {@link #LOADER} on {@code cpu}: reports each wanted function the module being
     * relocated defines, with its address, to {@code found}. A table that cannot be read (not
     * mapped) is left alone: its functions are not traced.
     */
    void scan(ArmCpu cpu, BiConsumer<String, Integer> found) {
        Reader r = new Reader(cpu, bus);
        int sechdrs = cpu.reg(0);
        int strtab = cpu.reg(1);
        int symindex = cpu.reg(2);
        long symtab = r.word(sechdrs + symindex * SHDR_SIZE + SH_ADDR);
        long size = r.word(sechdrs + symindex * SHDR_SIZE + SH_SIZE);
        if (symtab < 0 || size < 0) {
            return;
        }
        long key = (sechdrs & 0xFFFF_FFFFL) << 32 | symtab;
        if (key == lastScanned) {
            return;
        }
        lastScanned = key;
        Set<String> seen = new HashSet<>();
        for (long i = SYM_SIZE; i + SYM_SIZE <= size; i += SYM_SIZE) { // entry 0 is the null symbol
            int sym = (int) (symtab + i);
            long infoOtherShndx = r.word(sym + 12); // st_info, st_other, st_shndx (16 bits)
            if (infoOtherShndx < 0) {
                return;
            }
            if ((infoOtherShndx & 0xF) != STT_FUNC || (infoOtherShndx >>> 16) == SHN_UNDEF) {
                continue;
            }
            long nameOffset = r.word(sym);
            long value = r.word(sym + 4);
            if (nameOffset < 0 || value < 0) {
                return;
            }
            String name = r.string(strtab + (int) nameOffset);
            if (name != null && wanted.contains(name) && seen.add(name)) {
                found.accept(name, (int) value & ~1);
            }
        }
    }

    /** Reads guest virtual memory as a privileged debugger, one translation per page. */
    private static final class Reader {
        private final ArmCpu cpu;
        private final MemoryBus bus;
        private int page = 1; // no page: page numbers are multiples of 0x1000
        private long frame = -1;

        Reader(ArmCpu cpu, MemoryBus bus) {
            this.cpu = cpu;
            this.bus = bus;
        }

        /** The byte at {@code va}, or -1 when it cannot be read. */
        long byteAt(int va) {
            int p = va & ~0xFFF;
            if (p != page) {
                page = p;
                frame = cpu.debugTranslate(p);
            }
            if (frame < 0) {
                return -1;
            }
            long v = bus.read(frame + (va & 0xFFF), 1, Masters.DEBUG);
            return v == MemoryBus.BUS_ERROR ? -1 : v;
        }

        /** The little-endian word at {@code va} (bytewise: it may straddle pages), or -1. */
        long word(int va) {
            long w = 0;
            for (int i = 3; i >= 0; i--) {
                long b = byteAt(va + i);
                if (b < 0) {
                    return -1;
                }
                w = w << 8 | b;
            }
            return w;
        }

        /** The NUL-terminated ASCII string at {@code va}, or {@code null} when unreadable or too long. */
        String string(int va) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < MAX_NAME; i++) {
                long b = byteAt(va + i);
                if (b <= 0) {
                    return b == 0 ? s.toString() : null;
                }
                s.append((char) b);
            }
            return null;
        }
    }
}
