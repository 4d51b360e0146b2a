package brassboard.boards.campaign;

/**
 * A campaign cannot be loaded or started: a YAML error, an unknown or bad field, a plan that does
 * not fit the machine, a golden run that does not end normally, an output directory holding
 * another campaign's results. The message is one line naming the file, and where it can, the
 * line and the field: {@code gic.yaml: line 7: limits.max-time: '10 parsecs' is not a duration ...}.
 */
public final class CampaignException extends Exception {
    private static final long serialVersionUID = 1L;

    public CampaignException(String message) {
        super(message);
    }
}
