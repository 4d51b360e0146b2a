package brassboard.boards.trace;

import brassboard.boards.api.Machine;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.SymbolTable;
import brassboard.firmware.elf.ElfImageReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a run can be watched with, wired to one machine: the per-CPU {@link Activity}, a
 * Perfetto JSON trace and the {@link IrqReport}. Attach before {@link Machine#run}, call
 * {@link #finish()} after it.
 */
public final class Observation {
    private final Activity activity;
    private final PerfettoTraceWriter json;
    private final IrqReport report;

    private Observation(Activity activity, PerfettoTraceWriter json, IrqReport report) {
        this.activity = activity;
        this.json = json;
        this.report = report;
    }

    /**
     * Attaches to {@code machine}: spans of {@code spanFunctions} (named from {@code symbols}); a
     * JSON trace to {@code jsonOut} unless it is {@code null} (the machine's tracer feeds it too);
     * the IRQ report when {@code withReport}. Warnings (span names not found) go to {@code warn}.
     */
    public static Observation attach(Machine machine, SymbolTable symbols, List<String> spanFunctions,
                                     OutputStream jsonOut, boolean withReport, Consumer<String> warn) {
        List<ActivityListener> listeners = new ArrayList<>();
        PerfettoTraceWriter json = null;
        if (jsonOut != null) {
            json = new PerfettoTraceWriter(jsonOut, symbols, "brassboard " + machine.config().board());
            machine.tracer().addSink(json);
            listeners.add(json);
        }
        IrqReport report = null;
        if (withReport) {
            report = machine.interruptController()
                    .map(gic -> new IrqReport(gic::inputName))
                    .orElseGet(IrqReport::new);
            listeners.add(report);
            for (var cpu : machine.cpus()) {
                report.expect(cpu.cpuId());
            }
        }
        Activity activity = Activity.attach(machine, symbols, spanFunctions, listeners, warn);
        return new Observation(activity, json, report);
    }

    /** Ends open slices at the current virtual time and completes the JSON trace. Idempotent. */
    public void finish() {
        activity.finish();
        if (json != null) {
            json.close();
        }
    }

    public Activity activity() {
        return activity;
    }

    /** The report's figures, if it was asked for (complete after {@link #finish()}). */
    public Optional<IrqReport.Summary> report() {
        return Optional.ofNullable(report).map(IrqReport::summary);
    }

    /**
     * The symbols of {@code image} when it is an ELF with a symbol table, else an empty table
     * (a raw binary, a stripped ELF, or an unreadable file: symbols are optional).
     */
    public static SymbolTable imageSymbols(Path image) {
        try {
            byte[] bytes = Files.readAllBytes(image);
            if (!ElfImageReader.hasElfMagic(bytes)) {
                return SymbolTable.empty();
            }
            var list = ElfImageReader.readSymbols(image, bytes);
            return list.isEmpty() ? SymbolTable.empty() : new SymbolTable(image, list);
        } catch (IOException | ImageException e) {
            return SymbolTable.empty();
        }
    }
}
