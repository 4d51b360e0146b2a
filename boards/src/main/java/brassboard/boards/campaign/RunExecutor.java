package brassboard.boards.campaign;

import brassboard.boards.api.ConfigException;
import brassboard.boards.api.Console;
import brassboard.boards.api.Machine;
import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.FaultPlanException;
import brassboard.boards.faults.FaultSession;
import brassboard.boards.faults.Injection;
import brassboard.boards.watch.LockupDetector;
import brassboard.boards.watch.LockupReport;
import brassboard.boards.yaml.YamlTree;
import brassboard.devices.api.CharBackend;
import brassboard.devices.api.CharSink;
import brassboard.devices.api.CharSource;
import brassboard.devices.uart.PromptPacedInput;
import brassboard.devices.uart.ScriptInput;
import brassboard.firmware.api.ImageException;
import brassboard.firmware.api.SymbolTable;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Runs one machine of a campaign — the golden run or a faulted one — on the calling thread. */
final class RunExecutor {
    /** Injections listed per run in the results. */
    static final int FIRST_FAULTS = 3;

    private final Campaign campaign;
    private final SymbolTable symbols;

    RunExecutor(Campaign campaign, SymbolTable symbols) {
        this.campaign = campaign;
        this.symbols = symbols;
    }

    /** Console output kept up to a cap. */
    private static final class Capture implements CharSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long cap;
        private boolean truncated;

        Capture(long cap) {
            this.cap = cap;
        }

        @Override
        public void write(int b) {
            if (bytes.size() < cap) {
                bytes.write(b);
            } else {
                truncated = true;
            }
        }
    }

    /** A fresh machine of the campaign's board and image with this seed; its console is discarded. */
    Machine machine(long seed) throws CampaignException {
        return build(seed, new Capture(0));
    }

    private Machine build(long seed, Capture capture) throws CampaignException {
        CharSource in;
        PromptPacedInput paced = null;
        if (campaign.input().isEmpty()) {
            in = CharSource.none();
        } else if (campaign.setup().prompt().isPresent()) {
            paced = PromptPacedInput.of(campaign.input(), campaign.setup().prompt().get());
            in = paced;
        } else {
            in = ScriptInput.of(campaign.input());
        }
        try {
            Console console = new Console(CharBackend.of(capture, in));
            if (paced != null) {
                console.addListener(paced);
            }
            return Machine.create(campaign.machineConfig(seed), campaign.setup().boardOptions(), console);
        } catch (ConfigException | ImageException e) {
            throw new CampaignException(campaign.source() + ": " + YamlTree.firstLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Runs {@code plan} (null for the golden run) under {@code seed}. {@code cancelled} is polled as
     * the run goes; when it turns true the run is cut short (its observation is then meaningless).
     */
    RunObservation run(FaultPlan plan, long seed, BooleanSupplier cancelled) throws CampaignException {
        Capture capture = new Capture(campaign.maxOutput());
        Machine machine = build(seed, capture);
        FaultSession session = null;
        if (plan != null) {
            try {
                session = plan.applyTo(machine);
            } catch (FaultPlanException e) {
                throw new CampaignException(e.getMessage());
            }
        }
        LockupDetector lockups = null;
        if (campaign.watchdog().enabled()) {
            lockups = LockupDetector.attach(machine, campaign.watchdog(), symbols, null);
        }
        ExceptionLoopDetector loops = campaign.exceptionLoop() > 0 ? ExceptionLoopDetector.attach(machine, campaign.exceptionLoop()) : null;
        machine.addWatch(now -> {
            if (cancelled.getAsBoolean()) {
                machine.cpus().forEach(c -> c.halt("campaign cancelled"));
            }
        });
        var end = machine.run(campaign.limits());
        machine.tracer().close();
        List<String> lockupLines = new ArrayList<>();
        if (lockups != null) {
            for (LockupReport r : lockups.reports()) {
                lockupLines.add(r.headline());
            }
        }
        long injected = 0;
        List<String> first = new ArrayList<>();
        if (session != null) {
            injected = session.injected();
            List<Injection> all = new ArrayList<>(session.injections());
            all.sort((a, b) -> Long.compare(a.timeNs(), b.timeNs()));
            for (Injection i : all.subList(0, Math.min(FIRST_FAULTS, all.size()))) {
                first.add(String.format("%s %s %s: %s", Machine.formatTime(i.timeNs()), i.point(), i.access(), i.effect()));
            }
        }
        Optional<String> loop = loops == null ? Optional.empty() : loops.found();
        return new RunObservation(end, capture.bytes.toByteArray(), capture.truncated, lockupLines, loop, injected, first);
    }
}
