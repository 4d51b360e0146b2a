package brassboard.arm.core;

/**
 * Told by the core when what it translated before may no longer hold, so that whoever caches by
 * virtual address (the interpreter's pre-decoded pages and translated blocks) looks again.
 */
public interface TranslationListener {
    TranslationListener NONE = new TranslationListener() {
    };

    /**
     * The TLB was flushed (TLB maintenance, a write to a translation register, the MMU turned on or
     * off): every virtual-to-physical mapping may have changed.
     */
    default void translationsFlushed() {
    }

    /**
     * TLB maintenance by address (TLBIMVA and its variants) removed the translations of the block or
     * page holding {@code address}; every other mapping stands. A cache that recorded the size of the
     * block each of its translations came from ({@link ArmCore#lastTranslationBlockBits}) drops only
     * those covering {@code address}; the default drops everything.
     */
    default void translationInvalidated(int address) {
        translationsFlushed();
    }

    /**
     * DACR changed the access of the domains in {@code domains} (bit d: domain d): translations checked
     * in one of them ({@link ArmCore#lastTranslationDomain}) no longer hold; the others, and every
     * mapping, stand. The default drops everything.
     */
    default void domainsChanged(int domains) {
        translationsFlushed();
    }

    /**
     * With the MMU on, the core moved between PL0 and PL1: mappings stand but permissions (execute
     * never at PL1, PL1-only pages) may differ.
     */
    default void privilegeChanged() {
    }
}
