package brassboard.devices.spi;

import brassboard.bus.api.FaultPoint;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.FaultSite;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;

/**
 * A JEDEC serial NOR flash on SPI, with the standard single-wire command set of Winbond's W25Q
 * family (W25Q80BL datasheet, "Instructions"), which Linux's {@code spi-nor} recognises by its
 * JEDEC ID ({@code w25q80bl}, EF 40 14: 1 MiB, 4 KiB sectors, 64 KiB blocks).
 *
 * <p>Commands: Write Enable (06h), Write Disable (04h), Read Status Register-1 (05h) and -2 (35h),
 * Write Status Register (01h), Read Data (03h), Fast Read (0Bh, one dummy byte), Page Program
 * (02h), Sector Erase 4 KiB (20h), Block Erase 32 KiB (52h) and 64 KiB (D8h), Chip Erase (C7h /
 * 60h), JEDEC ID (9Fh), Manufacturer/Device ID (90h), Release Power-down / Device ID (ABh), Enable
 * Reset (66h) + Reset (99h). A command runs when chip select rises after its last byte; one cut
 * short or run on is ignored, as the datasheet says. Program, erase and Write Status need WEL (set
 * by 06h); while they run, BUSY (SR1 bit 0) is set for the datasheet's typical time in virtual time
 * and every command but the status reads is ignored; at the end BUSY and WEL clear. Programming can
 * only clear bits (a byte becomes old AND new); a page program wraps within its 256-byte page.
 *
 * <p>Not modelled: SFDP (5Ah reads FFh; {@code spi-nor} does not ask this part for it), the
 * status register's block protection (BP, TB, SEC, CMP are stored and read back, they protect
 * nothing), suspend/resume, the security registers, dual/quad I/O (the PL022 has one data line
 * each way), power-down. Unknown opcodes are ignored with a warning, once each.
 *
 * <p><b>Wear and faults.</b> Each 4 KiB sector counts its erases and survives {@link Part#endurance()}
 * of them (100,000 on the datasheet, fewer with {@link #endurance(long)}): the next erase fails, and
 * from then on the sector is worn out: its erases and programs run their time but change nothing. The W25Q has no program/erase fail
 * bit (unlike Macronix parts' E_FAIL/P_FAIL), so software notices only by reading back. The fault
 * point {@code flash.<name>.erase} sees every erase (address: the first byte erased; size 1):
 * {@code error} makes it fail the same way, {@code delay} makes it take longer.
 */
public final class SpiNorFlash extends SpiMemory {
    /**
     * A flash part: identity, geometry and typical busy times.
     *
     * @param jedecId manufacturer, memory type, capacity: the three bytes of 9Fh
     * @param deviceId the byte of 90h and ABh
     */
    public record Part(String name, int jedecId, int deviceId, int size, long pageProgramNs, long sectorEraseNs,
                       long block32EraseNs, long block64EraseNs, long chipEraseNs, long writeStatusNs, long endurance) { }

    /** Winbond W25Q80BL: 1 MiB; tPP 0.7 ms, tSE 30 ms, tBE1 120 ms, tBE2 150 ms, tCE 2 s, tW 10 ms (typical), 100,000 cycles. */
    public static final Part W25Q80BL = new Part("W25Q80BL", 0xEF4014, 0x13, 1 << 20,
            700_000L, 30_000_000L, 120_000_000L, 150_000_000L, 2_000_000_000L, 10_000_000L, 100_000L);

    // ---- Instructions, W25Q80BL datasheet "Instruction Set Table 1" ----
    public static final int WRITE_ENABLE = 0x06;
    public static final int WRITE_DISABLE = 0x04;
    public static final int READ_STATUS1 = 0x05;
    public static final int READ_STATUS2 = 0x35;
    public static final int WRITE_STATUS = 0x01;
    public static final int READ_DATA = 0x03;
    public static final int FAST_READ = 0x0B;
    public static final int PAGE_PROGRAM = 0x02;
    public static final int SECTOR_ERASE = 0x20;
    public static final int BLOCK_ERASE_32K = 0x52;
    public static final int BLOCK_ERASE_64K = 0xD8;
    public static final int CHIP_ERASE = 0xC7;
    public static final int CHIP_ERASE_ALT = 0x60;
    public static final int JEDEC_ID = 0x9F;
    public static final int MANUFACTURER_DEVICE_ID = 0x90;
    public static final int RELEASE_POWER_DOWN_ID = 0xAB;
    public static final int ENABLE_RESET = 0x66;
    public static final int RESET = 0x99;
    public static final int READ_SFDP = 0x5A;

    // ---- Status Register-1 ----
    public static final int SR1_BUSY = SR_BUSY;
    public static final int SR1_WEL = SR_WRITE_ENABLE;

    public static final int PAGE_SIZE = 256;
    public static final int SECTOR_SIZE = 4 << 10;
    public static final int BLOCK32_SIZE = 32 << 10;
    public static final int BLOCK64_SIZE = 64 << 10;
    private static final int ADDRESS_BYTES = 3;
    private static final int ERASED = 0xFF;
    private static final int BYTE_MASK = 0xFF;

    private final Part part;
    private final int[] eraseCounts;
    private long endurance;
    private FaultPoint erasePoint;
    private final FaultSite site = new FaultSite();
    private int sr2;
    private boolean resetEnabled;
    private final int[] pageBuffer = new int[PAGE_SIZE];
    private int newSr1;
    private int newSr2;
    private long erases;
    private long programs;

    /** A {@code part} named {@code name} ({@code flash0}) with its array in {@code array} (the part's size). */
    public SpiNorFlash(String name, Part part, BackingImage array, Scheduler scheduler, Tracer tracer) {
        super(name, part.size(), part.name(), array, scheduler, tracer);
        this.part = part;
        this.eraseCounts = new int[part.size() / SECTOR_SIZE];
        this.endurance = part.endurance();
    }

    /** Declares {@code flash.<name>.erase} (the board does). */
    public FaultPoint declareFaultPoint(FaultPoints faults) {
        erasePoint = faults.declare("flash." + name + ".erase", "a sector, block or chip erase of SPI NOR flash " + name,
                "error", "delay").filters("address");
        return erasePoint;
    }

    /** Erase cycles a sector survives (at least 1); the next erase fails and the sector is worn out. */
    public SpiNorFlash endurance(long cycles) {
        if (cycles < 1) {
            throw new IllegalArgumentException(name + ": an endurance of " + cycles + " erase cycles; expected 1 or more");
        }
        this.endurance = cycles;
        return this;
    }

    /** The part. */
    public Part part() {
        return part;
    }

    /** How often the 4 KiB sector holding {@code address} has been erased. */
    public int eraseCount(int address) {
        return eraseCounts[(address & (part.size() - 1)) / SECTOR_SIZE];
    }

    /** Erases and programs carried out since power-on (worn-out and failed ones included). */
    public long operations() {
        return erases + programs;
    }

    @Override
    public void reset() {
        super.reset();
        resetEnabled = false;
    }

    @Override
    protected boolean readsStatus(int op) {
        return op == READ_STATUS1 || op == READ_STATUS2;
    }

    @Override
    protected void commandStarted(int op) {
        if (op == PAGE_PROGRAM) {
            java.util.Arrays.fill(pageBuffer, NONE);
        }
    }

    @Override
    protected int commandByte(int op, int position, int in) {
        switch (op) {
            case READ_STATUS1 -> {
                return status();
            }
            case READ_STATUS2 -> {
                return sr2;
            }
            case JEDEC_ID -> {
                return position < ADDRESS_BYTES ? (part.jedecId() >>> (8 * (ADDRESS_BYTES - 1 - position))) & BYTE_MASK : 0;
            }
            case MANUFACTURER_DEVICE_ID -> {
                if (position < ADDRESS_BYTES) {
                    return addressByte(position, in);
                }
                boolean manufacturer = ((position - ADDRESS_BYTES) + (address & 1)) % 2 == 0;
                return manufacturer ? part.jedecId() >>> 16 : part.deviceId();
            }
            case RELEASE_POWER_DOWN_ID -> {
                return position < ADDRESS_BYTES ? ERASED : part.deviceId();
            }
            case READ_DATA, FAST_READ -> {
                if (position < ADDRESS_BYTES) {
                    return addressByte(position, in);
                }
                return position < ADDRESS_BYTES + (op == FAST_READ ? 1 : 0) ? ERASED : readNext();
            }
            case PAGE_PROGRAM -> {
                if (position < ADDRESS_BYTES) {
                    return addressByte(position, in);
                }
                pageBuffer[(address + position - ADDRESS_BYTES) & (PAGE_SIZE - 1)] = in;
                return ERASED;
            }
            case SECTOR_ERASE, BLOCK_ERASE_32K, BLOCK_ERASE_64K -> {
                return position < ADDRESS_BYTES ? addressByte(position, in) : ERASED;
            }
            case WRITE_STATUS -> {
                if (position == 0) {
                    newSr1 = in;
                } else if (position == 1) {
                    newSr2 = in;
                }
                return ERASED;
            }
            case READ_SFDP -> {
                tracer.warnOnce(name + ".sfdp", name, "Read SFDP (5Ah) is not modelled; it reads FFh");
                return ERASED;
            }
            default -> {
                return ERASED;
            }
        }
    }

    @Override
    protected void commandEnded(int op, int bytes) {
        boolean exact = bytes == 0;
        switch (op) {
            case WRITE_ENABLE -> {
                if (exact) {
                    status |= SR1_WEL;
                }
            }
            case WRITE_DISABLE -> {
                if (exact) {
                    status &= ~SR1_WEL;
                }
            }
            case ENABLE_RESET -> resetEnabled = exact;
            case RESET -> {
                if (exact && resetEnabled) {
                    reset();
                }
            }
            case PAGE_PROGRAM -> {
                if (bytes > ADDRESS_BYTES && writeEnabled(op)) {
                    program(address);
                }
            }
            case SECTOR_ERASE -> erase(op, bytes, SECTOR_SIZE, part.sectorEraseNs());
            case BLOCK_ERASE_32K -> erase(op, bytes, BLOCK32_SIZE, part.block32EraseNs());
            case BLOCK_ERASE_64K -> erase(op, bytes, BLOCK64_SIZE, part.block64EraseNs());
            case CHIP_ERASE, CHIP_ERASE_ALT -> {
                if (exact && writeEnabled(op)) {
                    startErase(0, part.size(), part.chipEraseNs());
                }
            }
            case WRITE_STATUS -> {
                if ((bytes == 1 || bytes == 2) && writeEnabled(op)) {
                    int keep = SR1_BUSY | SR1_WEL;
                    status = (status & keep) | (newSr1 & ~keep);
                    if (bytes == 2) {
                        sr2 = newSr2;
                    }
                    startBusy(part.writeStatusNs(), "write status", null);
                }
            }
            case READ_STATUS1, READ_STATUS2, JEDEC_ID, MANUFACTURER_DEVICE_ID, RELEASE_POWER_DOWN_ID, READ_DATA, FAST_READ, READ_SFDP -> {
            }
            default -> tracer.warnOnce(name + ".op." + op, name, String.format("instruction %02Xh is not modelled; ignored", op));
        }
        resetEnabled = resetEnabled && op == ENABLE_RESET;
    }

    private void erase(int op, int bytes, int size, long timeNs) {
        if (bytes == ADDRESS_BYTES && writeEnabled(op)) {
            startErase(address & (part.size() - 1) & ~(size - 1), size, timeNs);
        }
    }

    private void startErase(int base, int size, long timeNs) {
        erases++;
        long time = timeNs;
        boolean failed = false;
        if (erasePoint != null && erasePoint.armed()) {
            site.access(base, 1, -1, true, 0);
            erasePoint.fire(site);
            failed = site.error;
            time += site.delayNs;
        }
        boolean fail = failed;
        startBusy(time, String.format("erase 0x%06x-0x%06x", base, base + size - 1), () -> {
            for (int s = base / SECTOR_SIZE; s < (base + size) / SECTOR_SIZE; s++) {
                boolean worn = eraseCounts[s] >= endurance;
                if (eraseCounts[s] < Integer.MAX_VALUE) {
                    eraseCounts[s]++;
                }
                if (fail || worn) {
                    if (tracer.enabled()) {
                        tracer.emit(name, "flash.erase-failed", String.format("sector 0x%06x: %s", s * SECTOR_SIZE,
                                worn ? "worn out after " + endurance + " erase cycles" : "fault injected"));
                    }
                    continue;
                }
                array.fill(s * SECTOR_SIZE, SECTOR_SIZE, ERASED);
            }
        });
    }

    private void program(int start) {
        programs++;
        int page = start & (part.size() - 1) & ~(PAGE_SIZE - 1);
        boolean worn = eraseCounts[page / SECTOR_SIZE] > endurance; // its last erase failed
        int[] data = pageBuffer.clone(); // the page buffer is latched when the program starts
        startBusy(part.pageProgramNs(), String.format("program page 0x%06x", page), () -> {
            if (worn) {
                if (tracer.enabled()) {
                    tracer.emit(name, "flash.program-failed", String.format("page 0x%06x: sector worn out", page));
                }
                return;
            }
            for (int i = 0; i < PAGE_SIZE; i++) {
                if (data[i] != NONE) {
                    array.set(page + i, array.get(page + i) & data[i]);
                }
            }
            array.persist(page, PAGE_SIZE);
        });
    }
}
