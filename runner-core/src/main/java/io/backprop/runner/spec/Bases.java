package io.backprop.runner.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Files meant only to be extended: a file that another experiment beside it names in {@code extends:}, and that
 * alone lacks keys an experiment needs. Such a file is a base, not an experiment to run.
 */
public final class Bases {
    private Bases() {}

    /** The experiment files in {@code file}'s directory that name it in their {@code extends:}, sorted. */
    public static List<Path> extendedBy(Path file) {
        Path target = file.toAbsolutePath().normalize();
        Path folder = target.getParent();
        List<Path> by = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path other : files.sorted().toList()) {
                String name = other.getFileName().toString();
                if (!other.equals(target)
                        && (name.endsWith(".yaml") || name.endsWith(".yml"))
                        && extendsFile(other, target)) {
                    by.add(other);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return by;
    }

    /** Whether {@code file} is extended by a file beside it and, read alone, lacks only keys (nothing is wrong in it). */
    public static boolean isBase(Path file) {
        if (extendedBy(file).isEmpty()) return false;
        try {
            ExperimentReader.read(file, file.toString());
            return false;
        } catch (SpecException e) {
            return onlyMissing(e);
        }
    }

    /** Whether every problem is a required key left out. */
    public static boolean onlyMissing(SpecException e) {
        return e.problems().stream().allMatch(p -> p.message().startsWith("missing required key"));
    }

    private static boolean extendsFile(Path file, Path target) {
        Node root;
        try {
            root = ExperimentReader.composeYaml(Files.newBufferedReader(file));
        } catch (IOException | RuntimeException e) {
            return false; // not an experiment this can read; validate says why when asked
        }
        if (!(root instanceof MappingNode map)) return false;
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !k.getValue().equals("extends")) continue;
            List<Node> items =
                    t.getValueNode() instanceof SequenceNode seq ? seq.getValue() : List.of(t.getValueNode());
            for (Node item : items) {
                try {
                    if (item instanceof ScalarNode s
                            && file.toAbsolutePath()
                                    .getParent()
                                    .resolve(s.getValue())
                                    .normalize()
                                    .equals(target)) {
                        return true;
                    }
                } catch (java.nio.file.InvalidPathException e) {
                    // not a path: validate reports it
                }
            }
        }
        return false;
    }
}
