package io.backprop.runner.spec;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Applies {@code --set key.path=value} to an experiment's node tree before it is bound, so an overridden value is
 * checked exactly as one written in the file, and its messages name the flag. Missing keys are added; a plugin
 * written as a bare name ({@code initializer: normal}) becomes {@code {name: normal}} when a parameter is set in it.
 */
final class Overrides {
    private static final Pattern SEGMENT = Pattern.compile("([a-z_][a-z0-9_]*)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private final Composition composition;
    /** The node whose place and file a key made by the current edit takes; null for a flag. */
    private Node site;

    private Composition.Origin siteOrigin;

    Overrides(Composition composition) {
        this.composition = composition;
    }

    /** Whether a key written in a file is a path ({@code model.layers[1].units}) rather than a key. */
    static boolean isPath(String key) {
        return key.indexOf('.') >= 0 || key.indexOf('[') >= 0;
    }

    void apply(Node root, List<String> overrides) {
        var problems = new Problems();
        for (String override : overrides) {
            String flag = "--set " + override;
            try {
                int eq = override.indexOf('=');
                if (eq <= 0) throw problem(Where.of(flag), "", "expected key.path=value, such as training.l2=1e-4");
                String path = override.substring(0, eq).trim();
                Node value = value(override.substring(eq + 1), flag, path);
                composition.remember(value, Composition.Origin.flag(flag));
                set(root, "", path, value, null, Where.of(flag));
            } catch (SpecException e) {
                problems.addAll(e);
            }
        }
        problems.throwIfAny();
    }

    /**
     * Sets {@code path} (under the mapping at {@code prefix}) to {@code value}; a mistake in the path is reported at
     * {@code where}, and keys it adds are reported at {@code site} (a flag when null).
     */
    void set(Node root, String prefix, String path, Node value, Node site, Where where) {
        this.site = site;
        this.siteOrigin = site == null ? Composition.Origin.flag(where.source()) : composition.origins.get(site);
        List<Object> steps = new ArrayList<>();
        for (String part : path.split("\\.", -1)) {
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw problem(
                        where,
                        Schema.join(prefix, path),
                        "'" + part + "' is not a key; keys are snake_case, items [0], [1], ...");
            }
            steps.add(m.group(1));
            Matcher i = INDEX.matcher(m.group(2));
            while (i.find()) {
                if (i.group(1).length() > 9)
                    throw problem(
                            where, Schema.join(prefix, path), "item [" + i.group(1) + "] is beyond any list's length");
                steps.add(Integer.parseInt(i.group(1)));
            }
        }
        if (!(root instanceof MappingNode)) throw problem(where, prefix, "the experiment is not a mapping");
        Node parent = root;
        String at = prefix;
        for (int s = 0; s < steps.size(); s++) {
            boolean last = s == steps.size() - 1;
            Object step = steps.get(s);
            if (step instanceof Integer index) {
                if (!(parent instanceof SequenceNode seq))
                    throw problem(where, at, "is not a list, so it has no item [" + index + "]");
                int size = seq.getValue().size();
                if (index >= size) {
                    throw problem(
                            where,
                            at + "[" + index + "]",
                            "there " + (size == 1 ? "is 1 item" : "are " + size + " items")
                                    + (size == 0 ? "" : " (indexes 0 to " + (size - 1) + ")"));
                }
                at += "[" + index + "]";
                if (last) seq.getValue().set(index, composition.merge(null, value, at));
                else parent = mappingAt(seq, index, steps.get(s + 1));
            } else {
                String key = (String) step;
                at = Schema.join(at, key);
                MappingNode map = (MappingNode) parent;
                if (last) put(map, key, value);
                else parent = child(map, key, steps.get(s + 1));
            }
        }
    }

    /** The node under {@code key}, made a mapping (or list) if it is missing, or a plugin's bare name. */
    private Node child(MappingNode map, String key, Object next) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                Node v = t.getValueNode();
                if (next instanceof String
                        && v instanceof ScalarNode name
                        && !name.getTag().equals(Tag.NULL)) {
                    MappingNode ref = mapping(List.of(new NodeTuple(scalar("name"), name)));
                    remember(ref);
                    map.getValue().set(map.getValue().indexOf(t), new NodeTuple(t.getKeyNode(), ref));
                    return ref;
                }
                if (next instanceof String && !(v instanceof MappingNode)
                        || next instanceof Integer && !(v instanceof SequenceNode)) {
                    if (next instanceof Integer) return v; // reported at the index step
                    MappingNode fresh = mapping(new ArrayList<>());
                    remember(fresh);
                    map.getValue().set(map.getValue().indexOf(t), new NodeTuple(t.getKeyNode(), fresh));
                    return fresh;
                }
                return v;
            }
        }
        Node fresh = next instanceof Integer
                ? new SequenceNode(Tag.SEQ, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK)
                : mapping(new ArrayList<>());
        remember(fresh);
        put(map, key, fresh);
        return fresh;
    }

    private Node mappingAt(SequenceNode seq, int index, Object next) {
        Node item = seq.getValue().get(index);
        if (next instanceof String
                && item instanceof ScalarNode name
                && !name.getTag().equals(Tag.NULL)) {
            MappingNode ref = mapping(new ArrayList<>(List.of(new NodeTuple(scalar("name"), name))));
            remember(ref);
            seq.getValue().set(index, ref);
            return ref;
        }
        return item;
    }

    private void put(MappingNode map, String key, Node value) {
        List<NodeTuple> tuples = map.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k
                    && k.getValue().equals(key)) {
                tuples.set(i, new NodeTuple(k, composition.merge(null, value, key)));
                return;
            }
        }
        ScalarNode k = site == null
                ? scalar(key)
                : new ScalarNode(Tag.STR, key, site.getStartMark(), site.getEndMark(), DumperOptions.ScalarStyle.PLAIN);
        remember(k);
        tuples.add(new NodeTuple(k, value));
    }

    static Node value(String text, String flag, String path) {
        Node node;
        try {
            node = ExperimentReader.composeYaml(new StringReader(text));
        } catch (YAMLException e) {
            throw problem(
                    Where.of(flag),
                    path,
                    "the value is not valid YAML: "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null) node = new ScalarNode(Tag.NULL, "", null, null, DumperOptions.ScalarStyle.PLAIN);
        return node;
    }

    /** A node an edit makes is reported where the edit was written. */
    private void remember(Node node) {
        if (siteOrigin != null) composition.origins.put(node, siteOrigin);
    }

    private static ScalarNode scalar(String text) {
        return new ScalarNode(Tag.STR, text, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    private static MappingNode mapping(List<NodeTuple> tuples) {
        return new MappingNode(Tag.MAP, new ArrayList<>(tuples), DumperOptions.FlowStyle.FLOW);
    }

    private static SpecException problem(Where where, String path, String message) {
        return new SpecException(where.at(path).problem(message));
    }
}
