package brassboard.boards.campaign;

import brassboard.boards.yaml.YamlTree;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The result of one run: one line of {@code results.jsonl}. Nothing in it depends on the host (no
 * wall-clock times), so the same campaign gives the same records whatever {@code --jobs} is.
 *
 * @param id            {@code PLAN#SEED}, unique in the campaign
 * @param plan          the plan's id
 * @param seed          the run's seed
 * @param group         the summary group (generator and register, or the plan id)
 * @param pointAction   the plan's fault points and actions ({@code bus.write flip})
 * @param planDigest    a digest of the plan's rules: a record counts for a run only when the plan is unchanged
 * @param outcome       the classification
 * @param reason        why, in a few words
 * @param end           how the machine's run ended ({@code power_off}, {@code firmware_exit}, {@code limit}, {@code lockup}, {@code unsupported})
 * @param exit          the run's exit status (as {@code brassboard run} would return it)
 * @param virtualTimeNs virtual time at the end
 * @param instructions  instructions retired by all cores
 * @param faults        faults injected
 * @param firstFaults   the first few injections
 * @param outputBytes   console output length (capped at max-output)
 * @param divergence    where the output first differs from the golden run's, if it does
 */
public record RunRecord(String id, String plan, long seed, String group, String pointAction, String planDigest,
                        Outcome outcome, String reason, String end, int exit, long virtualTimeNs, long instructions,
                        long faults, List<String> firstFaults, long outputBytes, Optional<Divergence> divergence) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunRecord {
        firstFaults = List.copyOf(firstFaults);
    }

    /** One line of JSON (no line end), fields in a fixed order. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("plan", plan);
        o.put("seed", seed);
        o.put("group", group);
        o.put("point", pointAction);
        o.put("planDigest", planDigest);
        o.put("outcome", outcome.label());
        o.put("reason", reason);
        o.put("end", end);
        o.put("exit", exit);
        o.put("virtualTimeNs", virtualTimeNs);
        o.put("instructions", instructions);
        o.put("faults", faults);
        ArrayNode first = o.putArray("firstFaults");
        firstFaults.forEach(first::add);
        o.put("outputBytes", outputBytes);
        if (divergence.isPresent()) {
            Divergence d = divergence.get();
            ObjectNode dn = o.putObject("divergence");
            dn.put("offset", d.offset());
            dn.put("line", d.line());
            dn.put("column", d.column());
            dn.put("expected", d.expected());
            dn.put("actual", d.actual());
        } else {
            o.putNull("divergence");
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a line written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException not such a line (a line cut short by a crash, say)
     */
    public static RunRecord fromJson(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            List<String> first = new ArrayList<>();
            o.required("firstFaults").forEach(n -> first.add(n.asText()));
            JsonNode d = o.required("divergence");
            Optional<Divergence> div = d.isNull() ? Optional.empty() : Optional.of(new Divergence(d.required("offset").asLong(),
                    d.required("line").asInt(), d.required("column").asInt(), d.required("expected").asText(), d.required("actual").asText()));
            return new RunRecord(o.required("id").asText(), o.required("plan").asText(), o.required("seed").asLong(),
                    o.required("group").asText(), o.required("point").asText(), o.required("planDigest").asText(),
                    Outcome.ofLabel(o.required("outcome").asText()), o.required("reason").asText(), o.required("end").asText(),
                    o.required("exit").asInt(), o.required("virtualTimeNs").asLong(), o.required("instructions").asLong(),
                    o.required("faults").asLong(), first, o.required("outputBytes").asLong(), div);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a result line: " + YamlTree.firstLine(String.valueOf(e.getMessage())), e);
        }
    }
}
