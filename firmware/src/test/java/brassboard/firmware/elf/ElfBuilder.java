package brassboard.firmware.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ELF32 files for tests: an ELF header, program headers, segment bytes and, unless
 * stripped, a symbol table with its string table and a section-name table. Every header field a
 * test may want to break can be set.
 */
public final class ElfBuilder {
    public static final int PT_LOAD = 1;
    public static final int PT_NOTE = 4;
    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;

    private record Ph(int type, long vaddr, long paddr, int flags, byte[] data, long memsz) {
    }

    private record Sym(String name, long value, int type, int bind, int shndx) {
    }

    private int elfClass = 1;
    private int dataEncoding = 1;
    private int type = 2;
    private int machine = 40;
    private long entry = 0x40000000L;
    private boolean stripped;
    private final List<Ph> phs = new ArrayList<>();
    private final List<Sym> syms = new ArrayList<>();

    /** An ARM executable with one R-X segment of 16 bytes at 0x40000000, entered at its start. */
    public static ElfBuilder minimal() {
        return new ElfBuilder().load(0x40000000L, PF_R | PF_X, bytes(16, 0x10), 16);
    }

    public static byte[] bytes(int n, int first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    public ElfBuilder elfClass(int c) {
        elfClass = c;
        return this;
    }

    public ElfBuilder bigEndian() {
        dataEncoding = 2;
        return this;
    }

    public ElfBuilder type(int t) {
        type = t;
        return this;
    }

    public ElfBuilder machine(int m) {
        machine = m;
        return this;
    }

    public ElfBuilder entry(long e) {
        entry = e;
        return this;
    }

    public ElfBuilder stripped() {
        stripped = true;
        return this;
    }

    public ElfBuilder noSegments() {
        phs.clear();
        return this;
    }

    /** A PT_LOAD segment whose virtual and physical addresses are equal. */
    public ElfBuilder load(long address, int flags, byte[] data, long memsz) {
        return segment(PT_LOAD, address, address, flags, data, memsz);
    }

    public ElfBuilder segment(int phType, long vaddr, long paddr, int flags, byte[] data, long memsz) {
        phs.add(new Ph(phType, vaddr, paddr, flags, data, memsz));
        return this;
    }

    /** A symbol defined in section 1 (any defined section will do for the loader). */
    public ElfBuilder symbol(String name, long value, int symType, int bind) {
        return symbol(name, value, symType, bind, 1);
    }

    public ElfBuilder symbol(String name, long value, int symType, int bind, int shndx) {
        syms.add(new Sym(name, value, symType, bind, shndx));
        return this;
    }

    public byte[] build() {
        ByteOrder order = dataEncoding == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int phoff = 52;
        int cursor = phoff + phs.size() * 32;
        int[] offsets = new int[phs.size()];
        for (int i = 0; i < phs.size(); i++) {
            cursor = align(cursor, 4);
            offsets[i] = cursor;
            cursor += phs.get(i).data().length;
        }

        byte[] strtab = new byte[0];
        byte[] symtab = new byte[0];
        byte[] shstrtab = "\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int symOff = 0;
        int strOff = 0;
        int shstrOff = 0;
        int shoff = 0;
        if (!stripped) {
            ByteArrayOutputStream names = new ByteArrayOutputStream();
            names.write(0);
            ByteBuffer st = ByteBuffer.allocate((syms.size() + 1) * 16).order(order);
            st.position(16); // symbol 0 is all zeros
            for (Sym s : syms) {
                st.putInt(names.size());
                names.writeBytes(s.name().getBytes(StandardCharsets.UTF_8));
                names.write(0);
                st.putInt((int) s.value()).putInt(0).put((byte) (s.bind() << 4 | s.type())).put((byte) 0)
                        .putShort((short) s.shndx());
            }
            symtab = st.array();
            strtab = names.toByteArray();
            symOff = align(cursor, 4);
            strOff = symOff + symtab.length;
            shstrOff = strOff + strtab.length;
            shoff = align(shstrOff + shstrtab.length, 4);
            cursor = shoff + 4 * 40;
        }

        ByteBuffer f = ByteBuffer.allocate(cursor).order(order);
        f.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) dataEncoding, 1});
        f.position(16);
        f.putShort((short) type).putShort((short) machine).putInt(1).putInt((int) entry)
                .putInt(phs.isEmpty() ? 0 : phoff).putInt(shoff).putInt(0x05000200)
                .putShort((short) 52).putShort((short) 32).putShort((short) phs.size())
                .putShort((short) 40).putShort((short) (stripped ? 0 : 4)).putShort((short) (stripped ? 0 : 3));
        for (int i = 0; i < phs.size(); i++) {
            Ph p = phs.get(i);
            f.position(phoff + i * 32);
            f.putInt(p.type()).putInt(offsets[i]).putInt((int) p.vaddr()).putInt((int) p.paddr())
                    .putInt(p.data().length).putInt((int) p.memsz()).putInt(p.flags()).putInt(4);
            f.position(offsets[i]);
            f.put(p.data());
        }
        if (!stripped) {
            f.position(symOff);
            f.put(symtab).put(strtab).put(shstrtab);
            f.position(shoff + 40); // section 0 stays null
            section(f, 1, 2, symOff, symtab.length, 2, 16);   // .symtab -> .strtab
            section(f, 9, 3, strOff, strtab.length, 0, 0);    // .strtab
            section(f, 17, 3, shstrOff, shstrtab.length, 0, 0); // .shstrtab
        }
        return f.array();
    }

    private static void section(ByteBuffer f, int name, int shType, int offset, int size, int link, int entsize) {
        f.putInt(name).putInt(shType).putInt(0).putInt(0).putInt(offset).putInt(size).putInt(link).putInt(0)
                .putInt(4).putInt(entsize);
    }

    private static int align(int at, int a) {
        return (at + a - 1) / a * a;
    }
}
