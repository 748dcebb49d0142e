package io.backprop.runner.spec;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * Resolves {@code ${path.to.value}}, {@code ${env:NAME}} and {@code ${env:NAME,default}} in an experiment's merged
 * tree (after {@code --set}). A whole value keeps the type of what it names ({@code ${training.batch_size}} stays an
 * integer; an environment variable is read as a YAML scalar); inside a string the text is put in. {@code \${}
 * writes {@code ${} itself. The {@code sweep:} block is left as written: its values reach each trial as overrides.
 */
final class Interpolation {
    private static final Pattern EXPRESSION = Pattern.compile("\\\\?\\$\\{([^}]*)}");
    private static final Pattern PATH =
            Pattern.compile("[a-z_][a-z0-9_]*(\\[\\d{1,9}])*(\\.[a-z_][a-z0-9_]*(\\[\\d{1,9}])*)*");

    private final Composition composition;
    private final Function<String, String> environment;
    private final Map<Node, Node> resolved = new IdentityHashMap<>();
    private final List<String> visiting = new ArrayList<>();
    private final java.util.Set<String> inCycle = new java.util.HashSet<>();
    private Node root;

    Interpolation(Composition composition, Function<String, String> environment) {
        this.composition = composition;
        this.environment = environment;
    }

    /** Resolves every expression in {@code root}, in place; all problems are thrown together. */
    void resolve(Node root) {
        this.root = root;
        var problems = new Problems();
        if (!(root instanceof MappingNode map)) return;
        List<NodeTuple> tuples = map.getValue();
        for (int i = 0; i < tuples.size(); i++) {
            NodeTuple t = tuples.get(i);
            if (!(t.getKeyNode() instanceof ScalarNode k) || k.getValue().equals("sweep")) continue;
            try {
                Node v = resolve(t.getValueNode(), k.getValue());
                if (v != t.getValueNode()) tuples.set(i, new NodeTuple(k, v));
            } catch (SpecException e) {
                problems.addAll(e);
            }
        }
        problems.throwIfAny();
    }

    private Node resolve(Node node, String path) {
        Node done = resolved.get(node);
        if (done != null) return done;
        if (inCycle.contains(path)) return node; // reported once
        if (visiting.contains(path)) throw cycle(node, path);
        visiting.add(path);
        try {
            Node result = node;
            if (node instanceof MappingNode m) {
                List<NodeTuple> tuples = m.getValue();
                for (int i = 0; i < tuples.size(); i++) {
                    NodeTuple t = tuples.get(i);
                    String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                    Node v = resolve(t.getValueNode(), Schema.join(path, key));
                    if (v != t.getValueNode()) tuples.set(i, new NodeTuple(t.getKeyNode(), v));
                }
            } else if (node instanceof SequenceNode s) {
                List<Node> items = s.getValue();
                for (int i = 0; i < items.size(); i++) items.set(i, resolve(items.get(i), path + "[" + i + "]"));
            } else if (node instanceof ScalarNode s
                    && s.getTag().equals(Tag.STR)
                    && s.getValue().contains("${")) {
                result = substitute(s, path);
            }
            resolved.put(node, result);
            resolved.put(result, result);
            return result;
        } finally {
            visiting.remove(visiting.size() - 1);
        }
    }

    private Node substitute(ScalarNode site, String path) {
        String text = site.getValue();
        Matcher m = EXPRESSION.matcher(text);
        if (m.matches() && !text.startsWith("\\")) return value(m.group(1), site, path, true);
        m.reset();
        var s = new StringBuilder();
        int end = 0;
        while (m.find()) {
            s.append(text, end, m.start());
            end = m.end();
            if (m.group().startsWith("\\")) {
                s.append(m.group(), 1, m.group().length());
                continue;
            }
            Node v = value(m.group(1), site, path, false);
            if (!(v instanceof ScalarNode scalar)) {
                throw new SpecException(composition
                        .where(site, path)
                        .problem("${" + m.group(1) + "} is "
                                + (v instanceof MappingNode ? "a mapping" : "a list")
                                + ", which cannot stand inside a string;"
                                + " write it as the whole value"));
            }
            s.append(scalar.getValue());
        }
        String rest = text.substring(end);
        if (rest.contains("${")) {
            throw new SpecException(
                    composition
                            .where(site, path)
                            .problem(
                                    "'${' is not closed; write ${path.to.value} or ${env:NAME}, or \\${ for the characters themselves"));
        }
        s.append(rest);
        return fresh(
                new ScalarNode(Tag.STR, s.toString(), site.getStartMark(), site.getEndMark(), site.getScalarStyle()),
                site);
    }

    /** What {@code ${expression}} stands for, as a node placed where {@code site} is. */
    private Node value(String expression, ScalarNode site, String path, boolean whole) {
        String e = expression.strip();
        if (e.startsWith("env:")) {
            int comma = e.indexOf(',');
            String name = (comma < 0 ? e.substring(4) : e.substring(4, comma)).strip();
            if (name.isEmpty())
                throw problem(
                        site,
                        path,
                        "${" + expression + "} names no variable; write ${env:NAME} or ${env:NAME,default}");
            String value = environment.apply(name);
            if (value == null && comma < 0) {
                throw problem(
                        site,
                        path,
                        "environment variable " + name + " is not set; set it, or give a default: ${env:" + name
                                + ",default}");
            }
            if (value == null) value = e.substring(comma + 1).strip();
            return whole
                    ? scalar(value, site)
                    : fresh(
                            new ScalarNode(
                                    Tag.STR,
                                    value,
                                    site.getStartMark(),
                                    site.getEndMark(),
                                    DumperOptions.ScalarStyle.PLAIN),
                            site);
        }
        if (!PATH.matcher(e).matches()) {
            throw problem(
                    site,
                    path,
                    "'${" + expression + "}' is neither a path such as ${training.batch_size} nor ${env:NAME}");
        }
        Node target = lookup(e);
        if (target == null) {
            List<String> paths = new ArrayList<>();
            collect(root, "", paths);
            throw problem(
                    site,
                    path,
                    "${" + e + "}: no value at '" + e + "' in the experiment (a default is not a value to refer to)"
                            + Suggestions.didYouMean(Suggestions.closest(e, paths)));
        }
        return copy(resolve(target, e), site);
    }

    /** An environment variable's value read as YAML scalar ({@code 9} is an integer); anything else is a string. */
    private Node scalar(String value, ScalarNode site) {
        Node node = null;
        try {
            node = ExperimentReader.composeYaml(new StringReader(value));
        } catch (YAMLException e) {
            // not YAML: a string
        }
        Tag tag = node == null ? Tag.NULL : node instanceof ScalarNode s ? s.getTag() : Tag.STR;
        String text = node instanceof ScalarNode s ? s.getValue() : value;
        return fresh(
                new ScalarNode(tag, text, site.getStartMark(), site.getEndMark(), DumperOptions.ScalarStyle.PLAIN),
                site);
    }

    private Node lookup(String path) {
        Node node = root;
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            node = child(node, bracket < 0 ? part : part.substring(0, bracket));
            if (bracket < 0) continue;
            for (String index : part.substring(bracket + 1, part.length() - 1).split("]\\[")) {
                int i = Integer.parseInt(index);
                node = node instanceof SequenceNode s && i < s.getValue().size()
                        ? s.getValue().get(i)
                        : null;
            }
        }
        return node;
    }

    private static Node child(Node node, String key) {
        if (!(node instanceof MappingNode m)) return null;
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t.getValueNode();
        }
        return null;
    }

    private static void collect(Node node, String path, List<String> paths) {
        if (!path.isEmpty()) paths.add(path);
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k
                        && !(path.isEmpty() && k.getValue().equals("sweep"))) {
                    collect(t.getValueNode(), Schema.join(path, k.getValue()), paths);
                }
            }
        } else if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) collect(s.getValue().get(i), path + "[" + i + "]", paths);
        }
    }

    private Node copy(Node node, Node site) {
        return fresh(composition.placed(node, site), site);
    }

    private Node fresh(Node node, Node site) {
        if (composition.origins.containsKey(site)) composition.origins.put(node, composition.origins.get(site));
        resolved.put(node, node);
        return node;
    }

    private SpecException cycle(Node node, String path) {
        var chain = new ArrayList<>(visiting.subList(visiting.indexOf(path), visiting.size()));
        chain.add(path);
        inCycle.addAll(chain);
        return new SpecException(composition
                .where(node, path)
                .problem("a cycle of references: " + String.join(" -> ", chain)
                        + "; a value cannot refer to itself, directly or through others"));
    }

    private SpecException problem(Node site, String path, String message) {
        return new SpecException(composition.where(site, path).problem(message));
    }
}
