package brassboard.firmware.fdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FdtTest {
    private static final List<long[]> RESERVE = List.of(new long[] {0x40000000L, 0x1000}, new long[] {0x48000000L, 1L << 20});

    private static byte[] virtBlob() {
        return Fdt.write(VirtTree.build(), RESERVE, 0);
    }

    private static long word(byte[] blob, int at) {
        return ByteBuffer.wrap(blob).getInt(at) & 0xffffffffL;
    }

    @Test
    void rewritingKeepsTheStringsBlockAndItsOffsetsAndAppendsNewNames() throws Exception {
        FdtNode root = FdtNode.root().prop("compatible", "a");
        root.child("late").prop("model", "m").prop("compatible", "b");
        byte[] first = Fdt.write(root, List.of(), 0);
        FdtNode read = Fdt.read(first);
        // A new name used before the old ones in tree order still goes to the end of the strings block.
        read.prop("brand-new", "x");
        byte[] second = Fdt.writeKeepingStrings(read, List.of(), 0, Fdt.stringsBlock(first));
        byte[] before = Fdt.stringsBlock(first);
        byte[] after = Fdt.stringsBlock(second);
        assertThat(Arrays.copyOf(after, before.length)).isEqualTo(before);
        assertThat(new String(after, before.length, after.length - before.length, StandardCharsets.US_ASCII))
                .isEqualTo("brand-new\0");
        assertThat(Fdt.read(second)).isEqualTo(read);
        // The tail of a kept name serves a new name that equals it, as dtc shares string tails.
        read.prop("patible", "y");
        byte[] third = Fdt.writeKeepingStrings(read, List.of(), 0, Fdt.stringsBlock(first));
        assertThat(Fdt.stringsBlock(third)).isEqualTo(after);
        assertThat(Fdt.read(third).property("patible").orElseThrow().asString()).isEqualTo("y");
    }

    @Test
    void roundTripGivesTheSameTree() throws Exception {
        FdtNode root = VirtTree.build();
        byte[] blob = Fdt.write(root, RESERVE, 1);

        FdtBlob back = Fdt.readBlob(blob);

        assertThat(back.root()).isEqualTo(root);
        assertThat(back.root().toString()).isEqualTo(root.toString());
        assertThat(back.memReserve()).hasSize(2);
        assertThat(back.memReserve().get(0)).containsExactly(0x40000000L, 0x1000);
        assertThat(back.memReserve().get(1)).containsExactly(0x48000000L, 1L << 20);
        assertThat(back.bootCpuIdPhys()).isEqualTo(1);
        assertThat(back.version()).isEqualTo(17);
        assertThat(Fdt.write(back.root(), back.memReserve(), 1)).isEqualTo(blob);
    }

    @Test
    void headerFieldsAndAlignment() {
        byte[] blob = virtBlob();

        assertThat(word(blob, 0)).isEqualTo(0xd00dfeedL);
        assertThat(word(blob, 4)).as("totalsize").isEqualTo(blob.length);
        long offStruct = word(blob, 8);
        long offStrings = word(blob, 12);
        long offRsvmap = word(blob, 16);
        assertThat(word(blob, 20)).as("version").isEqualTo(17);
        assertThat(word(blob, 24)).as("last_comp_version").isEqualTo(16);
        assertThat(word(blob, 28)).as("boot_cpuid_phys").isZero();
        long sizeStrings = word(blob, 32);
        long sizeStruct = word(blob, 36);

        assertThat(offRsvmap).isEqualTo(40).matches(o -> o % 8 == 0, "8-byte aligned");
        assertThat(offStruct).isEqualTo(offRsvmap + 3 * 16).matches(o -> o % 4 == 0, "4-byte aligned");
        assertThat(sizeStruct % 4).isZero();
        assertThat(offStrings).isEqualTo(offStruct + sizeStruct);
        assertThat(offStrings + sizeStrings).isEqualTo(blob.length);
        assertThat(word(blob, (int) offStruct)).as("first token FDT_BEGIN_NODE").isEqualTo(1);
        assertThat(word(blob, (int) (offStruct + 4))).as("root name, empty and padded").isZero();
        assertThat(word(blob, (int) (offStruct + sizeStruct - 4))).as("last token FDT_END").isEqualTo(9);
        assertThat(word(blob, 40 + 32)).as("reservation terminator").isZero();
    }

    @Test
    void everyTokenIsFourByteAligned() {
        // A node name and a value whose lengths are not multiples of 4.
        FdtNode root = FdtNode.root();
        root.child("ab").prop("x", new byte[] {1, 2, 3}).prop("y", "hello");
        byte[] blob = Fdt.write(root, List.of(), 0);
        int s = (int) word(blob, 8);
        int[] expected = {1, 0, 1, 0x61620000, 3, 3, 0, 0x01020300, 3, 6, 2, 0x68656c6c, 0x6f000000, 2, 2, 9};
        for (int i = 0; i < expected.length; i++) {
            assertThat((int) word(blob, s + 4 * i)).as("struct word %d", i).isEqualTo(expected[i]);
        }
        assertThat(word(blob, 36)).isEqualTo(expected.length * 4L);
    }

    @Test
    void propertyNamesAreStoredOnceInTheStringsBlock() {
        byte[] blob = virtBlob();
        int offStrings = (int) word(blob, 12);
        int size = (int) word(blob, 32);
        String strings = new String(blob, offStrings, size, StandardCharsets.US_ASCII);

        List<String> names = List.of(strings.split("\0"));
        assertThat(names).doesNotHaveDuplicates().contains("compatible", "reg", "#address-cells", "phandle");
        assertThat(strings).endsWith("\0");
        // "compatible" appears on six nodes, "reg" on five, "device_type" on three.
        assertThat(strings.split("compatible", -1)).hasSize(2);
        assertThat(names).startsWith("#address-cells", "#size-cells", "compatible", "model", "interrupt-parent");
    }

    @Test
    void insertionOrderIsKeptAndReplacingKeepsThePosition() {
        FdtNode n = FdtNode.root().prop("b", 1).prop("a", 2).prop("c", 3);
        n.child("z");
        n.child("y");
        n.prop("a", 20);

        assertThat(n.properties()).extracting(FdtProperty::name).containsExactly("b", "a", "c");
        assertThat(n.property("a").orElseThrow().asU32()).isEqualTo(20);
        assertThat(n.children()).extracting(FdtNode::name).containsExactly("z", "y");
        assertThat(n.child("z")).as("child() returns an existing child").isSameAs(n.children().get(0));
    }

    @Test
    void findByPath() {
        FdtNode root = VirtTree.build();
        FdtNode cpus = root.find("/cpus").orElseThrow();

        assertThat(root.find("/")).containsSame(root);
        assertThat(root.find("/pl011@9000000").orElseThrow().path()).isEqualTo("/pl011@9000000");
        assertThat(root.find("/cpus/cpu@1").orElseThrow().property("reg").orElseThrow().asU32()).isEqualTo(1);
        assertThat(root.find("/memory").orElseThrow().name()).isEqualTo("memory@40000000");
        assertThat(cpus.find("cpu@0").orElseThrow().path()).isEqualTo("/cpus/cpu@0");
        assertThat(cpus.find("/timer")).isPresent();
        assertThat(root.find("/cpus/cpu")).as("ambiguous without a unit address").isEmpty();
        assertThat(root.find("/nothing")).isEmpty();
    }

    @Test
    void propertyAccessors() {
        FdtNode root = VirtTree.build();
        FdtNode uart = root.find("/pl011@9000000").orElseThrow();
        FdtNode memory = root.find("/memory").orElseThrow();

        assertThat(uart.property("compatible").orElseThrow().asStringList()).containsExactly("arm,pl011", "arm,primecell");
        assertThat(root.property("model").orElseThrow().asString()).isEqualTo("Brassboard virt");
        assertThat(uart.property("reg").orElseThrow().asCells()).containsExactly(0, 0x09000000, 0, 0x1000);
        assertThat(memory.property("reg").orElseThrow().asCells()).containsExactly(0, 0x40000000, 0, 0x08000000);
        assertThat(root.find("/intc@8000000").orElseThrow().property("phandle").orElseThrow().asU32())
                .isEqualTo(VirtTree.GIC_PHANDLE);
        assertThat(root.find("/intc@8000000").orElseThrow().property("interrupt-controller").orElseThrow().isEmpty())
                .isTrue();
        FdtNode n = FdtNode.root().propU64("big", 0x1_2345_6789L).propCells("neg", 0xffffffffL, -1L);
        assertThat(n.property("big").orElseThrow().asU64()).isEqualTo(0x1_2345_6789L);
        assertThat(n.property("neg").orElseThrow().asCells()).containsExactly(0xffffffffL, 0xffffffffL);

        assertThatThrownBy(() -> uart.property("compatible").orElseThrow().asString())
                .hasMessageContaining("holds 2 strings");
        assertThatThrownBy(() -> uart.property("reg").orElseThrow().asU32()).hasMessageContaining("holds 4 cells");
        assertThatThrownBy(() -> FdtNode.root().prop("x", new byte[] {1, 2, 3}).property("x").orElseThrow().asCells())
                .hasMessageContaining("not a whole number of 32-bit cells");
        assertThatThrownBy(() -> FdtNode.root().prop("x", new byte[] {'a'}).property("x").orElseThrow().asString())
                .hasMessageContaining("not a NUL-terminated string");
    }

    @Test
    void builderRefusesWhatDtcWouldNot() {
        FdtNode root = FdtNode.root();
        assertThatThrownBy(() -> root.child("a/b")).hasMessageContaining("node name 'a/b' under / is not valid");
        assertThatThrownBy(() -> root.child("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> root.prop("bad name", 1)).hasMessageContaining("property name 'bad name'");
        assertThatThrownBy(() -> root.prop("s", "a\0b")).hasMessageContaining("contains a NUL");
        assertThatThrownBy(() -> root.propCells("c", 0x1_0000_0000L)).hasMessageContaining("does not fit in 32 bits");
        assertThatThrownBy(() -> root.phandle(0)).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Fdt.write(root, List.of(new long[] {1}), 0))
                .hasMessageContaining("{address, size}");
    }

    // --- reading malformed blobs --------------------------------------------------------------

    private static String readFailure(byte[] blob) {
        try {
            Fdt.read(blob);
        } catch (FdtException e) {
            assertThat(e.getMessage()).startsWith("device tree blob: ").doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("expected the blob to be refused");
    }

    private static byte[] with(byte[] blob, int at, int word) {
        byte[] copy = blob.clone();
        ByteBuffer.wrap(copy).putInt(at, word);
        return copy;
    }

    @Test
    void readRefusesMalformedHeaders() {
        byte[] blob = virtBlob();
        assertThat(readFailure(new byte[10])).contains("truncated: the header needs 40 bytes");
        assertThat(readFailure(with(blob, 0, 0x7f454c46))).contains("bad magic 0x7f454c46; expected 0xd00dfeed");
        assertThat(readFailure(Arrays.copyOf(blob, blob.length - 1))).contains("totalsize");
        assertThat(readFailure(with(blob, 20, 2))).contains("version 2");
        assertThat(readFailure(with(blob, 24, 18))).contains("last compatible 18");
        assertThat(readFailure(with(blob, 8, (int) word(blob, 8) + 2))).contains("structure block offset").contains("aligned");
        assertThat(readFailure(with(blob, 32, 0x10000))).contains("strings block").contains("outside");
    }

    @Test
    void readRefusesMalformedStructure() {
        byte[] blob = virtBlob();
        int s = (int) word(blob, 8);
        int sizeStruct = (int) word(blob, 36);
        assertThat(readFailure(with(blob, s, 7))).contains("unknown token 0x7");
        assertThat(readFailure(with(blob, s, 2))).contains("FDT_END_NODE without a matching FDT_BEGIN_NODE");
        assertThat(readFailure(with(blob, s + sizeStruct - 4, 4))).contains("no FDT_END");
        assertThat(readFailure(with(blob, s + sizeStruct - 8, 9))).contains("FDT_END inside node /");
        // The root's first property is #address-cells; point its name past the strings block.
        assertThat(readFailure(with(blob, s + 16, 0x7fff))).contains("property name offset 0x7fff");
        // Its length: past the structure block.
        assertThat(readFailure(with(blob, s + 12, 0x100000))).contains("runs past the structure block");
    }

    @Test
    void readRefusesDuplicatesAndDeepNesting() {
        FdtNode root = FdtNode.root().prop("a", 1).prop("b", 2);
        byte[] blob = Fdt.write(root, List.of(), 0);
        int s = (int) word(blob, 8);
        // Make the second property use the first one's name.
        assertThat(readFailure(with(blob, s + 32, 0))).contains("duplicate property a in /");

        FdtNode deep = FdtNode.root();
        FdtNode n = deep;
        for (int i = 0; i < Fdt.MAX_DEPTH; i++) {
            n = n.child("n");
        }
        assertThat(readFailure(Fdt.write(deep, List.of(), 0))).contains("nested deeper than 64");
    }

    @Test
    void readSkipsNops() throws Exception {
        FdtNode root = FdtNode.root().prop("a", 1);
        root.child("c").propEmpty("e");
        byte[] blob = Fdt.write(root, List.of(), 0);
        int s = (int) word(blob, 8);
        int size = (int) word(blob, 36);
        // Append a NOP before FDT_END by rebuilding the structure block one word longer.
        ByteBuffer bigger = ByteBuffer.allocate(blob.length + 4);
        bigger.put(blob, 0, s + size - 4).putInt(4).putInt(9).put(blob, s + size, blob.length - s - size);
        byte[] withNop = bigger.array();
        ByteBuffer.wrap(withNop).putInt(4, withNop.length).putInt(12, (int) word(blob, 12) + 4).putInt(36, size + 4);

        assertThat(Fdt.read(withNop)).isEqualTo(root);
    }

    @Test
    void malformedBlobsOnlyEverRaiseFdtException() {
        byte[] blob = virtBlob();
        for (int n = 0; n < blob.length; n++) {
            readNeverCrashes(Arrays.copyOf(blob, n));
        }
        Random random = new Random(0xd00dfeedL);
        for (int round = 0; round < 5000; round++) {
            byte[] bad = blob.clone();
            for (int e = 1 + random.nextInt(4); e > 0; e--) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            readNeverCrashes(bad);
        }
    }

    private static void readNeverCrashes(byte[] blob) {
        try {
            Fdt.read(blob);
        } catch (FdtException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        } catch (RuntimeException e) {
            throw new AssertionError("unexpected " + e + " for blob " + HexFormat.of().formatHex(blob), e);
        }
    }

    @Test
    void version16BlobsAreRead() throws Exception {
        byte[] blob = with(virtBlob(), 20, 16);
        assertThat(Fdt.readBlob(blob).version()).isEqualTo(16);
        assertThat(Fdt.read(blob)).isEqualTo(VirtTree.build());
    }

}
