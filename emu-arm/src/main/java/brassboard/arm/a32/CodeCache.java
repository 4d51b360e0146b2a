package brassboard.arm.a32;

import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.Ram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Pre-decoded instructions, cached per 4 KiB physical page of RAM or ROM.
 *
 * <p>A page is decoded lazily, one instruction the first time it is fetched: the cache keeps the
 * word and its handler, so executing it again costs neither a bus read nor a decode. The cache
 * watches every page it holds ({@link Ram#watch}); the first write to such a page — by this core,
 * another core, a DMA engine or an image load — invalidates it, so self-modifying code sees its
 * new instructions. Pages of MMIO or unmapped space are never cached: the interpreter fetches
 * those through the bus (and takes its aborts) every time.
 */
final class CodeCache {
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int L2_BITS = 10;

    /** The decoded instructions of one page. */
    static final class Page {
        final int base;
        final int[] words = new int[1024];
        final A32Handler[] handlers = new A32Handler[1024];
        /** Translated blocks by first instruction ({@link A32Interpreter#NO_BLOCK}: cannot start one). */
        final CompiledBlock[] blocks = new CompiledBlock[1024];
        /** How often each instruction was stepped by the interpreter (the trigger for translation). */
        final short[] heat = new short[1024];
        final byte[] bytes;
        final int offset;
        /** Cleared when the page is written; the interpreter then looks the page up again. */
        boolean valid = true;

        Page(int base, byte[] bytes, int offset) {
            this.base = base;
            this.bytes = bytes;
            this.offset = offset;
        }
    }

    private final AddressSpace space;
    private final A32Handler[] byEncoding;
    private final A32Handler undefined;
    private final Page[][] pages = new Page[1 << (20 - L2_BITS)][];
    private final Map<Ram, Long> listening = new IdentityHashMap<>();

    CodeCache(AddressSpace space, A32Handler[] byEncoding, A32Handler undefined) {
        this.space = space;
        this.byEncoding = byEncoding;
        this.undefined = undefined;
    }

    /** The page holding {@code pc}, or {@code null} when that memory is not cacheable (MMIO, nothing). */
    Page page(int pc) {
        int n = pc >>> 12;
        Page[] l2 = pages[n >>> L2_BITS];
        Page p = l2 == null ? null : l2[n & ((1 << L2_BITS) - 1)];
        if (p != null && p.valid) {
            return p;
        }
        AddressSpace.Mapping m = space.mappingAt(pc & 0xFFFF_FFFFL);
        if (m == null || !brassboard.arm.core.ArmCore.isPlainMemory(m.region()) || space.faultPointsArmed()) {
            return null;
        }
        Ram ram = (Ram) m.region();
        long pageStart = (pc & 0xFFFF_F000L) - m.base();
        if (pageStart < 0 || pageStart + 0x1000 > ram.size()) {
            return null;
        }
        Long known = listening.putIfAbsent(ram, m.base());
        if (known == null) {
            ram.addCodeWriteListener(this::pageWritten);
        }
        p = new Page(pc & 0xFFFF_F000, ram.array(), (int) pageStart);
        ram.watch(pageStart);
        if (l2 == null) {
            l2 = new Page[1 << L2_BITS];
            pages[n >>> L2_BITS] = l2;
        }
        l2[n & ((1 << L2_BITS) - 1)] = p;
        return p;
    }

    /** The valid cached page holding {@code pc}, without creating one; {@code null} if none. */
    Page cachedPage(int pc) {
        int n = pc >>> 12;
        Page[] l2 = pages[n >>> L2_BITS];
        Page p = l2 == null ? null : l2[n & ((1 << L2_BITS) - 1)];
        return p != null && p.valid ? p : null;
    }

    /** Decodes instruction {@code i} of {@code p} and returns its handler. */
    A32Handler decode(Page p, int i) {
        int w = (int) WORD.get(p.bytes, p.offset + (i << 2));
        int e = A32Decoder.decode(w);
        A32Handler h = e == A32Decoder.UNDEFINED ? undefined : byEncoding[e];
        p.words[i] = w;
        p.handlers[i] = h;
        return h;
    }

    private void pageWritten(Ram ram, long offset) {
        Long base = listening.get(ram);
        if (base == null) {
            return;
        }
        int n = (int) ((base + offset) >>> 12);
        Page[] l2 = pages[n >>> L2_BITS];
        if (l2 != null) {
            Page p = l2[n & ((1 << L2_BITS) - 1)];
            if (p != null) {
                p.valid = false;
                l2[n & ((1 << L2_BITS) - 1)] = null;
            }
        }
    }
}
