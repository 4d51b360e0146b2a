package brassboard.boards.faults;

import brassboard.boards.api.Machine;
import brassboard.boards.yaml.YamlTree;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fault plan: rules saying where, when, what and how often hardware misbehaves. Load one from
 * YAML ({@link #load(Path)}) or build one in Java ({@link #builder()}), then
 * {@linkplain #applyTo(Machine) apply} it to a machine before its run:
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.builder()
 *     .rule(Rule.at("bus.read").address(0x09000000, 0x09000fff).master("cpu0")
 *               .probability(0.01).action(Action.flip(0x1)).sticky())
 *     .build();
 * FaultSession faults = plan.applyTo(machine);
 * machine.run(limits);
 * System.err.print(faults.report());
 * }</pre>
 *
 * <p>The YAML form is described in {@code docs/faults.md}.
 */
public final class FaultPlan {
    private final String source;
    private final List<Rule> rules;

    private FaultPlan(String source, List<Rule> rules) {
        this.source = source;
        this.rules = List.copyOf(rules);
    }

    /** A builder for a plan made in Java. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads and checks a YAML plan (syntax, fields, values). Whether its points and actions exist
     * is checked by {@link #applyTo(Machine)}.
     *
     * @throws FaultPlanException one line naming the file, and the rule, line and field at fault
     */
    public static FaultPlan load(Path file) throws FaultPlanException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new FaultPlanException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new FaultPlanException(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new FaultPlanException(file + ": cannot read the plan: " + YamlTree.firstLine(String.valueOf(e.getMessage())));
        }
        return parse(text, file.toString());
    }

    /**
     * Reads and checks a YAML plan given as text; {@code source} names it in error messages.
     *
     * @throws FaultPlanException as {@link #load(Path)}
     */
    public static FaultPlan parse(String yaml, String source) throws FaultPlanException {
        YamlTree.Node root;
        try {
            root = YamlTree.parse(yaml, source);
        } catch (YamlTree.Error e) {
            throw new FaultPlanException(e.getMessage());
        }
        if (root == null) {
            throw new FaultPlanException(source + ": the plan is empty; expected a mapping with 'rules:'");
        }
        return new FaultPlan(source, PlanReader.read(root, source));
    }

    /** Where the plan came from (its file), or {@code fault plan} for one built in Java. */
    public String source() {
        return source;
    }

    /** The rules, in plan order (rule 1 first). */
    public List<Rule> rules() {
        return rules;
    }

    /**
     * Checks every rule against the machine's declared fault points and arms the points the
     * plan names. Probabilities draw from one generator seeded from the machine's
     * {@linkplain brassboard.boards.api.MachineConfig#seed() seed}.
     *
     * @throws FaultPlanException a rule names no declared point, or an action its point does not
     *         support; nothing is armed then
     * @throws IllegalStateException the machine already has a plan applied
     */
    public FaultSession applyTo(Machine machine) throws FaultPlanException {
        return new FaultSession(this, machine);
    }

    /** The rules, one per line. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rules.size(); i++) {
            b.append("rule ").append(i + 1).append(": ").append(rules.get(i)).append('\n');
        }
        return b.toString();
    }

    /** Plans are equal when their rules mean the same, whether from YAML or Java. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FaultPlan p && p.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules);
    }

    /** The start of an error line about rule {@code index} (1-based): {@code plan.yaml: rule 2 (line 7): }. */
    static String where(String source, int index, int line) {
        return source + ": rule " + index + (line > 0 ? " (line " + line + ")" : "") + ": ";
    }

    /** Builds a plan in Java. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private String source = "fault plan";

        private Builder() {
        }

        /** What error messages call the plan (default {@code fault plan}). */
        public Builder source(String name) {
            this.source = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Adds a rule (a copy: later changes to {@code rule} do not affect the plan). */
        public Builder rule(Rule rule) {
            rules.add(rule.copy());
            return this;
        }

        /**
         * The plan.
         *
         * @throws IllegalArgumentException a rule has no action or contradicts itself (an empty time window, nth with every)
         */
        public FaultPlan build() {
            for (int i = 0; i < rules.size(); i++) {
                String[] bad = rules.get(i).inconsistency();
                if (bad != null) {
                    throw new IllegalArgumentException(where(source, i + 1, 0) + bad[0] + ": " + bad[1]);
                }
            }
            return new FaultPlan(source, rules);
        }
    }
}
