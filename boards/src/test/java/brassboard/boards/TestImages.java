package brassboard.boards;

import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.api.MachineConfig;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.CaptureSink;
import brassboard.devices.uart.ScriptInput;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed sample images and a machine whose console is captured. */
public final class TestImages {
    private TestImages() {
    }

    /** {@code firmware/images/NAME} in this checkout (tests run in the module directory). */
    public static Path image(String name) {
        Path p = Path.of("..", "firmware", "images", name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("sample image " + p.toAbsolutePath() + " is missing");
        }
        return p;
    }

    /** A machine and its captured console output. */
    public record Rig(Machine machine, CaptureSink output) {
        public String text() {
            return output.text();
        }
    }

    public static Rig rig(MachineConfig config, String input) throws Exception {
        CaptureSink out = new CaptureSink();
        CharSource in = input == null ? CharSource.none() : ScriptInput.of(input);
        Machine m = Machine.create(config, new Console(CharBackend.of(out, in)));
        return new Rig(m, out);
    }

    /**
     * A raw image of A32 {@code words} (little-endian) written to {@code dir/prog.bin}, as a virt
     * machine's configuration that loads and starts it at {@code base}.
     */
    public static MachineConfig program(Path dir, long base, int... words) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(words.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        Path f = Files.write(dir.resolve("prog.bin"), b.array());
        return MachineConfig.of(f).withLoadAddress(java.util.OptionalLong.of(base));
    }

    public static Rig rig(String image) throws Exception {
        return rig(MachineConfig.of(image(image)), null);
    }
}
