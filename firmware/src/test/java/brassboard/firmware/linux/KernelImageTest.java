package brassboard.firmware.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.firmware.api.ImageException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelImageTest {
    private static final long RAM = 0x4000_0000L;
    private static final Path F = Path.of("k");

    /** A zImage head as arch/arm/boot/compressed/head.S lays it out: NOPs, a branch, magic, start, end, endianness. */
    static byte[] zImage(int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            b.putInt(i * 4, 0xE1A00000); // mov r0, r0
        }
        b.putInt(0x20, 0xEA000010);
        b.putInt(0x24, 0x016F2818);
        b.putInt(0x28, 0);
        b.putInt(0x2C, length);
        b.putInt(0x30, 0x04030201);
        return b.array();
    }

    /** A U-Boot legacy image as mkimage writes it. */
    static byte[] uImage(int type, int comp, int load, int ep, byte[] data) {
        ByteBuffer h = ByteBuffer.allocate(64 + data.length).order(ByteOrder.BIG_ENDIAN);
        h.putInt(0, 0x27051956);
        h.putInt(12, data.length);
        h.putInt(16, load);
        h.putInt(20, ep);
        CRC32 dc = new CRC32();
        dc.update(data);
        h.putInt(24, (int) dc.getValue());
        h.put(28, (byte) 5).put(29, (byte) 2).put(30, (byte) type).put(31, (byte) comp);
        byte[] all = h.array();
        System.arraycopy(data, 0, all, 64, data.length);
        CRC32 hc = new CRC32();
        hc.update(all, 0, 64);
        ByteBuffer.wrap(all).order(ByteOrder.BIG_ENDIAN).putInt(4, (int) hc.getValue());
        return all;
    }

    @Test
    void zImageGoesWhereQemuPutsIt() throws Exception {
        KernelImage k = KernelImage.parse(F, zImage(4096), RAM);
        assertThat(k.format()).isEqualTo(KernelImage.Format.ZIMAGE);
        assertThat(k.loadAddress()).isEqualTo(0x4001_0000L);
        assertThat(k.entry()).isEqualTo(0x4001_0000L);
    }

    @Test
    void bigEndianZImageIsRefused() {
        byte[] z = zImage(4096);
        ByteBuffer.wrap(z).order(ByteOrder.LITTLE_ENDIAN).putInt(0x30, 0x01020304);
        assertThatThrownBy(() -> KernelImage.parse(F, z, RAM)).isInstanceOf(ImageException.class).hasMessageContaining("big-endian");
    }

    @Test
    void uImageIsLoadedAtItsHeadersAddresses() throws Exception {
        byte[] data = zImage(256);
        KernelImage k = KernelImage.parse(F, uImage(2, 0, 0x4080_0000, 0x4080_0000, data), RAM);
        assertThat(k.format()).isEqualTo(KernelImage.Format.UIMAGE);
        assertThat(k.loadAddress()).isEqualTo(0x4080_0000L);
        assertThat(k.data()).isEqualTo(data);
    }

    @Test
    void gzipUImageIsDecompressedAndNoloadGoesAt32MiB() throws Exception {
        byte[] data = zImage(512);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(data);
        }
        KernelImage k = KernelImage.parse(F, uImage(14, 1, 0, 0x40, gz.toByteArray()), RAM);
        assertThat(k.data()).isEqualTo(data);
        assertThat(k.loadAddress()).isEqualTo(0x4200_0000L);
        assertThat(k.entry()).isEqualTo(0x4200_0040L);
    }

    @Test
    void corruptUImagesNameWhatIsWrong() {
        byte[] u = uImage(2, 0, 0x40008000, 0x40008000, zImage(256));
        u[100] ^= 1;
        assertThatThrownBy(() -> KernelImage.parse(F, u, RAM)).hasMessageContaining("data CRC-32");
        byte[] h = uImage(2, 0, 0x40008000, 0x40008000, zImage(256));
        h[17] ^= 1;
        assertThatThrownBy(() -> KernelImage.parse(F, h, RAM)).hasMessageContaining("header CRC-32");
        assertThatThrownBy(() -> KernelImage.parse(F, uImage(3, 0, 0, 0, new byte[64]), RAM))
                .hasMessageContaining("type 3 (ramdisk)").hasMessageContaining("expected a kernel");
    }

    @Test
    void uncompressedImageRunsFromTextOffset() throws Exception {
        byte[] image = new byte[4096];
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xE10F9000); // mrs r9, cpsr
        KernelImage k = KernelImage.parse(F, image, RAM);
        assertThat(k.format()).isEqualTo(KernelImage.Format.IMAGE);
        assertThat(k.loadAddress()).isEqualTo(0x4000_8000L);
    }

    @Test
    void otherFilesAreNamedNotBooted() {
        byte[] elf = new byte[128];
        elf[0] = 0x7F;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        assertThatThrownBy(() -> KernelImage.parse(F, elf, RAM)).hasMessageStartingWith("--kernel k: is an ELF file");
        byte[] dtb = new byte[128];
        ByteBuffer.wrap(dtb).putInt(0xD00DFEED);
        assertThatThrownBy(() -> KernelImage.parse(F, dtb, RAM)).hasMessageContaining("device tree blob (give it with --dtb)");
        byte[] cpio = "070701000000010000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> KernelImage.parse(F, java.util.Arrays.copyOf(cpio, 128), RAM)).hasMessageContaining("cpio archive");
        byte[] text = java.util.Arrays.copyOf("hello, this is not a kernel at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 128);
        assertThatThrownBy(() -> KernelImage.parse(F, text, RAM)).hasMessageContaining("not a zImage (no magic 0x016f2818 at offset 0x24)");
        assertThatThrownBy(() -> KernelImage.parse(F, new byte[10], RAM)).hasMessageContaining("too short");
    }

    @Test
    void missingFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> KernelImage.load(dir.resolve("nope"), RAM)).hasMessage("--kernel " + dir.resolve("nope") + ": no such file, expected a kernel image (zImage, Image or uImage)");
        assertThatThrownBy(() -> KernelImage.loadInitrd(dir)).hasMessageContaining("is a directory");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> KernelImage.loadInitrd(empty)).hasMessageContaining("empty file");
    }

    @Test
    void initrdIsTakenAsIsOrOutOfAUImageRamdisk(@TempDir Path dir) throws Exception {
        byte[] cpio = "070701 some archive".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(KernelImage.loadInitrd(Files.write(dir.resolve("raw"), cpio))).isEqualTo(cpio);
        assertThat(KernelImage.loadInitrd(Files.write(dir.resolve("u"), uImage(3, 0, 0, 0, cpio)))).isEqualTo(cpio);
        Path kernelAsInitrd = Files.write(dir.resolve("k"), uImage(2, 0, 0, 0, cpio));
        assertThatThrownBy(() -> KernelImage.loadInitrd(kernelAsInitrd)).hasMessageContaining("expected a ramdisk");
    }
}
