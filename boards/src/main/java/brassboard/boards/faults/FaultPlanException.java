package brassboard.boards.faults;

/**
 * A fault plan cannot be loaded or applied: a YAML syntax error, an unknown field, a value out of
 * range, a point or action the machine does not have. The message is one line naming the file,
 * the rule (index and line) and the field, for example
 * {@code plan.yaml: rule 2 (line 8): when.probability: 1.5 is outside [0, 1]}.
 */
public final class FaultPlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public FaultPlanException(String message) {
        super(message);
    }
}
