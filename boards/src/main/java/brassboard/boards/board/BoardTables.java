package brassboard.boards.board;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A board's memory map, IRQ map and the catalogue as text tables, for {@code brassboard board show}
 * and {@code brassboard devices}.
 */
public final class BoardTables {
    private BoardTables() {
    }

    /** The board's memory map then its IRQ map, RAM shown at {@code ramBytes}. */
    public static String show(BoardDescription board, long ramBytes) {
        StringBuilder sb = new StringBuilder();
        String title = board.source().startsWith(board.name() + " ") ? board.source() : board.name() + " (" + board.source() + ")";
        sb.append(title).append(": ").append(board.model()).append(", 1 to ")
                .append(board.maxCpus()).append(" x ").append(board.cpuModel()).append('\n');
        sb.append("\nmemory map\n");
        record Row(long base, long last, String kind, String name, String note) {
        }
        List<Row> rows = new ArrayList<>();
        for (BoardDescription.Memory m : board.memories()) {
            long size = m.isRam() ? ramBytes : m.size();
            rows.add(new Row(m.base(), m.base() + size - 1, m.kind(), m.name(), m.isRam() ? Param.human(ramBytes) + " (--ram, up to "
                    + Param.human(Math.min(m.max(), BoardBuilder.RAM_MAX)) + ")" : m.file() == null ? "" : m.file().toString()));
        }
        for (DeviceSpec d : board.allDevices()) {
            for (DeviceSpec.Region r : d.windows().values()) {
                rows.add(new Row(r.base(), r.last(), d.type().name(), r.name(), when(d)));
            }
        }
        rows.sort(Comparator.comparingLong(Row::base));
        for (Row r : rows) {
            sb.append(String.format("  0x%08x-0x%08x  %-14s %-12s %s", r.base(), r.last(), r.kind(), r.name(), r.note()).stripTrailing())
                    .append('\n');
        }
        sb.append("\nIRQ map (SPI n = GIC INTID 32+n; PPI n = INTID 16+n, on every core)\n");
        record Irq(String controller, String kind, int first, int count, String source, String note) {
        }
        List<Irq> irqs = new ArrayList<>();
        String controller = board.allDevices().stream().filter(d -> d.type().isInterruptController()).map(DeviceSpec::name).findFirst().orElse("?");
        for (DeviceSpec d : board.allDevices()) {
            for (Map.Entry<String, DeviceSpec.IrqTarget> e : d.irqs().entrySet()) {
                DeviceSpec.IrqTarget t = e.getValue();
                irqs.add(new Irq(t.device() == null ? controller : t.device(), t.input(), t.first(), t.count(), d.name() + "." + e.getKey(), when(d)));
            }
        }
        irqs.sort(Comparator.comparing((Irq i) -> !i.controller().equals(controller)).thenComparing(Irq::controller)
                .thenComparing(i -> i.kind().equals("spi") ? 0 : i.kind().equals("ppi") ? 1 : 2).thenComparing(Irq::kind).thenComparingInt(Irq::first));
        for (Irq i : irqs) {
            String num = i.count() == 1 ? Integer.toString(i.first()) : i.first() + "-" + (i.first() + i.count() - 1);
            boolean numbered = i.kind().equals("spi") || i.kind().equals("ppi");
            String input = numbered ? i.kind().toUpperCase(Locale.ROOT) + " " + num : i.kind();
            sb.append(String.format("  %-10s %-10s %-22s %s", i.controller(), input, i.source(), i.note()).stripTrailing()).append('\n');
        }
        List<DeviceSpec> onBuses = board.allDevices().stream().filter(d -> d.position() >= 0).toList();
        if (!onBuses.isEmpty()) {
            sb.append("\nbuses\n");
            for (DeviceSpec d : onBuses) {
                String where = switch (d.type().bus()) {
                    case SPI -> "chip select " + d.position();
                    case USB -> "port " + d.position();
                    default -> String.format("slot %d (00:%02x.0)", d.position(), d.position());
                };
                sb.append(String.format("  %-10s %-18s %-12s %-14s %s", d.parent(), where, d.name(), d.type().name(), when(d)).stripTrailing())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String when(DeviceSpec d) {
        return d.when().map(w -> "(with --" + w + ")").orElse("");
    }

    /** Every device type: what it is, where it sits, its windows, parameters, outputs and fault points. */
    public static String catalogue(Catalogue catalogue) {
        StringBuilder sb = new StringBuilder();
        for (DeviceType t : catalogue.types()) {
            sb.append(t.name()).append(": ").append(t.summary()).append('\n');
            String where = switch (t.bus()) {
                case SYSTEM -> "system bus";
                case NONE -> "board feature (no registers)";
                case SPI -> "an SPI chip select (cs: N, under an SPI controller's devices:)";
                case PCI -> "a PCIe slot (slot: N, under a host bridge's devices:)";
                case USB -> "a USB root port (port: N, under a USB host controller's devices:)";
            };
            sb.append("  sits on:      ").append(where).append('\n');
            if (t.offers() != null) {
                sb.append("  offers:       ").append(switch (t.offers()) {
                    case SPI -> "SPI chip selects";
                    case USB -> "USB root ports";
                    default -> "PCIe slots";
                }).append(' ')
                        .append(t.firstPosition()).append(" and up").append('\n');
            }
            for (DeviceType.Window w : t.windows()) {
                sb.append(String.format("  window %-6s %s to %s%s: %s%n", w.name(), Param.human(w.minSize()), Param.human(w.maxSize()),
                        w.powerOfTwo() ? ", a power of two" : "", w.doc()));
            }
            for (Param p : t.params()) {
                sb.append(String.format("  param %-14s %s: %s%n", p.name(), p.describe(), p.doc()));
            }
            if (!t.irqOutputs().isEmpty()) {
                sb.append("  irq outputs:  ").append(String.join(", ", t.irqOutputs())).append('\n');
            }
            if (t.inputsDoc() != null) {
                sb.append("  irq inputs:   ").append(t.inputsDoc()).append(" (wire an output to NAME.INPUT)").append('\n');
            }
            if (!t.faultPoints().isEmpty()) {
                sb.append("  fault points: ").append(String.join(", ", t.faultPoints())).append('\n');
            }
        }
        return sb.toString();
    }
}
