package io.backprop.runner.spec;

import static java.util.Comparator.comparingInt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What to say of an experiment file that is not there: its .yaml/.yml twin, or near misses beside it. */
final class MissingFile {
    private MissingFile() {}

    private record Candidate(String path, int distance, boolean twin) {}

    /** {@code "no such file; did you mean 'experiments/iris.yaml'?"}; {@code source} as the user wrote it. */
    static String message(String source) {
        Path typed;
        try {
            typed = Path.of(source);
        } catch (java.nio.file.InvalidPathException e) {
            return "no such file";
        }
        List<String> hints = nearMisses(typed);
        Path folder = typed.getParent();
        if (hints.isEmpty() && folder != null && !Files.isDirectory(folder)) {
            return "no such file; there is no directory " + folder + " either";
        }
        return "no such file" + Suggestions.didYouMean(hints);
    }

    /**
     * Experiment files whose names without .yaml/.yml are near the typed one's, in its folder, or when that is
     * missing in the folders beside it of near names; closest first, at most three. A twin (the same name but for
     * the extension) stands alone.
     */
    static List<String> nearMisses(Path typed) {
        if (typed.getFileName() == null) return List.of();
        String stem = stem(typed.getFileName().toString());
        Path folder = typed.getParent();
        List<Candidate> folders = new ArrayList<>();
        if (folder == null || Files.isDirectory(folder)) {
            folders.add(new Candidate(folder == null ? "" : folder.toString(), 0, false));
        } else if (folder.getFileName() != null) {
            Path above = folder.getParent();
            String name = folder.getFileName().toString();
            for (Path d : list(above == null ? Path.of("") : above)) {
                String n = d.getFileName().toString();
                if (Files.isDirectory(d) && Suggestions.near(name, n)) {
                    folders.add(new Candidate(
                            above == null ? n : above.resolve(n).toString(), Suggestions.distance(name, n), false));
                }
            }
        }
        List<Candidate> files = new ArrayList<>();
        for (Candidate f : folders) {
            for (Path p : list(f.path().isEmpty() ? Path.of("") : Path.of(f.path()))) {
                String n = p.getFileName().toString();
                if (!n.endsWith(".yaml") && !n.endsWith(".yml")
                        || !Files.isRegularFile(p)
                        || !Suggestions.near(stem, stem(n))) continue;
                String shown =
                        f.path().isEmpty() ? n : Path.of(f.path()).resolve(n).toString();
                files.add(new Candidate(
                        shown,
                        f.distance() + Suggestions.distance(stem, stem(n)),
                        Suggestions.distance(stem, stem(n)) == 0));
            }
        }
        boolean twin = files.stream().anyMatch(Candidate::twin);
        return files.stream()
                .filter(c -> !twin || c.twin())
                .sorted(comparingInt(Candidate::distance).thenComparing(Candidate::path))
                .map(Candidate::path)
                .distinct()
                .limit(3)
                .toList();
    }

    private static String stem(String name) {
        return name.replaceFirst("\\.ya?ml$", "");
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
