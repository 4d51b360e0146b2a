package brassboard.boards.virt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.UsbAttachment;
import brassboard.devices.storage.block.RawImageBackend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
