package brassboard.devices.storage.ata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.devices.storage.block.MemoryBackend;
import org.junit.jupiter.api.Test;

/** {@link BadSectors}: ranges, the life of a bad sector (pending, remapped, failed), and what the ATA disk makes of it. */
class BadSectorsTest {
    @Test
    void rangesMergeAndAreCounted() {
        BadSectors b = new BadSectors(0);
        b.addUnreadable(10, 19);
        b.addUnreadable(20, 25); // adjacent: merged
        b.addUnreadable(5, 12); // overlapping
        b.addUnwritable(100, 100);
        assertThat(b.counts()).isEqualTo(new BadSectors.Counts(0, 0, 0, 21, 1));
        assertThat(b.unreadable(4)).isFalse();
        assertThat(b.unreadable(5)).isTrue();
        assertThat(b.unreadable(25)).isTrue();
        assertThat(b.unreadable(26)).isFalse();
        assertThat(b.unwritable(100)).isTrue();
        assertThatThrownBy(() -> b.addUnreadable(9, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9-8");
        assertThatThrownBy(() -> b.setRetryNs(-1)).hasMessageContaining("negative");
    }

    @Test
    void aFailedReadMakesASectorPendingAndAWriteRemapsIt() {
        BadSectors b = new BadSectors(3_000);
        b.addUnreadable(50, 52);
        Medium.Check c = b.check(48, 8, false);
        assertThat(c.good()).isEqualTo(2);
        assertThat(c.failure()).isEqualTo(Medium.Failure.UNCORRECTABLE);
        assertThat(c.busyNs()).isEqualTo(3_000);
        b.check(50, 1, false); // the same sector again: still one pending
        assertThat(b.currentPendingSectors()).isEqualTo(1);
        b.check(51, 1, false);
        assertThat(b.currentPendingSectors()).isEqualTo(2);

        assertThat(b.check(49, 3, true)).isEqualTo(Medium.Check.ALL_GOOD); // remaps 50 and 51
        assertThat(b.reallocatedSectors()).isEqualTo(2);
        assertThat(b.currentPendingSectors()).isZero();
        assertThat(b.check(50, 2, false)).isEqualTo(Medium.Check.ALL_GOOD);
        assertThat(b.check(50, 3, false).good()).as("52 is still bad").isEqualTo(2);
    }

    @Test
    void anUnwritableSectorFailsTheWriteThere() {
        BadSectors b = new BadSectors(10);
        b.addBad(30, 30);
        b.addUnreadable(28, 28);
        assertThat(b.check(30, 1, false).failure()).isEqualTo(Medium.Failure.UNCORRECTABLE);
        Medium.Check w = b.check(27, 8, true);
        assertThat(w.good()).isEqualTo(3);
        assertThat(w.failure()).isEqualTo(Medium.Failure.WRITE_FAULT);
        assertThat(b.counts()).as("28 remapped on the way; 30 pending and now offline uncorrectable")
                .isEqualTo(new BadSectors.Counts(1, 1, 1, 1, 1));
        assertThat(b.check(31, 4, true)).as("past it, writes work").isEqualTo(Medium.Check.ALL_GOOD);
        assertThat(b.check(29, 2, false).good()).isEqualTo(1);
    }

    @Test
    void theDiskReportsUncAndDeviceFaultWithTheLbaAndTakesTheRetryTime() {
        BadSectors b = new BadSectors(7_000_000_000L);
        assertThat(new BadSectors().retryNs()).isEqualTo(BadSectors.DEFAULT_RETRY_NS);
        MemoryBackend backend = new MemoryBackend(256);
        AtaDisk disk = new AtaDisk(backend, AtaIdentity.qemu(), b, AtaTiming.NONE);
        b.addBad(40, 40);
        byte[] buf = new byte[16 * 512];
        AtaResult r = disk.execute(TaskFile.lba48(AtaCommand.READ_DMA_EXT, 32, 16), buf, 0);
        assertThat(r.hasError(AtaResult.ERROR_UNC)).isTrue();
        assertThat(r.lba()).isEqualTo(40);
        assertThat(r.transferred()).isEqualTo(8 * 512);
        assertThat(r.busyNs()).isEqualTo(7_000_000_000L);
        AtaResult w = disk.execute(TaskFile.lba48(AtaCommand.WRITE_DMA_EXT, 32, 16), buf, 0);
        assertThat(w.ok()).isFalse();
        assertThat(w.status() & AtaResult.STATUS_DF).isNotZero();
        assertThat(w.hasError(AtaResult.ERROR_ABRT)).isTrue();
        assertThat(w.lba()).isEqualTo(40);
        assertThat(w.transferred()).isEqualTo(8 * 512);
    }
}
