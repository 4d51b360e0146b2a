package brassboard.bus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressSpaceTest {
    private final Scheduler clock = new Scheduler();
    private final Tracer tracer = new Tracer(clock);
    private final FaultPoints faults = new FaultPoints();
    private final AddressSpace bus = new AddressSpace(tracer, faults);

    @Test
    void ramReadsBackLittleEndianInEverySize() {
        bus.map(0x4000_0000L, new Ram("ram", 0x10000));
        assertThat(bus.write(0x4000_0010L, 4, 0x11223344L, 0)).isTrue();
        assertThat(bus.read(0x4000_0010L, 1, 0)).isEqualTo(0x44);
        assertThat(bus.read(0x4000_0011L, 2, 0)).isEqualTo(0x2233);
        assertThat(bus.read(0x4000_0010L, 4, 0)).isEqualTo(0x11223344L);
        bus.write(0x4000_0020L, 8, 0x8877665544332211L, 0);
        assertThat(bus.read(0x4000_0020L, 8, 0)).isEqualTo(0x8877665544332211L);
        assertThat(bus.read(0x4000_0024L, 4, 0)).isEqualTo(0x88776655L);
    }

    @Test
    void overlappingRegionsAreRejectedNamingBoth() {
        bus.map(0x0900_0000L, new Ram("uart0", 0x1000));
        assertThatThrownBy(() -> bus.map(0x0900_0000L, new Ram("rtc", 0x2000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region 'rtc' [0x09000000-0x09001fff] overlaps region 'uart0' [0x09000000-0x09000fff]");
        assertThatThrownBy(() -> bus.map(0x08FF_F000L, new Ram("gic", 0x2000)))
                .hasMessageContaining("overlaps region 'uart0'");
        bus.map(0x0900_1000L, new Ram("rtc", 0x1000));
        assertThat(bus.mappings()).hasSize(2);
    }

    @Test
    void everyPageFindsItsRegionOnFirstLookupAndAfter() {
        Ram low = new Ram("low", 0x3000);
        Ram high = new Ram("high", 0x1000);
        bus.map(0x0800_0000L, low);
        // a page looked up while still unmapped is found once a region is mapped there
        assertThat(bus.mappingAt(0xFFFF_F000L)).isNull();
        bus.map(0xFFFF_F000L, high);
        for (int pass = 0; pass < 2; pass++) { // the first lookup fills the table, the second reads it
            assertThat(bus.mappingAt(0x07FF_FFFFL)).isNull();
            assertThat(bus.mappingAt(0x0800_0000L).region()).isSameAs(low);
            assertThat(bus.mappingAt(0x0800_2FFFL).region()).isSameAs(low);
            assertThat(bus.mappingAt(0x0800_3000L)).isNull();
            assertThat(bus.mappingAt(0xFFFF_FFFFL).region()).isSameAs(high);
            assertThat(bus.mappingAt(0x1_0000_0000L)).isNull();
            assertThat(bus.mappingAt(-1L)).isNull();
        }
        assertThat(bus.mappings()).extracting(m -> m.region().name()).containsExactly("low", "high");
        assertThat(bus.write(0xFFFF_FFFCL, 4, 0xCAFEL, 0)).isTrue();
        assertThat(bus.read(0xFFFF_FFFCL, 4, 0)).isEqualTo(0xCAFEL);
    }

    @Test
    void misalignedOrOversizedRegionsAreRejected() {
        assertThatThrownBy(() -> bus.map(0x100L, new Ram("odd", 0x1000))).hasMessageContaining("not aligned to 4 KiB");
        assertThatThrownBy(() -> bus.map(0xFFFF_F000L, new Ram("big", 0x2000))).hasMessageContaining("outside the 32-bit");
    }

    @Test
    void unmappedAccessIsABusErrorAndIsTraced() {
        StringWriter out = new StringWriter();
        tracer.addSink(new TextTraceSink(out));
        bus.map(0x4000_0000L, new Ram("ram", 0x1000));
        assertThat(bus.read(0x2000_0000L, 4, Masters.cpu(0))).isEqualTo(MemoryBus.BUS_ERROR);
        assertThat(bus.write(0x2000_0000L, 4, 1, Masters.DMA_BASE)).isFalse();
        // running off the end of a region is a bus error too
        assertThat(bus.read(0x4000_0FFEL, 4, 0)).isEqualTo(MemoryBus.BUS_ERROR);
        tracer.close();
        assertThat(out.toString())
                .contains("bus.unmapped")
                .contains("cpu0 read of 4 bytes at 0x20000000")
                .contains("dma0 write of 4 bytes at 0x20000000");
    }

    @Test
    void romIgnoresWritesButLoads() {
        List<String> warnings = new ArrayList<>();
        tracer.setWarningListener(warnings::add);
        bus.map(0, new Rom("flash0", 0x1000, tracer));
        bus.load(0x10, new byte[] {1, 2, 3, 4});
        assertThat(bus.read(0x10, 4, 0)).isEqualTo(0x04030201L);
        assertThat(bus.write(0x10, 4, 0, 0)).isTrue();
        bus.write(0x14, 4, 0, 0);
        assertThat(bus.read(0x10, 4, 0)).isEqualTo(0x04030201L);
        assertThat(warnings).hasSize(1).first().asString().contains("read-only");
    }

    @Test
    void aLoadSpanningTwoRegionsLandsInBoth() {
        bus.map(0x4000_0000L, new Ram("a", 0x1000));
        bus.map(0x4000_1000L, new Rom("b", 0x1000, tracer));
        byte[] data = new byte[0x20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i + 1);
        }
        bus.load(0x4000_0FF0L, data);
        assertThat(bus.read(0x4000_0FF0L, 4, 0)).isEqualTo(0x04030201L);
        assertThat(bus.read(0x4000_0FFCL, 4, 0)).isEqualTo(0x100F0E0DL);
        assertThat(bus.read(0x4000_1000L, 4, 0)).isEqualTo(0x14131211L);
        assertThat(bus.read(0x4000_100CL, 4, 0)).isEqualTo(0x201F1E1DL);
        assertThat(bus.read(0x4000_1010L, 4, 0)).isEqualTo(0);
    }

    @Test
    void loadAcrossAGapFailsClearly() {
        bus.map(0x4000_0000L, new Ram("ram", 0x1000));
        assertThatThrownBy(() -> bus.load(0x4000_0FFEL, new byte[4])).hasMessageContaining("nothing is mapped at 0x40001000");
    }

    @Test
    void devicesCannotBeLoaded() {
        bus.map(0x0900_0000L, new MmioRegion("uart0", 0x1000, new MmioDevice() {
            @Override
            public long read(long offset, int size) {
                return 0;
            }

            @Override
            public boolean write(long offset, int size, long value) {
                return true;
            }
        }));
        assertThatThrownBy(() -> bus.load(0x0900_0000L, new byte[4])).hasMessageContaining("'uart0' is a device");
    }

    @Test
    void armedFaultPointsSeeAccessesAndMayAlterThem() {
        bus.map(0x4000_0000L, new Ram("ram", 0x1000));
        bus.write(0x4000_0000L, 4, 0xF0L, 0);
        FaultPoint read = faults.find("bus.read").orElseThrow();
        assertThat(read.actions()).contains("error", "flip");
        faults.arm(read, (p, site) -> {
            if (site.address == 0x4000_0000L) {
                site.value ^= 1;
                site.delayNs = 5;
            }
        });
        assertThat(bus.read(0x4000_0000L, 4, 0)).isEqualTo(0xF1L);
        assertThat(bus.read(0x4000_0000L, 4, Masters.DEBUG)).isEqualTo(0xF0L);
        assertThat(bus.drainFaultStallNs()).isEqualTo(5);
        FaultPoint write = faults.find("bus.write").orElseThrow();
        faults.arm(write, (p, site) -> site.dropped = true);
        assertThat(bus.write(0x4000_0000L, 4, 0, 0)).isTrue();
        faults.disarmAll();
        assertThat(bus.read(0x4000_0000L, 4, 0)).isEqualTo(0xF0L);
        assertThatThrownBy(() -> faults.declare("bus.read", "again")).hasMessageContaining("declared twice");
    }
}
