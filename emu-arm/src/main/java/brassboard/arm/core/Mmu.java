package brassboard.arm.core;

import brassboard.bus.api.MemoryBus;
import java.util.Arrays;

/**
 * Stage 1 address translation of the PL1&0 regime (ARM ARM B3 "Virtual Memory System
 * Architecture") for a core without the Security and Virtualization Extensions: the
 * short-descriptor format (B3.5: sections, supersections, 64 KB and 4 KB pages, domains, AP[2:0],
 * XN / PXN, TEX remap, the simplified access model with SCTLR.AFE) and the long-descriptor (LPAE)
 * format (B3.6: TTBCR.EAE, T0SZ / T1SZ, three levels, 40-bit output addresses, MAIR0/1, AP[2:1],
 * AF, XN / PXN and the hierarchical table attributes). The order of the checks, and the fault each
 * one reports, follow QEMU ({@code target/arm/ptw.c}, {@code get_phys_addr_v6} and
 * {@code get_phys_addr_lpae}).
 *
 * <p>Table walks read descriptors through the core's bus port with the core's master id, so a fault
 * plan sees them and a bus error ends the walk in a synchronous external abort on the walk.
 *
 * <p>Successful walks fill a software TLB: 256 entries, direct-mapped by virtual page number, each
 * a 4 KiB virtual page with its physical page, its permissions for each access type at PL1 and PL0,
 * whether it is Device / Strongly-ordered memory, and the size of the block or page it came from
 * (so that an invalidation by address removes every 4 KiB piece of a section). Entries are not tagged
 * with an ASID: every change of the translation regime (SCTLR, TTBR0/1, TTBCR, DACR, PRRR/NMRR = MAIR0/1,
 * CONTEXTIDR) flushes the whole TLB, as QEMU does. An entry stays in use until TLB maintenance removes
 * it (or another page evicts it), so a changed descriptor is not seen before the TLB maintenance the
 * architecture requires; a lookup that the cached permissions refuse walks the tables again, which
 * reports the fault exactly as a first walk would.
 */
final class Mmu {
    /** What {@link #translate} returns when the access faults ({@link #faultStatus} says why). */
    static final long FAULT = -1L;

    static final int READ = 0;
    static final int WRITE = 1;
    static final int FETCH = 2;

    // Permission bits of a TLB entry: access type at PL1 (bits 2:0) and PL0 (bits 5:3).
    private static final int DEVICE = 1 << 6;

    private static final int FAULT_TRANSLATION = 0;
    private static final int FAULT_ACCESS_FLAG = 1;
    private static final int FAULT_DOMAIN = 2;
    private static final int FAULT_PERMISSION = 3;
    private static final int FAULT_WALK_EXTERNAL = 4;
    private static final int FAULT_ALIGNMENT = 5;

    private static final int TTBCR_EAE = 1 << 31;
    private static final int SCTLR_TRE = 1 << 28;
    private static final int SCTLR_AFE = 1 << 29;
    private static final long PA_MASK_40 = (1L << 40) - 1;

    private static final int TLB_BITS = 8;
    private static final int TLB_SIZE = 1 << TLB_BITS;

    private final ArmCore core;
    private final Cp15 cp15;
    private final MemoryBus bus;
    private final int master;

    /** Virtual page number of each entry, or -1. */
    private final int[] tag = new int[TLB_SIZE];
    private final long[] physicalPage = new long[TLB_SIZE];
    private final int[] permissions = new int[TLB_SIZE];
    /** log2 of the size of the block or page the entry is a piece of. */
    private final byte[] blockBits = new byte[TLB_SIZE];
    /**
     * The domain whose DACR field the entry's permissions were computed with (short descriptors), or
     * {@link #NO_DOMAIN} (long descriptors: no domains). A DACR write drops the entries of the domains
     * whose field it changed, and only those.
     */
    private final byte[] domains = new byte[TLB_SIZE];
    /** The domain of a translation that has none (long-descriptor format, the MMU off). */
    static final int NO_DOMAIN = 16;

    /** The FSR value (DFSR / IFSR without WnR, in the current format) of the last fault. */
    int faultStatus;
    /**
     * log2 of the size of the block or page the last successful {@link #translate} came from: a cache
     * of its result (the data fast path, the code cache's lookups) must drop it when TLB maintenance
     * by address hits anywhere in that block, as the TLB entry itself is dropped.
     */
    int lastBlockBits;
    /** The domain of the last successful {@link #translate} ({@link #NO_DOMAIN}: none), for the same caches. */
    int lastDomain = NO_DOMAIN;

    // The last successful walk (also what ATS operations report).
    private int walkPermissions;
    private int walkBlockBits;
    private int walkAttributes;
    private int walkShareability;
    private int walkDomain;
    /** Set during {@link #debugTranslate}: descriptors are read as the debugger (no fault rules, no abort reported). */
    private boolean debugWalk;

    Mmu(ArmCore core, Cp15 cp15, MemoryBus bus, int master) {
        this.core = core;
        this.cp15 = cp15;
        this.bus = bus;
        this.master = master;
        Arrays.fill(tag, -1);
    }

    private static int permissionBit(int access, boolean privileged) {
        return 1 << (privileged ? access : access + 3);
    }

    /** TLBIALL and every change of the translation regime. */
    void flushAll() {
        Arrays.fill(tag, -1);
    }

    /** A DACR write changed the fields of the domains in {@code mask} (bit d: domain d): their entries go. */
    void flushDomains(int mask) {
        for (int i = 0; i < TLB_SIZE; i++) {
            if (tag[i] != -1 && (mask >>> domains[i] & 1) != 0) {
                tag[i] = -1;
            }
        }
    }

    /** TLBIMVA / TLBIMVAA: every entry translating {@code va}, whatever the size of its block. */
    void flushAddress(int va) {
        for (int i = 0; i < TLB_SIZE; i++) {
            int t = tag[i];
            if (t != -1 && ((t << 12) ^ va) >>> blockBits[i] == 0) {
                tag[i] = -1;
            }
        }
    }

    /**
     * The physical address of {@code va} for an access of type {@code access}, or {@link #FAULT}
     * (with {@link #faultStatus} set; the caller takes the abort). {@code unaligned}: the access is
     * not aligned to its size, which Device and Strongly-ordered memory refuse (alignment fault).
     */
    long translate(int va, int access, boolean privileged, boolean unaligned) {
        int vpn = va >>> 12;
        int i = vpn & (TLB_SIZE - 1);
        if (tag[i] == vpn) {
            int p = permissions[i];
            if ((p & permissionBit(access, privileged)) != 0 && !(unaligned && (p & DEVICE) != 0)) {
                lastBlockBits = blockBits[i];
                lastDomain = domains[i];
                return physicalPage[i] | (va & 0xFFF);
            }
        }
        long pa = walk(va, access, privileged, unaligned);
        if (pa != FAULT) {
            tag[i] = vpn;
            physicalPage[i] = pa & ~0xFFFL;
            permissions[i] = walkPermissions;
            blockBits[i] = (byte) walkBlockBits;
            domains[i] = (byte) walkDomain;
            lastBlockBits = walkBlockBits;
            lastDomain = walkDomain;
        }
        return pa;
    }

    /** Like {@link #translate} but from the TLB only, for a look that must not walk (the exclusive monitor); -1 on a miss. */
    long peek(int va, int access, boolean privileged) {
        int vpn = va >>> 12;
        int i = vpn & (TLB_SIZE - 1);
        if (tag[i] == vpn && (permissions[i] & permissionBit(access, privileged)) != 0) {
            return physicalPage[i] | (va & 0xFFF);
        }
        return FAULT;
    }

    /**
     * ATS1C{P,U}{R,W}: walks for {@code va} without touching the TLB or taking an exception and
     * returns the PAR value, in the 64-bit (LPAE) format when TTBCR.EAE is set.
     */
    long addressTranslate(int va, boolean write, boolean privileged) {
        long pa = walk(va, write ? WRITE : READ, privileged, false);
        boolean longFormat = (cp15.ttbcr & TTBCR_EAE) != 0;
        if (longFormat) {
            if (pa == FAULT) {
                return 1L << 11 | (faultStatus & 0x3F) << 1 | 1;
            }
            int sh = (walkPermissions & DEVICE) != 0 || (walkAttributes & 0xF0) == 0x40 ? 0b10 : walkShareability;
            return (long) (walkAttributes & 0xFF) << 56 | (pa & PA_MASK_40 & ~0xFFFL) | 1L << 11 | 1L << 9 | sh << 7;
        }
        if (pa == FAULT) {
            return ((faultStatus & (1 << 10)) >> 5 | (faultStatus & (1 << 12)) >> 6 | (faultStatus & 0xF) << 1 | 1)
                    & 0xFFFF_FFFFL;
        }
        if (walkBlockBits == 24) {
            return (pa & 0xFF00_0000L) | 1 << 9 | 1 << 1;
        }
        return (pa & 0xFFFF_F000L) | 1 << 9;
    }

    /**
     * A debugger's look at {@code va}: the physical address a privileged read would use, from a
     * table walk that leaves the TLB, the fault status and the last walk's attributes as they were,
     * reads descriptors as {@link brassboard.bus.api.Masters#DEBUG} (no fault rule sees it) and
     * reports nothing; {@link #FAULT} when the read would fault.
     */
    long debugTranslate(int va) {
        int fs = faultStatus;
        int perms = walkPermissions;
        int bits = walkBlockBits;
        int attributes = walkAttributes;
        int shareability = walkShareability;
        int domain = walkDomain;
        debugWalk = true;
        try {
            return walk(va, READ, true, false);
        } finally {
            debugWalk = false;
            faultStatus = fs;
            walkPermissions = perms;
            walkBlockBits = bits;
            walkAttributes = attributes;
            walkShareability = shareability;
            walkDomain = domain;
        }
    }

    // ---------------------------------------------------------------- walks

    private long walk(int va, int access, boolean privileged, boolean unaligned) {
        if ((cp15.ttbcr & TTBCR_EAE) != 0) {
            return walkLong(va, access, privileged, unaligned);
        }
        return walkShort(va, access, privileged, unaligned);
    }

    private long fault(int type, int level, int domain) {
        if ((cp15.ttbcr & TTBCR_EAE) != 0) {
            int status;
            switch (type) {
                case FAULT_TRANSLATION: status = 0b000100 | level; break;
                case FAULT_ACCESS_FLAG: status = 0b001000 | level; break;
                case FAULT_PERMISSION: status = 0b001100 | level; break;
                case FAULT_WALK_EXTERNAL: status = 0b010100 | level; break;
                case FAULT_ALIGNMENT: status = 0b100001; break;
                default: throw new IllegalStateException("no long-descriptor status for fault type " + type);
            }
            faultStatus = 1 << 9 | status;
        } else {
            int fs;
            switch (type) {
                case FAULT_TRANSLATION: fs = level == 1 ? 0b00101 : 0b00111; break;
                case FAULT_ACCESS_FLAG: fs = level == 1 ? 0b00011 : 0b00110; break;
                case FAULT_DOMAIN: fs = level == 1 ? 0b01001 : 0b01011; break;
                case FAULT_PERMISSION: fs = level == 1 ? 0b01101 : 0b01111; break;
                case FAULT_WALK_EXTERNAL: fs = level == 1 ? 0b01100 : 0b01110; break;
                default: fs = 0b00001; break;
            }
            faultStatus = fs | domain << 4;
        }
        return FAULT;
    }

    /** A 32-bit descriptor, or -1 after a bus error. */
    private long readDescriptor32(long address) {
        long v = bus.read(address, 4, debugWalk ? brassboard.bus.api.Masters.DEBUG : master);
        if (v == MemoryBus.BUS_ERROR) {
            if (!debugWalk) {
                core.observer.onBusError(core.pc, address, false);
            }
            return -1;
        }
        if ((cp15.sctlr & Cp15.SCTLR_EE) != 0) {
            v = Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
        }
        return v;
    }

    /** B3.5: the short-descriptor walk, in the order of QEMU's get_phys_addr_v6. */
    private long walkShort(int va, int access, boolean privileged, boolean unaligned) {
        int ttbcr = cp15.ttbcr;
        int n = ttbcr & 7;
        long table;
        if (n != 0 && (va >>> (32 - n)) != 0) {
            if ((ttbcr & (1 << 5)) != 0) { // PD1
                return fault(FAULT_TRANSLATION, 1, 0);
            }
            table = cp15.ttbr1 & 0xFFFF_C000L;
        } else {
            if ((ttbcr & (1 << 4)) != 0) { // PD0
                return fault(FAULT_TRANSLATION, 1, 0);
            }
            table = cp15.ttbr0 & 0xFFFF_FFFFL & ~(0x3FFFL >>> n);
        }
        table |= (va >>> 18) & 0x3FFC;
        long d1 = readDescriptor32(table);
        if (d1 < 0) {
            return fault(FAULT_WALK_EXTERNAL, 1, 0);
        }
        int desc = (int) d1;
        int type = desc & 3;
        if (type == 0) {
            return fault(FAULT_TRANSLATION, 1, 0);
        }
        boolean supersection = type != 1 && (desc & (1 << 18)) != 0;
        int domain = supersection ? 0 : (desc >>> 5) & 0xF;
        int level = type == 1 ? 2 : 1;
        int domainAccess = (cp15.dacr >>> (2 * domain)) & 3;
        if (domainAccess == 0 || domainAccess == 2) {
            return fault(FAULT_DOMAIN, level, domain);
        }
        long pa;
        int ap;
        boolean xn;
        boolean pxn;
        int tex;
        int blockBits;
        if (type != 1) {
            if (supersection) {
                pa = (desc & 0xFF00_0000L) | (va & 0x00FF_FFFF)
                        | (long) ((desc >>> 20) & 0xF) << 32 | (long) ((desc >>> 5) & 0xF) << 36;
                blockBits = 24;
            } else {
                pa = (desc & 0xFFF0_0000L) | (va & 0x000F_FFFF);
                blockBits = 20;
            }
            ap = ((desc >>> 10) & 3) | ((desc >>> 13) & 4);
            xn = (desc & (1 << 4)) != 0;
            pxn = (desc & 1) != 0;
            tex = (desc >>> 12) & 7;
        } else {
            pxn = (desc & (1 << 2)) != 0;
            long d2 = readDescriptor32((desc & 0xFFFF_FC00L) | ((va >>> 10) & 0x3FC));
            if (d2 < 0) {
                return fault(FAULT_WALK_EXTERNAL, 2, domain);
            }
            desc = (int) d2;
            ap = ((desc >>> 4) & 3) | ((desc >>> 7) & 4);
            switch (desc & 3) {
                case 0:
                    return fault(FAULT_TRANSLATION, 2, domain);
                case 1: // 64 KB large page
                    pa = (desc & 0xFFFF_0000L) | (va & 0xFFFF);
                    xn = (desc & (1 << 15)) != 0;
                    tex = (desc >>> 12) & 7;
                    blockBits = 16;
                    break;
                default: // 4 KB small page
                    pa = (desc & 0xFFFF_F000L) | (va & 0xFFF);
                    xn = (desc & 1) != 0;
                    tex = (desc >>> 6) & 7;
                    blockBits = 12;
                    break;
            }
        }
        boolean device = shortDescriptorDevice(tex, (desc >>> 3) & 1, (desc >>> 2) & 1);
        int perms;
        if (domainAccess == 3) { // Manager: no permission checks
            perms = 0b111_111;
        } else {
            if (access == FETCH && (xn || (pxn && privileged))) {
                return fault(FAULT_PERMISSION, level, domain);
            }
            int pl1;
            int pl0;
            if ((cp15.sctlr & SCTLR_AFE) != 0) {
                if ((ap & 1) == 0) {
                    return fault(FAULT_ACCESS_FLAG, level, domain);
                }
                pl1 = simpleAccess(ap >> 1, false);
                pl0 = simpleAccess(ap >> 1, true);
            } else {
                pl1 = accessPermissions(ap, false);
                pl0 = accessPermissions(ap, true);
            }
            if (pl1 != 0 && !xn && !pxn) {
                pl1 |= 1 << FETCH;
            }
            if (pl0 != 0 && !xn) {
                pl0 |= 1 << FETCH;
            }
            perms = pl1 | pl0 << 3;
        }
        if (unaligned && device) {
            return fault(FAULT_ALIGNMENT, level, domain);
        }
        if ((perms & permissionBit(access, privileged)) == 0) {
            return fault(FAULT_PERMISSION, level, domain);
        }
        walkPermissions = perms | (device ? DEVICE : 0);
        walkBlockBits = blockBits;
        walkAttributes = 0;
        walkShareability = 0;
        walkDomain = domain;
        return pa;
    }

    /** Whether TEX[2:0], C, B name Device or Strongly-ordered memory (B3.8.2; with SCTLR.TRE, through PRRR). */
    private boolean shortDescriptorDevice(int tex, int c, int b) {
        if ((cp15.sctlr & SCTLR_TRE) != 0) {
            int type = (cp15.prrr >>> (2 * ((tex & 1) << 2 | c << 1 | b))) & 3;
            return type < 2;
        }
        return (tex == 0 && c == 0) || (tex == 2 && c == 0 && b == 0);
    }

    /** AP[2:0] to read (bit 0) / write (bit 1) permission (B3.7.1; reserved encodings give no access). */
    private static int accessPermissions(int ap, boolean user) {
        switch (ap) {
            case 1: return user ? 0 : 3;
            case 2: return user ? 1 : 3;
            case 3: return 3;
            case 5: return user ? 0 : 1;
            case 6:
            case 7: return 1;
            default: return 0;
        }
    }

    /** AP[2:1] of the simplified model and of the long-descriptor format to read / write permission. */
    private static int simpleAccess(int ap, boolean user) {
        switch (ap & 3) {
            case 0: return user ? 0 : 3;
            case 1: return 3;
            case 2: return user ? 0 : 1;
            default: return 1;
        }
    }

    /** B3.6: the long-descriptor walk, in the order of QEMU's get_phys_addr_lpae (AArch32 stage 1). */
    private long walkLong(int va, int access, boolean privileged, boolean unaligned) {
        int ttbcr = cp15.ttbcr;
        int t0sz = ttbcr & 7;
        int t1sz = (ttbcr >>> 16) & 7;
        long uva = va & 0xFFFF_FFFFL;
        boolean select;
        if (t1sz == 0) {
            select = uva > (0xFFFF_FFFFL >>> t0sz);
        } else {
            select = uva >= (~(0xFFFF_FFFFL >>> t1sz) & 0xFFFF_FFFFL);
        }
        int tsz = select ? t1sz : t0sz;
        boolean epd = (ttbcr & (select ? 1 << 23 : 1 << 7)) != 0;
        int inputSize = 32 - tsz;
        if (inputSize < 32) {
            long top = uva >>> inputSize;
            if (top != (select ? (1L << (32 - inputSize)) - 1 : 0)) {
                return fault(FAULT_TRANSLATION, 1, 0); // the gap between the two regions
            }
        }
        if (epd) {
            return fault(FAULT_TRANSLATION, 1, 0);
        }
        long ttbr = select ? cp15.ttbr1 : cp15.ttbr0;
        int level = 4 - (inputSize - 4) / 9;
        long indexMask = (1L << (inputSize - 9 * (4 - level))) - 1;
        long descAddress = ttbr & PA_MASK_40 & ~indexMask;
        int tableAttributes = 0;
        long desc;
        while (true) {
            descAddress |= (uva >>> (9 * (4 - level))) & indexMask;
            descAddress &= ~7L;
            long lo = readDescriptor32(descAddress);
            long hi = lo < 0 ? -1 : readDescriptor32(descAddress + 4);
            if (hi < 0) {
                return fault(FAULT_WALK_EXTERNAL, level, 0);
            }
            desc = (cp15.sctlr & Cp15.SCTLR_EE) != 0 ? lo << 32 | hi : hi << 32 | lo;
            if ((desc & 1) == 0 || ((desc & 2) == 0 && level == 3)) {
                return fault(FAULT_TRANSLATION, level, 0);
            }
            descAddress = desc & PA_MASK_40 & ~0xFFFL;
            if ((desc & 2) != 0 && level < 3) {
                tableAttributes |= (int) (desc >>> 59) & 0x1F;
                level++;
                indexMask = 0xFFF;
                continue;
            }
            break;
        }
        int blockBits = 9 * (4 - level) + 3;
        long pa = (descAddress & ~((1L << blockBits) - 1)) | (uva & ((1L << blockBits) - 1));
        if ((desc & (1 << 10)) == 0) {
            return fault(FAULT_ACCESS_FLAG, level, 0);
        }
        boolean xn = (desc & (1L << 54)) != 0 || (tableAttributes & 2) != 0;
        boolean pxn = (desc & (1L << 53)) != 0 || (tableAttributes & 1) != 0;
        int ap = (int) (desc >>> 6) & 3;
        if ((tableAttributes & 4) != 0) {
            ap &= ~1; // APTable[0]: no access from PL0
        }
        if ((tableAttributes & 8) != 0) {
            ap |= 2; // APTable[1]: read-only
        }
        int attrIndex = (int) (desc >>> 2) & 7;
        int mair = attrIndex < 4 ? cp15.prrr : cp15.nmrr;
        int attributes = (mair >>> (8 * (attrIndex & 3))) & 0xFF;
        boolean device = (attributes & 0xF0) == 0;
        if (unaligned && device) {
            return fault(FAULT_ALIGNMENT, level, 0);
        }
        int userRw = simpleAccess(ap, true);
        int privRw = simpleAccess(ap, false);
        boolean wxn = (cp15.sctlr & (1 << 19)) != 0;
        boolean uwxn = (cp15.sctlr & (1 << 20)) != 0;
        int pl0 = userRw;
        if (!(xn || (userRw & 1) == 0 || (wxn && (userRw & 2) != 0))) {
            pl0 |= 1 << FETCH;
        }
        int pl1 = privRw;
        if (!(xn || (privRw & 1) == 0 || pxn || (uwxn && (userRw & 2) != 0) || (wxn && (privRw & 2) != 0))) {
            pl1 |= 1 << FETCH;
        }
        int perms = pl1 | pl0 << 3;
        if ((perms & permissionBit(access, privileged)) == 0) {
            return fault(FAULT_PERMISSION, level, 0);
        }
        walkPermissions = perms | (device ? DEVICE : 0);
        walkBlockBits = blockBits > 30 ? 30 : blockBits;
        walkAttributes = attributes;
        walkShareability = (int) (desc >>> 8) & 3;
        walkDomain = NO_DOMAIN;
        return pa;
    }
}
