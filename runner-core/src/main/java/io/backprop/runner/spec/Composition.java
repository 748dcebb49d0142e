package io.backprop.runner.spec;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * An experiment file and the files it {@code extends:}, merged into one node tree in which every node remembers the
 * file it came from. Bases merge in the order written, the file itself on top: mappings key by key, recursively;
 * lists and single values replace. A key written as a path ({@code model.layers[1].units: 32}) edits what the bases
 * gave, as {@code --set} would.
 */
final class Composition {
    /**
     * Where a node was written: {@code source} names the file as messages show it (with the chain that led to it:
     * {@code l2-on.yaml -> l2-base.yaml}); {@code text} is that file's text, null for a command-line flag.
     */
    record Origin(String source, String text, Path directory) {
        static Origin flag(String flag) {
            return new Origin(flag, null, null);
        }
    }

    final Map<Node, Origin> origins = new IdentityHashMap<>();
    /** Every file read, as messages name it, bases before what extends them, each once. */
    final List<String> files = new ArrayList<>();
    /** The text of each of {@link #files}. */
    final List<String> texts = new ArrayList<>();

    private final String topSource;
    private final List<Path> stack = new ArrayList<>();
    private final List<String> stackNames = new ArrayList<>();
    private final Set<Path> seen = new HashSet<>();
    /** The trees to merge, bases first. */
    private final List<Node> layers = new ArrayList<>();

    final Overrides overrides = new Overrides(this);
    Node root;

    private Composition(String topSource) {
        this.topSource = topSource;
    }

    /** For a node tree with no file behind it, such as a flag's value. */
    static Composition of(String source) {
        return new Composition(source);
    }

    /**
     * {@code files} stacked, each with its own bases, later files on top; {@code sources} name them in messages. Each
     * file is merged once, after everything it extends and before everything that extends it, so in a diamond the
     * shared base does not come back on top of what an earlier branch changed.
     */
    static Composition ofFiles(List<Path> files, List<String> sources) {
        var c = new Composition(sources.get(0));
        for (int i = 0; i < files.size(); i++) c.load(files.get(i), sources.get(i), "", null, sources.get(i));
        c.root = c.mergeLayers();
        return c;
    }

    /** Experiment text that is not in a file; its bases resolve against {@code directory}. */
    static Composition ofText(String text, String source, Path directory) {
        var c = new Composition(source);
        c.layer(text, source, directory, null, "");
        c.root = c.mergeLayers();
        return c;
    }

    private Node mergeLayers() {
        Node merged = null;
        for (Node layer : layers) merged = merge(merged, layer, "");
        return merged;
    }

    private void load(Path file, String source, String chain, Where referrer, String written) {
        Path key = file.toAbsolutePath().normalize();
        if (seen.contains(key)) return;
        String text = readText(file, source, referrer, written);
        stack.add(key);
        stackNames.add(source);
        try {
            layer(text, source, key.getParent(), key, chain);
        } finally {
            stack.remove(stack.size() - 1);
            stackNames.remove(stackNames.size() - 1);
        }
    }

    /** The file's bases, then its own tree, as layers to merge in order. */
    private void layer(String text, String source, Path directory, Path key, String chain) {
        String shown = chain + source;
        Node node = compose(new StringReader(text), shown);
        var origin = new Origin(shown, text, directory);
        remember(node, origin);
        if (node instanceof MappingNode map) {
            for (NodeTuple t : List.copyOf(map.getValue())) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || !k.getValue().equals("extends")) continue;
                map.getValue().remove(t);
                for (var base : bases(t.getValueNode())) {
                    String written = ((ScalarNode) base).getValue();
                    Path file = directory.resolve(written).normalize();
                    Where at = where(base, "extends");
                    String name = shownBeside(source, written);
                    if (stack.contains(file)) {
                        var cycle = new ArrayList<>(stackNames.subList(stack.indexOf(file), stackNames.size()));
                        cycle.add(name);
                        throw new SpecException(at.problem("a cycle: " + String.join(" -> ", cycle)
                                + "; a file cannot extend itself, directly or through others"));
                    }
                    load(file, name, shown + " -> ", at, written);
                }
            }
        }
        if (key != null) seen.add(key);
        files.add(source);
        texts.add(text);
        layers.add(node);
    }

    private List<Node> bases(Node value) {
        List<Node> items = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
        for (Node item : items) {
            if (!(item instanceof ScalarNode s)
                    || !s.getTag().equals(Tag.STR)
                    || s.getValue().isBlank()) {
                throw new SpecException(
                        where(item, "extends")
                                .problem(
                                        "expected the path of a file to extend, or a list of them, such as extends: base.yaml"));
            }
        }
        return items;
    }

    /** A base as messages name it: beside the file that names it, as the user named that one. */
    private static String shownBeside(String source, String written) {
        try {
            Path p = Path.of(written);
            if (p.isAbsolute()) return written;
            Path parent = Path.of(source).getParent();
            return (parent == null ? p : parent.resolve(p)).normalize().toString();
        } catch (java.nio.file.InvalidPathException e) {
            return written;
        }
    }

    private static String readText(Path file, String source, Where referrer, String written) {
        String problem;
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(boundedBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            problem = referrer == null
                    ? MissingFile.message(source)
                    : "no such file"
                            + Suggestions.didYouMean(MissingFile.nearMisses(file).stream()
                                    .map(near -> shownBeside(
                                            written, Path.of(near).getFileName().toString()))
                                    .toList());
        } catch (AccessDeniedException e) {
            problem = "permission denied";
        } catch (CharacterCodingException e) {
            problem = "not UTF-8 text; an experiment is a YAML file";
        } catch (IOException e) {
            problem = Files.isDirectory(file)
                    ? "is a directory; expected an experiment .yaml file"
                    : "cannot read: " + e.getMessage();
        }
        throw new SpecException(
                referrer == null
                        ? Where.of(source).problem(problem)
                        : referrer.problem("cannot read " + source + ": " + problem));
    }

    /**
     * The merge of {@code over} onto {@code base} (either may be null). Only the trees of one composition are
     * merged, each read afresh for each file that extends it, so they are taken apart freely.
     */
    Node merge(Node base, Node over, String at) {
        if (over instanceof MappingNode o && (base == null || base instanceof MappingNode)) {
            List<NodeTuple> tuples =
                    base == null ? new ArrayList<>() : new ArrayList<>(((MappingNode) base).getValue());
            List<NodeTuple> edits = new ArrayList<>();
            Set<String> own = new HashSet<>();
            for (NodeTuple t : o.getValue()) {
                String key =
                        t.getKeyNode() instanceof ScalarNode k && !k.getTag().equals(Tag.MERGE) ? k.getValue() : null;
                // The sweep block's keys are paths of their own, swept, not edits.
                if (key != null && Overrides.isPath(key) && !at.equals("sweep") && !at.startsWith("sweep.")) {
                    edits.add(t);
                    continue;
                }
                // A key written twice stays twice, for the binder to report.
                int i = key != null && own.add(key) ? indexOf(tuples, key) : -1;
                String p = key == null ? at : Schema.join(at, key);
                if (i >= 0)
                    tuples.set(
                            i, new NodeTuple(t.getKeyNode(), merge(tuples.get(i).getValueNode(), t.getValueNode(), p)));
                else tuples.add(new NodeTuple(t.getKeyNode(), merge(null, t.getValueNode(), p)));
            }
            var merged = new MappingNode(o.getTag(), true, tuples, o.getStartMark(), o.getEndMark(), o.getFlowStyle());
            if (origins.containsKey(o)) origins.put(merged, origins.get(o));
            for (NodeTuple t : edits) {
                String path = ((ScalarNode) t.getKeyNode()).getValue();
                overrides.set(
                        merged,
                        at,
                        path,
                        merge(null, t.getValueNode(), Schema.join(at, path)),
                        t.getKeyNode(),
                        where(t.getKeyNode(), ""));
            }
            return merged;
        }
        if (over instanceof SequenceNode s) s.getValue().replaceAll(item -> merge(null, item, at + "[]"));
        return over;
    }

    private static int indexOf(List<NodeTuple> tuples, String key) {
        for (int i = 0; i < tuples.size(); i++) {
            if (tuples.get(i).getKeyNode() instanceof ScalarNode k
                    && k.getValue().equals(key)) return i;
        }
        return -1;
    }

    /** A copy of {@code node} placed where {@code site} is: a bad value in it is reported where it was asked for. */
    Node placed(Node node, Node site) {
        Node copy;
        if (node instanceof ScalarNode s) {
            copy = new ScalarNode(s.getTag(), s.getValue(), site.getStartMark(), site.getEndMark(), s.getScalarStyle());
        } else if (node instanceof SequenceNode s) {
            List<Node> items = new ArrayList<>();
            s.getValue().forEach(n -> items.add(placed(n, site)));
            copy = new SequenceNode(s.getTag(), true, items, site.getStartMark(), site.getEndMark(), s.getFlowStyle());
        } else {
            var m = (MappingNode) node;
            List<NodeTuple> tuples = new ArrayList<>();
            m.getValue()
                    .forEach(t ->
                            tuples.add(new NodeTuple(placed(t.getKeyNode(), site), placed(t.getValueNode(), site))));
            copy = new MappingNode(m.getTag(), true, tuples, site.getStartMark(), site.getEndMark(), m.getFlowStyle());
        }
        if (origins.containsKey(site)) origins.put(copy, origins.get(site));
        return copy;
    }

    /** Records that every node of {@code node} came from {@code origin}. */
    void remember(Node node, Origin origin) {
        origins.put(node, origin);
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                remember(t.getKeyNode(), origin);
                remember(t.getValueNode(), origin);
            }
        } else if (node instanceof SequenceNode s) {
            s.getValue().forEach(n -> remember(n, origin));
        }
    }

    /** Where {@code node} was written: its file (through the chain), line and column; a flag has no line. */
    Where where(Node node, String path) {
        Origin o = origins.get(node);
        if (o != null && o.text() == null) return Where.of(o.source()).at(path);
        return where(node.getStartMark(), o == null ? topSource : o.source(), path);
    }

    static Where where(Mark mark, String source, String path) {
        return mark == null
                ? Where.of(source).at(path)
                : new Where(source, mark.getLine() + 1, mark.getColumn() + 1, path);
    }

    /** The directory of the file {@code node} was written in; null when unknown. */
    Path directoryOf(Node node) {
        Origin o = origins.get(node);
        return o == null ? null : o.directory();
    }

    /** The node's text as written in its file, or null when it was not written in one. */
    String textOf(Node node) {
        Origin o = origins.get(node);
        if (o == null || o.text() == null || node.getStartMark() == null || node.getEndMark() == null) return null;
        return o.text()
                .substring(node.getStartMark().getIndex(), node.getEndMark().getIndex())
                .strip();
    }

    /** YAML text to a node tree; a syntax error is reported at its place in {@code source}. */
    static Node compose(Reader text, String source) {
        try {
            Node root = ExperimentReader.composeYaml(text);
            if (root == null) {
                throw new SpecException(Where.of(source)
                        .problem("the file is empty; an experiment is a mapping with data, model, cost and training"));
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() == null ? e.getContext() : e.getProblem();
            if (problem != null && problem.contains("\\t(TAB)")) {
                problem = "a tab character where YAML expects spaces; indent with spaces only";
            } else if (problem != null && problem.startsWith("Global tag is not allowed: ")) {
                problem = "YAML tag '"
                        + ExperimentReader.shortTag(problem.substring("Global tag is not allowed: ".length()))
                        + "' is not allowed; write a plain value";
            } else if (problem != null && e.getContext() != null && e.getProblem() != null) {
                problem = e.getContext() + ", " + e.getProblem();
                Mark opened = e.getContextMark();
                if (opened != null && mark != null && opened.getLine() != mark.getLine()) {
                    problem += " (it began at line " + (opened.getLine() + 1) + ", column " + (opened.getColumn() + 1)
                            + ")";
                }
            }
            String what = problem != null && problem.startsWith("YAML tag") ? problem : "invalid YAML: " + problem;
            throw new SpecException(where(mark, source, "").problem(what));
        } catch (YAMLException e) {
            // Limits (aliases, nesting, size) carry no mark.
            throw new SpecException(Where.of(source).problem("invalid YAML: " + e.getMessage()));
        }
    }

    /** At most this many bytes are read: an experiment is a few kilobytes, and /dev/zero never ends. */
    private static final int MAX_BYTES = 16 << 20;

    private static byte[] boundedBytes(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES)
                throw new IOException("larger than 16 MiB; an experiment file is a few kilobytes of YAML");
            return bytes;
        }
    }
}
