package brassboard.boards.board.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.UsbAttachment;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import brassboard.bus.pcie.EcamHostBridge;
import brassboard.bus.usb.ehci.Ehci;
import brassboard.devices.storage.ata.BadSectors;
import brassboard.devices.storage.block.RawImageBackend;
import brassboard.devices.storage.bridge.JMicron;
import brassboard.devices.storage.bridge.SuperTop;
import brassboard.devices.storage.bridge.WedgeTrigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbWiringTest {
    private static final Path DISK = Path.of("disk.img");

    @Test
    void portsGivenAreKeptAndTheRestTakeTheLowestFreeInOrder() throws Exception {
        List<UsbAttachment> devices = List.of(UsbAttachment.storage(DISK), UsbAttachment.storage(DISK).onPort(1),
                UsbAttachment.storage(DISK), UsbAttachment.storage(DISK).onPort(3));
        assertThat(UsbWiring.assignPorts(devices)).containsExactly(2, 1, 4, 3);
    }

    @Test
    void parseReadsEveryKeyAndPrintsBackTheSameSpec() throws Exception {
        UsbAttachment a = UsbAttachment.parse("storage,disk=/tmp/x.img,write-through,port=4");
        assertThat(a.disk()).isEqualTo(Path.of("/tmp/x.img"));
        assertThat(a.mode()).isEqualTo(RawImageBackend.Mode.WRITE_THROUGH);
        assertThat(a.port()).hasValue(4);
        assertThat(a).hasToString("storage,disk=/tmp/x.img,write-through,port=4");
        assertThat(UsbAttachment.parse("storage,disk=a.img").mode()).isEqualTo(RawImageBackend.Mode.COPY_ON_WRITE);
        assertThat(UsbAttachment.parse("storage,readonly,disk=a.img").mode()).isEqualTo(RawImageBackend.Mode.READ_ONLY);
        assertThatThrownBy(() -> UsbAttachment.parse("storage,disk=a.img,disk=b.img")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("disk= given twice");
        assertThatThrownBy(() -> UsbAttachment.storage(DISK).onPort(7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bridgesAndDiskOptionsParseAndPrintBack() throws Exception {
        UsbAttachment s = UsbAttachment.parse("supertop,disk=a.img,port=2,bad=100-199+300,bad-read=5-6,bad-write=7,"
                + "retry-time=2s,wedge-pattern=deadbeef@8,wedge-after=630M,return-after=5s");
        assertThat(s.kind()).isEqualTo(UsbAttachment.Kind.SUPERTOP);
        assertThat(s.defects().unreadable()).containsExactly(new BadSectors.Range(100, 199), new BadSectors.Range(300, 300),
                new BadSectors.Range(5, 6));
        assertThat(s.defects().unwritable()).containsExactly(new BadSectors.Range(100, 199), new BadSectors.Range(300, 300),
                new BadSectors.Range(7, 7));
        assertThat(s.defects().retryNs()).hasValue(2_000_000_000L);
        assertThat(s.wedge().pattern().orElseThrow()).containsExactly(0xDE, 0xAD, 0xBE, 0xEF);
        assertThat(s.wedge().sectorOffset()).isEqualTo(8);
        assertThat(s.wedge().afterBytes()).isEqualTo(630L << 20);
        assertThat(s.wedge().returnAfterNs()).isEqualTo(5_000_000_000L);
        assertThat(UsbAttachment.parse(s.toString())).hasToString(s.toString());
        assertThat(s).hasToString("supertop,disk=a.img,port=2,bad=100-199+300-300,bad-read=5-6,bad-write=7-7,"
                + "retry-time=2000000000ns,wedge-pattern=deadbeef@8,wedge-after=660602880,return-after=5000000000ns");
        BadSectors medium = s.defects().medium();
        assertThat(medium.unreadable(150) && medium.unwritable(150) && medium.unreadable(6) && !medium.unwritable(6)).isTrue();
        assertThat(medium.retryNs()).isEqualTo(2_000_000_000L);
        UsbAttachment j = UsbAttachment.parse("jmicron,disk=b.img,bad=1-2,bad=9");
        assertThat(j.kind()).isEqualTo(UsbAttachment.Kind.JMICRON);
        assertThat(j.defects().unreadable()).hasSize(2);
        assertThat(j.wedge()).isEqualTo(WedgeTrigger.NONE);
        assertThat(UsbAttachment.parse("storage,disk=c.img,bad-read=4").defects().lastLba()).isEqualTo(4);
    }

    @Test
    void badBridgeAndDiskOptionsAreOneLineNamingTheKey() {
        String[][] cases = {
            {"jmicron,disk=a.img,wedge-after=1M", "wedge-after= applies to supertop only"},
            {"storage,disk=a.img,wedge-pattern=00", "wedge-pattern= applies to supertop only"},
            {"supertop,disk=a.img,bad=9-3", "bad: '9-3' ends before it starts"},
            {"supertop,disk=a.img,bad=x", "bad: 'x' is not an LBA range"},
            {"supertop,disk=a.img,bad-read=", "bad-read= needs LBA ranges"},
            {"supertop,disk=a.img,bad-write=1-2-3", "bad-write: '1-2-3' is not an LBA range"},
            {"supertop,disk=a.img,retry-time=7", "retry-time: '7' is not a duration"},
            {"supertop,disk=a.img,retry-time=1s,retry-time=2s", "retry-time= given twice"},
            {"supertop,disk=a.img,wedge-pattern=xyz", "wedge-pattern: 'xyz' is not hex bytes"},
            {"supertop,disk=a.img,wedge-pattern=abc", "'abc' is not hex bytes"},
            {"supertop,disk=a.img,wedge-pattern=aabb@511", "offset '511' does not fit"},
            {"supertop,disk=a.img,wedge-pattern=aa@x", "offset 'x' does not fit"},
            {"supertop,disk=a.img,wedge-pattern=aa,wedge-pattern=bb", "wedge-pattern= given twice"},
            {"supertop,disk=a.img,wedge-after=lots", "wedge-after: 'lots' is not a size"},
            {"supertop,disk=a.img,wedge-after=0", "wedge-after=0"},
            {"supertop,disk=a.img,return-after=soon", "return-after: 'soon' is not a duration"},
            {"floppy,disk=a.img", "unknown device kind 'floppy'; expected storage|supertop|jmicron"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> UsbAttachment.parse(c[0])).as(c[0]).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("--usb " + c[0] + ": ").hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void theBoardBuildsEachBridgeOverItsBadSectorsAndNamesThemForFaultPlans(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("d.img"), new byte[128 * 512]);
        Scheduler sched = new Scheduler();
        Tracer tracer = new Tracer(sched);
        AddressSpace bus = new AddressSpace(tracer, new FaultPoints());
        UsbWiring w = UsbWiring.attach(List.of(
                UsbAttachment.parse("supertop,disk=" + image + ",bad=10-12,retry-time=1ms,wedge-after=1M,port=2"),
                UsbAttachment.parse("jmicron,disk=" + image),
                UsbAttachment.parse("storage,disk=" + image + ",bad-read=5")),
                UsbWiring.VIRT, new EcamHostBridge("pcie", 16, tracer), sched, tracer, bus, new FaultPoints());
        assertThat(w.bridges().keySet()).containsExactly("usb2", "usb1");
        assertThat(w.bridges().get("usb2")).isInstanceOf(SuperTop.class);
        assertThat(((SuperTop) w.bridges().get("usb2")).trigger().afterBytes()).isEqualTo(1L << 20);
        assertThat(w.bridges().get("usb1")).isInstanceOf(JMicron.class);
        assertThat(w.ehci().controller().port(1).device()).isSameAs(w.bridges().get("usb2").device());
        assertThat(w.ehci().controller().port(2).device().descriptors().device().idVendor()).as("the stick").isEqualTo(0x46f4);
        assertThat(w.badSectors().keySet()).containsExactly("usb2", "usb3");
        BadSectors st = w.badSectors().get("usb2");
        assertThat(st.unreadable(11) && st.unwritable(12) && !st.unreadable(13)).isTrue();
        assertThat(st.retryNs()).isEqualTo(1_000_000L);
        assertThat(w.bridges().get("usb2").disk().identity()).isEqualTo(UsbWiring.BRIDGE_DISK);
        st.addUnreadable(100, 101); // as a fault plan grows them
        assertThat(st.counts().unreadable()).isEqualTo(5);
        w.bridges().get("usb2").wedge(); // as a fault plan forces it
        sched.step(1);
        assertThat(w.ehci().controller().port(1).portsc() & Ehci.PORT_CCS).isZero();
        assertThatThrownBy(() -> UsbWiring.attach(List.of(UsbAttachment.parse("jmicron,disk=" + image + ",bad-write=128")),
                UsbWiring.VIRT, new EcamHostBridge("pcie", 16, tracer), sched, tracer, bus, new FaultPoints()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad sector 128 lies beyond the disk's 128 sectors");
    }

    @Test
    void descriptorsFromAFileParseAndPrintBackForBridgesOnly() throws Exception {
        UsbAttachment j = UsbAttachment.parse("jmicron,disk=b.img,descriptors=desk.yaml,port=3");
        assertThat(j.descriptors()).hasValue(Path.of("desk.yaml"));
        assertThat(j).hasToString("jmicron,disk=b.img,port=3,descriptors=desk.yaml");
        assertThat(UsbAttachment.parse(j.toString())).isEqualTo(j);
        assertThat(j.onPort(4).withMode(RawImageBackend.Mode.READ_ONLY).descriptors()).hasValue(Path.of("desk.yaml"));
        assertThatThrownBy(() -> UsbAttachment.parse("storage,disk=a.img,descriptors=d.yaml")).isInstanceOf(ConfigException.class)
                .hasMessage("--usb storage,disk=a.img,descriptors=d.yaml: descriptors= applies to the bridges (supertop, jmicron), not to storage");
        assertThatThrownBy(() -> UsbAttachment.parse("supertop,disk=a.img,descriptors=")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("descriptors= needs a file, as 'brassboard usb capture VID:PID' writes it");
        assertThatThrownBy(() -> UsbAttachment.parse("supertop,disk=a.img,descriptors=a,descriptors=b")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("descriptors= given twice");
    }
}
