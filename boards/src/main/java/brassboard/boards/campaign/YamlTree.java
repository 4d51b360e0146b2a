package brassboard.boards.campaign;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree in which every node knows where it starts and ends in the text
 * (so errors name lines, and an inline fault plan can be cut out of the campaign file with its
 * line numbers intact). Scalars keep their source text.
 */
final class YamlTree {
    private YamlTree() {
    }

    /** A position in the text: 1-based line and column. */
    record Pos(int line, int column) {
        static Pos of(JsonLocation l) {
            return new Pos(l.getLineNr(), l.getColumnNr());
        }
    }

    sealed interface Node permits MapNode, ListNode, Scalar {
        Pos start();

        /** Where the node's last scalar starts (a block collection ends on that line). */
        Pos end();

        default int line() {
            return start().line();
        }
    }

    /** A mapping; {@code keys} holds the position of each key. */
    record MapNode(Pos start, Pos end, Map<String, Node> entries, Map<String, Pos> keys) implements Node {
        Node get(String key) {
            return entries.get(key);
        }

        int keyLine(String key) {
            Pos p = keys.get(key);
            return p == null ? start.line() : p.line();
        }
    }

    record ListNode(Pos start, Pos end, List<Node> items) implements Node {
    }

    /** A scalar; {@code text} is null for a YAML null. */
    record Scalar(Pos start, Pos end, String text) implements Node {
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /**
     * Parses one document.
     *
     * @throws CampaignException {@code SOURCE: line N: ...} for a syntax error or a duplicate key
     */
    static Node parse(String text, String source) throws CampaignException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new CampaignException(source + ": the campaign is empty; expected a mapping with image: and plans: or generate:");
            }
            return read(p, t, source);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String msg = e.getOriginalMessage() == null ? "unreadable YAML" : firstLine(e.getOriginalMessage());
            throw new CampaignException(source + ": " + (at != null && at.getLineNr() > 0 ? "line " + at.getLineNr() + ": " : "")
                    + "YAML syntax error: " + msg);
        } catch (IOException e) {
            throw new CampaignException(source + ": cannot read the campaign: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static Node read(JsonParser p, JsonToken t, String source) throws IOException, CampaignException {
        Pos start = Pos.of(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Pos> keys = new LinkedHashMap<>();
                JsonToken k;
                Pos end = start;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Pos keyPos = Pos.of(p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw new CampaignException(source + ": line " + keyPos.line() + ": key '" + key
                                + "' appears twice in the same mapping (first on line " + keys.get(key).line() + ")");
                    }
                    Node value = read(p, p.nextToken(), source);
                    entries.put(key, value);
                    keys.put(key, keyPos);
                    end = value.end();
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new CampaignException(source + ": line " + start.line() + ": YAML syntax error: unterminated mapping");
                }
                return new MapNode(start, end, entries, keys);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken i;
                Pos end = start;
                while ((i = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (i == null) {
                        throw new CampaignException(source + ": line " + start.line() + ": YAML syntax error: unterminated list");
                    }
                    Node item = read(p, i, source);
                    items.add(item);
                    end = item.end();
                }
                return new ListNode(start, end, items);
            }
            case VALUE_NULL -> {
                return new Scalar(start, start, null);
            }
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(start, start, p.getText());
            }
            default -> throw new CampaignException(source + ": line " + start.line() + ": YAML syntax error: unexpected " + t);
        }
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return (nl < 0 ? t : t.substring(0, nl)).strip();
    }
}
