package brassboard.boards.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import brassboard.boards.api.BoardOptions;
import brassboard.boards.api.ConfigException;
import brassboard.boards.api.MachineConfig;
import brassboard.bus.api.AddressSpace;
import brassboard.bus.api.FaultPoints;
import brassboard.bus.api.IrqLine;
import brassboard.bus.api.IrqSink;
import brassboard.bus.api.Scheduler;
import brassboard.bus.api.Tracer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The wired-OR combiner: an interrupt output wired to another device's input. */
class IrqOrTest {
    private static final String BOARD = BoardReaderTest.BASE + """
              - {name: shared, type: irq-or, inputs: 3, irq: spi 7}
              - {name: uart1, type: pl011, base: 0x09001000, irq: shared.in0, clock: clk}
              - {name: uart2, type: pl011, base: 0x09002000, irq: shared.in2, clock: clk}
            """;

    @Test
    void theOutputIsHighWhileAnyInputIs() throws Exception {
        BoardDescription b = BoardReader.parse(BOARD, "or.yaml", null, Catalogue.standard());
        Scheduler scheduler = new Scheduler();
        Tracer tracer = new Tracer(scheduler);
        FaultPoints faults = new FaultPoints();
        BuildContext ctx = new BuildContext(b, MachineConfig.of(Path.of("x.elf")), BoardOptions.none(), null, scheduler, tracer, faults,
                new AddressSpace(tracer, faults));
        DeviceSpec or = b.device("shared").orElseThrow();
        or.type().factory().build(ctx, or);
        IrqLine out = ctx.output("shared", "out");
        IrqSink in0 = ctx.inputs("shared").apply(b.device("uart1").orElseThrow().irq("intr"));
        IrqSink in2 = ctx.inputs("shared").apply(b.device("uart2").orElseThrow().irq("intr"));
        IrqLine a = new IrqLine("a", tracer);
        IrqLine c = new IrqLine("c", tracer);
        a.connect(in0);
        c.connect(in2);
        assertThat(out.level()).isFalse();
        a.raise();
        assertThat(out.level()).isTrue();
        c.raise();
        a.lower();
        assertThat(out.level()).as("in2 still high").isTrue();
        c.lower();
        assertThat(out.level()).isFalse();
        assertThat(faults.find("irq.shared")).isPresent();
    }

    @Test
    void theTreeNamesTheControllersInputAndBadInputsAreRefused() throws Exception {
        BoardDescription b = BoardReader.parse(BOARD, "or.yaml", null, Catalogue.standard());
        var root = DeviceTreeWriter.tree(b, 16L << 20, 1, 0, java.util.Set.of());
        assertThat(root.find("/pl011@9001000").orElseThrow().property("interrupts").orElseThrow().asCells()).containsExactly(0, 7, 4);
        assertThat(root.find("/pl011@9002000").orElseThrow().property("interrupts").orElseThrow().asCells()).containsExactly(0, 7, 4);
        assertThatThrownBy(() -> BoardReader.parse(BOARD.replace("shared.in2", "shared.in3"), "or.yaml", null, Catalogue.standard()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("or.yaml: line 15: devices[uart2].irqs.intr: 'shared.in3': shared (irq-or) has no input 'in3'; expected in0 .. inN-1");
        assertThatThrownBy(() -> BoardReader.parse(BOARD.replace("shared.in2", "shared.in0"), "or.yaml", null, Catalogue.standard()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("or.yaml: line 15: devices[uart2].irqs.intr: shared in0 is wired twice: to uart1.intr (line 14) and to uart2.intr");
    }
}
