package brassboard.arm.a32;

import brassboard.arm.core.ArmCore;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.CodeSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre-decoded instructions, cached per 4 KiB page of RAM, ROM, or any other {@link CodeSource} (a
 * flash bank while it is in read-array mode).
 *
 * <p>A cached page is the pair (virtual page, physical page): its words come from the physical
 * page, and its translated blocks hold the virtual addresses of their instructions as constants.
 * The interpreter finds pages by virtual address in a two-level table. That table holds only what
 * the current translation regime maps: when the core flushes its TLB (TLBIALL, TLBIASID, any
 * write to SCTLR, TTBR0/1, TTBCR, DACR, PRRR/NMRR, CONTEXTIDR) the table is emptied, TLB maintenance
 * by address (TLBIMVA) empties the entries translated from the block or page holding that address,
 * and the next fetch from each such virtual page translates it again and finds its (virtual,
 * physical) page, decoded instructions and blocks intact, in a map keyed by both. A change of mapping therefore never runs
 * stale code, and code that stays mapped where it was (a kernel across context switches) keeps its
 * translations. Each page also records the privilege level its translation was checked for; the
 * other level translates again (execute-never at PL1, PL1-only pages). With the MMU off the virtual
 * page is the physical page.
 *
 * <p>A page is decoded lazily, one instruction the first time it is fetched: the cache keeps the
 * word and its handler, so executing it again costs neither a bus read nor a decode. The cache
 * watches every page it holds ({@link CodeSource#watch}); the first write to such a page — by this core,
 * another core, a DMA engine or an image load — invalidates it, so self-modifying code sees its
 * new instructions. Pages of MMIO or unmapped space are never cached: the interpreter fetches
 * those through the bus (and takes its aborts) every time.
 */
public final class CodeCache {
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int L2_BITS = 10;

    /** The decoded instructions of one page. */
    public static final class Page {
        /** The page's virtual address. */
        public final int base;
        final int[] words = new int[1024];
        final A32Handler[] handlers = new A32Handler[1024];
        /** Translated blocks by first instruction ({@link A32Interpreter#NO_BLOCK}: cannot start one). */
        final CompiledBlock[] blocks = new CompiledBlock[1024];
        /** How often each instruction was stepped by the interpreter (the trigger for translation). */
        final short[] heat = new short[1024];
        /**
         * The instructions some A32 translation of the page holds (a bit set of their indices): the
         * interpreter stepping on from one of them into the next does not count as the next one's heat
         * (see {@link A32Interpreter}).
         */
        final long[] held = new long[16];
        final byte[] bytes;
        final int offset;
        /** Cleared when the page is written; the interpreter then looks the page up again. */
        public boolean valid = true;
        /**
         * The page's decoded T32 instructions, by halfword (allocated when Thumb code first runs here):
         * the handler, the word it is given and the instruction's kind (see the T32 interpreter).
         */
        public A32Handler[] thumbHandlers;
        public int[] thumbWords;
        public byte[] thumbKinds;
        /** Translated T32 blocks by first halfword (a marker: none can start there), and interpreter steps per halfword. */
        public CompiledBlock[] thumbBlocks;
        public short[] thumbHeat;
        /** The physical page number. */
        final long physicalPage;
        /** Whether the translation was last checked for PL1 (else PL0). */
        boolean privileged;
        /**
         * log2 of the size of the block or page the virtual table's entry for this page was translated
         * from ({@link ArmCore#lastTranslationBlockBits}): TLB maintenance by an address in that block drops it.
         */
        int blockBits = 32;
        /** The domain that translation was checked in ({@link ArmCore#lastTranslationDomain}; 16: none). */
        int domain = 16;

        /** Allocates the T32 arrays; returns {@link #thumbHandlers}. */
        public A32Handler[] allocateThumb() {
            thumbWords = new int[2048];
            thumbKinds = new byte[2048];
            thumbBlocks = new CompiledBlock[2048];
            thumbHeat = new short[2048];
            thumbHandlers = new A32Handler[2048];
            return thumbHandlers;
        }

        /** The halfword at byte offset {@code at} of the page (instructions are little-endian). */
        public int halfword(int at) {
            return ((bytes[offset + at] & 0xFF) | (bytes[offset + at + 1] & 0xFF) << 8);
        }

        Page(int base, byte[] bytes, int offset, long physicalPage) {
            this.base = base;
            this.bytes = bytes;
            this.offset = offset;
            this.physicalPage = physicalPage;
        }
    }

    private final ArmCore core;
    /** Every valid page, by (virtual page number << 32 | physical page number). */
    private final Map<Long, Page> byTranslation = new HashMap<>();
    /** Every valid page, by physical page number: a write there invalidates them all. */
    private final Map<Long, List<Page>> byPhysicalPage = new HashMap<>();
    private final AddressSpace space;
    private final HandlerTable<A32Handler> byEncoding;
    private final A32Handler undefined;
    private final Page[][] pages = new Page[1 << (20 - L2_BITS)][];
    /**
     * The virtual page numbers entered in {@link #pages} since it was last emptied (some perhaps
     * since cleared by a write), so that TLB maintenance by address need not search the whole table;
     * past {@link #MAX_ENTERED} of them it is emptied instead.
     */
    private final int[] entered = new int[MAX_ENTERED];
    private int enteredCount;
    private boolean enteredOverflow;
    private static final int MAX_ENTERED = 1024;
    private final Map<CodeSource, Long> listening = new IdentityHashMap<>();

    /** The core whose code this caches (translations probe its data fast path inline). */
    ArmCore core() {
        return core;
    }

    CodeCache(ArmCore core, AddressSpace space, HandlerTable<A32Handler> byEncoding, A32Handler undefined) {
        this.core = core;
        this.space = space;
        this.byEncoding = byEncoding;
        this.undefined = undefined;
    }

    /**
     * The page holding {@code pc}, or {@code null} when that memory is not cacheable (MMIO, nothing)
     * or the fetch would abort (the interpreter then fetches through the core, which takes the abort).
     */
    public Page page(int pc) {
        int n = pc >>> 12;
        Page[] l2 = pages[n >>> L2_BITS];
        Page p = l2 == null ? null : l2[n & ((1 << L2_BITS) - 1)];
        boolean privileged = core.isPrivileged();
        if (p != null && p.valid && (p.privileged == privileged || !core.mmuEnabled())) {
            return p;
        }
        long pa = core.fetchAddress(pc);
        if (pa < 0 || space.faultPointsArmed()) {
            return null;
        }
        int blockBits = core.lastTranslationBlockBits();
        int domain = core.lastTranslationDomain();
        long ppn = pa >>> 12;
        long key = (long) n << 32 | ppn;
        p = byTranslation.get(key);
        if (p == null) {
            AddressSpace.Mapping m = space.mappingAt(pa);
            if (m == null || !(m.region() instanceof CodeSource source)) {
                return null;
            }
            long pageStart = (pa & ~0xFFFL) - m.base();
            if (pageStart < 0 || pageStart + 0x1000 > m.region().size()) {
                return null; // a page cut by the region's end
            }
            byte[] array = source.codeArray(pageStart);
            if (array == null) {
                return null; // a flash bank in a command mode
            }
            Long known = listening.putIfAbsent(source, m.base());
            if (known == null) {
                source.addCodeWriteListener(this::pageWritten);
            }
            p = new Page(pc & 0xFFFF_F000, array, source.codeIndex(pageStart), ppn);
            source.watch(pageStart);
            byTranslation.put(key, p);
            byPhysicalPage.computeIfAbsent(ppn, k -> new ArrayList<>(1)).add(p);
        }
        p.privileged = privileged;
        p.blockBits = blockBits;
        p.domain = domain;
        core.translationCacheFills++;
        if (l2 == null) {
            l2 = new Page[1 << L2_BITS];
            pages[n >>> L2_BITS] = l2;
        }
        if (l2[n & ((1 << L2_BITS) - 1)] == null) {
            if (enteredCount < MAX_ENTERED) {
                entered[enteredCount++] = n;
            } else {
                enteredOverflow = true;
            }
        }
        l2[n & ((1 << L2_BITS) - 1)] = p;
        return p;
    }

    /** Forgets every virtual-to-physical lookup (the TLB was flushed); the pages themselves stay cached. */
    void flushVirtual() {
        if (enteredOverflow) {
            Arrays.fill(pages, null);
        } else {
            for (int k = 0; k < enteredCount; k++) {
                int n = entered[k];
                pages[n >>> L2_BITS][n & ((1 << L2_BITS) - 1)] = null;
            }
        }
        enteredCount = 0;
        enteredOverflow = false;
    }

    /**
     * Forgets the virtual-to-physical lookups translated from the block or page holding {@code va}
     * (TLBIMVA and its variants); the others stand, and the pages themselves stay cached.
     */
    void invalidateVirtual(int va) {
        invalidateVirtual(p -> ((p.base ^ va) & 0xFFFF_FFFFL) >>> p.blockBits == 0);
    }

    /** Forgets the virtual-to-physical lookups checked in one of the domains of {@code mask} (a DACR write changed them). */
    void invalidateDomains(int mask) {
        invalidateVirtual(p -> (mask >>> p.domain & 1) != 0);
    }

    /** Forgets the lookups whose page {@code hit} accepts; past {@link #MAX_ENTERED} entries, every lookup. */
    private void invalidateVirtual(java.util.function.Predicate<Page> hit) {
        if (enteredOverflow) {
            flushVirtual();
            return;
        }
        int kept = 0;
        for (int k = 0; k < enteredCount; k++) {
            int n = entered[k];
            Page[] l2 = pages[n >>> L2_BITS];
            Page p = l2[n & ((1 << L2_BITS) - 1)];
            if (p == null) {
                continue; // cleared by a write since
            }
            if (hit.test(p)) {
                l2[n & ((1 << L2_BITS) - 1)] = null;
            } else {
                entered[kept++] = n;
            }
        }
        enteredCount = kept;
    }

    /** Every valid page of virtual address {@code pc}, under any translation (for dropping blocks around a PC hook). */
    List<Page> pagesAt(int pc) {
        List<Page> found = new ArrayList<>();
        for (Page p : byTranslation.values()) {
            if (p.base == (pc & 0xFFFF_F000)) {
                found.add(p);
            }
        }
        return found;
    }

    /** Decodes instruction {@code i} of {@code p} and returns its handler. */
    A32Handler decode(Page p, int i) {
        int w = (int) WORD.get(p.bytes, p.offset + (i << 2));
        int e = A32Decoder.decode(w);
        A32Handler h = e == A32Decoder.UNDEFINED ? undefined : byEncoding.get(e);
        p.words[i] = w;
        p.handlers[i] = h;
        return h;
    }

    private void pageWritten(CodeSource source, long offset) {
        Long base = listening.get(source);
        if (base == null) {
            return;
        }
        List<Page> written = byPhysicalPage.remove((base + offset) >>> 12);
        if (written == null) {
            return;
        }
        for (Page p : written) {
            p.valid = false;
            byTranslation.remove((long) (p.base >>> 12) << 32 | p.physicalPage);
            int n = p.base >>> 12;
            Page[] l2 = pages[n >>> L2_BITS];
            if (l2 != null && l2[n & ((1 << L2_BITS) - 1)] == p) {
                l2[n & ((1 << L2_BITS) - 1)] = null;
            }
        }
    }
}
