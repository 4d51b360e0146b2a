package brassboard.firmware.fdt;

import java.util.List;

/**
 * Everything a device-tree blob holds: the tree, the memory reservation block (entries of
 * {@code {address, size}}), the boot CPU's physical id and the blob's format version.
 */
public record FdtBlob(FdtNode root, List<long[]> memReserve, int bootCpuIdPhys, int version) {
    public FdtBlob {
        memReserve = List.copyOf(memReserve);
    }
}
