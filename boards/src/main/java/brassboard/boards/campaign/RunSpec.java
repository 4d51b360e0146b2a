package brassboard.boards.campaign;

import brassboard.boards.faults.FaultPlan;
import brassboard.boards.faults.Rule;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One run of a campaign: a fault plan under a seed.
 *
 * @param index  its place in the campaign's run list (0 is the first)
 * @param id     unique in the campaign: {@code PLAN#SEED}
 * @param planId the plan's id (a plan file's name without {@code .yaml}, an inline plan's name,
 *               or {@code GENERATOR/0xADDRESS/bitNN} for a generated one)
 * @param seed   the run's seed
 * @param plan   the plan
 * @param group  what the summary groups the run under besides its point/action: the generator and
 *               register ({@code gicd 0x08000100}), or the plan id
 */
public record RunSpec(int index, String id, String planId, long seed, FaultPlan plan, String group) {
    /** {@code PLAN#SEED}. */
    static String idOf(String planId, long seed) {
        return planId + "#" + seed;
    }

    /** The plan's fault points and actions: {@code bus.write flip}, or several joined by {@code  + }. */
    public String pointAction() {
        Set<String> parts = new LinkedHashSet<>();
        for (Rule r : plan.rules()) {
            parts.add(r.point() + " " + r.action().name());
        }
        return parts.isEmpty() ? "(no rules)" : String.join(" + ", parts);
    }
}
