package brassboard.devices.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.devices.storage.api.DiskImageException;
import brassboard.devices.storage.block.RawImageBackend.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawImageBackendTest {
    @TempDir
    Path dir;

    /** An image of {@code sectors} sectors whose byte i is (i * 7 + i / 512) & 0xFF. */
    private Path image(String name, int sectors) throws Exception {
        byte[] b = new byte[sectors * 512];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 7 + i / 512);
        }
        return Files.write(dir.resolve(name), b);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    private static byte[] sector(int fill) {
        byte[] s = new byte[512];
        Arrays.fill(s, (byte) fill);
        return s;
    }

    @Test
    void readsSectorsFromTheFile() throws Exception {
        Path img = image("a.img", 300);
        try (RawImageBackend d = RawImageBackend.open(img)) {
            assertThat(d.sectorCount()).isEqualTo(300);
            assertThat(d.sectorSize()).isEqualTo(512);
            assertThat(d.readOnly()).isFalse();
            byte[] buf = new byte[3 * 512];
            d.read(126, 3, buf, 0);
            assertThat(buf).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(img), 126 * 512, 129 * 512));
        }
    }

    @Test
    void copyOnWriteIsTheDefaultAndNeverChangesTheFile() throws Exception {
        Path img = image("cow.img", 300);
        String before = sha256(img);
        long mtime = Files.getLastModifiedTime(img).toMillis();
        try (RawImageBackend d = RawImageBackend.open(img)) {
            assertThat(d.mode()).isEqualTo(Mode.COPY_ON_WRITE);
            // A write across a chunk boundary (sectors 127 and 128), and one in the last, partial chunk.
            byte[] two = new byte[1024];
            System.arraycopy(sector(0xAA), 0, two, 0, 512);
            System.arraycopy(sector(0xBB), 0, two, 512, 512);
            d.write(127, 2, two, 0);
            d.write(299, 1, sector(0xCC), 0);
            d.flush();
            byte[] buf = new byte[4 * 512];
            d.read(126, 4, buf, 0);
            byte[] file = Files.readAllBytes(img);
            assertThat(Arrays.copyOfRange(buf, 0, 512)).isEqualTo(Arrays.copyOfRange(file, 126 * 512, 127 * 512));
            assertThat(Arrays.copyOfRange(buf, 512, 1024)).isEqualTo(sector(0xAA));
            assertThat(Arrays.copyOfRange(buf, 1024, 1536)).isEqualTo(sector(0xBB));
            assertThat(Arrays.copyOfRange(buf, 1536, 2048)).isEqualTo(Arrays.copyOfRange(file, 129 * 512, 130 * 512));
            byte[] last = new byte[512];
            d.read(299, 1, last, 0);
            assertThat(last).isEqualTo(sector(0xCC));
            assertThat(d.overlayBytes()).isEqualTo(3 * 128 * 512);
        }
        assertThat(sha256(img)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(img).toMillis()).isEqualTo(mtime);
    }

    @Test
    void copyOnWriteWorksOnAReadOnlyFile() throws Exception {
        Path img = image("ro-file.img", 8);
        Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("r--r--r--"));
        String before = sha256(img);
        try (RawImageBackend d = RawImageBackend.open(img, Mode.COPY_ON_WRITE)) {
            d.write(0, 1, sector(1), 0);
            byte[] buf = new byte[512];
            d.read(0, 1, buf, 0);
            assertThat(buf).isEqualTo(sector(1));
        }
        assertThat(sha256(img)).isEqualTo(before);
    }

    @Test
    void writeThroughReachesTheFile() throws Exception {
        Path img = image("wt.img", 16);
        try (RawImageBackend d = RawImageBackend.open(img, Mode.WRITE_THROUGH)) {
            d.write(5, 1, sector(0x5A), 0);
            d.flush();
        }
        assertThat(Arrays.copyOfRange(Files.readAllBytes(img), 5 * 512, 6 * 512)).isEqualTo(sector(0x5A));
        assertThat(Files.size(img)).isEqualTo(16 * 512);
    }

    @Test
    void readOnlyRefusesWrites() throws Exception {
        Path img = image("ro.img", 4);
        try (RawImageBackend d = RawImageBackend.open(img, Mode.READ_ONLY)) {
            assertThat(d.readOnly()).isTrue();
            assertThatThrownBy(() -> d.write(0, 1, sector(1), 0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void outOfRangeIsACallersBug() throws Exception {
        try (RawImageBackend d = RawImageBackend.open(image("r.img", 4))) {
            assertThatThrownBy(() -> d.read(3, 2, new byte[1024], 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(d.inRange(4, 0)).isTrue();
            assertThat(d.inRange(Long.MAX_VALUE, 2)).isFalse();
        }
    }

    @Test
    void missingFileIsOneLineNamingIt() {
        Path missing = dir.resolve("nope.img");
        assertThatThrownBy(() -> RawImageBackend.open(missing))
                .isInstanceOf(DiskImageException.class)
                .hasMessage(missing + ": no such file; expected a raw disk image of a whole number of 512-byte sectors");
    }

    @Test
    void directoryIsRefused() {
        assertThatThrownBy(() -> RawImageBackend.open(dir))
                .isInstanceOf(DiskImageException.class)
                .hasMessageStartingWith(dir + ": is a directory");
    }

    @Test
    void partialSectorIsRefused() throws Exception {
        Path odd = Files.write(dir.resolve("odd.img"), new byte[1000]);
        assertThatThrownBy(() -> RawImageBackend.open(odd))
                .isInstanceOf(DiskImageException.class)
                .hasMessage(odd + ": 1000 bytes is not a whole number of 512-byte sectors; expected a multiple of 512 bytes, at least 512");
        Path empty = Files.write(dir.resolve("empty.img"), new byte[0]);
        assertThatThrownBy(() -> RawImageBackend.open(empty)).hasMessageContaining("0 bytes is not a whole number");
    }

    @Test
    void unreadableFileIsRefused() throws Exception {
        Path img = image("secret.img", 2);
        Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(img), "running as root: permissions not enforced");
        assertThatThrownBy(() -> RawImageBackend.open(img))
                .isInstanceOf(DiskImageException.class)
                .hasMessageStartingWith(img + ": permission denied opening it for reading");
    }

    @Test
    void writeThroughNeedsAWritableFile() throws Exception {
        Path img = image("locked.img", 2);
        Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("r--r--r--"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(img), "running as root: permissions not enforced");
        assertThatThrownBy(() -> RawImageBackend.open(img, Mode.WRITE_THROUGH))
                .isInstanceOf(DiskImageException.class)
                .hasMessage(img + ": permission denied opening it for reading and writing (write-through); "
                        + "expected a raw disk image of a whole number of 512-byte sectors");
    }

    @Test
    void memoryBackendReadsZerosUntilWritten() {
        MemoryBackend m = new MemoryBackend(1000);
        byte[] buf = new byte[1024];
        Arrays.fill(buf, (byte) 9);
        m.read(998, 2, buf, 0);
        assertThat(buf).containsOnly(0);
        m.write(999, 1, sector(3), 0);
        m.read(999, 1, buf, 512);
        assertThat(Arrays.copyOfRange(buf, 512, 1024)).isEqualTo(sector(3));
        MemoryBackend ro = new MemoryBackend(4, true).load(1, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ro.write(0, 1, sector(0), 0)).isInstanceOf(IllegalStateException.class);
        ro.read(1, 1, buf, 0);
        assertThat(Arrays.copyOf(buf, 4)).containsExactly(1, 2, 3, 0);
    }
}
