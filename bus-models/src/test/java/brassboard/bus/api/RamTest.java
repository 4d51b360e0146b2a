package brassboard.bus.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RAM in lazily allocated chunks: reads, writes and loads across chunk edges, fill, and code watches. */
class RamTest {
    private static final int C = Ram.CHUNK;

    @Test
    void untouchedMemoryReadsAsZeroOrTheFillByte() {
        Ram ram = new Ram("ram", 4L * C);
        assertThat(ram.read(3L * C + 8, 4)).isZero();
        assertThat(ram.read(0, 8)).isZero();
        Ram erased = new Ram("flash", 4L * C, (byte) 0xFF);
        assertThat(erased.read(5, 1)).isEqualTo(0xFFL);
        assertThat(erased.read(6, 2)).isEqualTo(0xFFFFL);
        assertThat(erased.read(8, 4)).isEqualTo(0xFFFF_FFFFL);
        assertThat(erased.read(16, 8)).isEqualTo(-1L);
        assertThat(erased.copy(C - 2, 4)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
        erased.write(C + 1, 1, 0x12);
        assertThat(erased.read(C, 4)).isEqualTo(0xFFFF_12FFL);
    }

    @Test
    void accessesThatStraddleTwoChunksAreLittleEndian() {
        Ram ram = new Ram("ram", 2L * C);
        ram.write(C - 2, 4, 0x4433_2211L);
        assertThat(ram.read(C - 2, 2)).isEqualTo(0x2211L);
        assertThat(ram.read(C, 2)).isEqualTo(0x4433L);
        assertThat(ram.read(C - 2, 4)).isEqualTo(0x4433_2211L);
        ram.write(C - 3, 8, 0x8877_6655_4433_2211L);
        assertThat(ram.read(C - 3, 8)).isEqualTo(0x8877_6655_4433_2211L);
        assertThat(ram.read(C - 3, 1)).isEqualTo(0x11L);
        assertThat(ram.read(C + 4, 1)).isEqualTo(0x88L);
    }

    @Test
    void loadAndCopySpanChunksAndTheChunkArraysAreTheMemory() {
        Ram ram = new Ram("ram", 3L * C + 100); // the last chunk is short
        byte[] data = new byte[C + 10];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        ram.load(C - 5, data);
        assertThat(ram.copy(C - 5, data.length)).isEqualTo(data);
        assertThat(ram.read(C - 5, 1)).isEqualTo(0L);
        assertThat(ram.read(C - 4, 1)).isEqualTo(7L);
        // direct array access, as the CPU's fast paths use it
        long at = C + 0x123;
        byte[] chunk = ram.chunk(at);
        assertThat(chunk[ram.codeIndex(at)]).isEqualTo(data[(int) (at - (C - 5))]);
        assertThat(ram.chunk(3L * C)).hasSize(100);
        ram.write(3L * C + 99, 1, 0x5A);
        assertThat(ram.read(3L * C + 99, 1)).isEqualTo(0x5AL);
    }

    @Test
    void aLoadOfFillBytesLeavesChunksUnallocatedButStillOverwrites() {
        Ram erased = new Ram("flash", 2L * C, (byte) 0xFF);
        erased.write(0, 4, 0);
        byte[] ff = new byte[2 * C];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        erased.load(0, ff);
        assertThat(erased.read(0, 4)).isEqualTo(0xFFFF_FFFFL); // the allocated chunk was overwritten
        assertThat(erased.read(C + 40, 4)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void aLoadOfZerosOverwritesAndItsLastByteCounts() {
        Ram ram = new Ram("ram", 3L * C);
        ram.write(8, 4, 0x1234_5678L);
        byte[] zeros = new byte[2 * C + 16];
        zeros[2 * C - 1] = 7; // the last byte of the second chunk: that chunk is not all zeros
        ram.load(0, zeros, 0, zeros.length);
        assertThat(ram.read(8, 4)).isZero(); // the allocated chunk was overwritten
        assertThat(ram.read(2L * C - 1, 1)).isEqualTo(7);
        assertThat(ram.read(2L * C - 2, 1)).isZero();
    }

    @Test
    void aWriteToAWatchedPageTellsTheListenersOnce() {
        Ram ram = new Ram("ram", 0x20000);
        List<Long> told = new ArrayList<>();
        ram.addCodeWriteListener((source, offset) -> told.add(offset));
        ram.watch(0x11000);
        assertThat(ram.isWatched(0x11FFF)).isTrue();
        ram.write(0x11004, 4, 1);
        ram.write(0x11008, 4, 1);
        assertThat(told).containsExactly(0x11000L);
        assertThat(ram.isWatched(0x11000)).isFalse();
        ram.watch(0x2000);
        ram.load(0x1FFE, new byte[4]); // straddles into the watched page
        assertThat(told).containsExactly(0x11000L, 0x2000L);
    }

    @Test
    void watchListenersHearEachPageOnceWhenItStartsBeingWatchedUntilRemoved() throws Exception {
        Ram ram = new Ram("ram", 0x20000);
        List<Long> watched = new ArrayList<>();
        AutoCloseable listener = ram.addWatchListener((source, offset) -> {
            assertThat(source).isSameAs(ram);
            watched.add(offset);
        });
        ram.watch(0x1234);
        ram.watch(0x1FFC);
        ram.watch(0x12000);
        assertThat(watched).as("page offsets, once per page").containsExactly(0x1000L, 0x12000L);
        ram.write(0x1000, 4, 1);
        assertThat(ram.isWatched(0x1000)).isFalse();
        ram.watch(0x1000);
        assertThat(watched).as("watched again after the write cleared it").containsExactly(0x1000L, 0x12000L, 0x1000L);
        listener.close();
        ram.write(0x1000, 4, 2);
        ram.watch(0x1000);
        assertThat(watched).hasSize(3);
    }
}
