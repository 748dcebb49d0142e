package io.backprop.runner.run;

import io.backprop.runner.spec.Printable;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Keeps what the runner creates inside the runs root: each directory it makes is a plain child of the one above. */
public final class RunsRoot {
    private RunsRoot() {}

    /**
     * {@code root} with {@code names} resolved under it, one path element each; a name that is empty, {@code .},
     * {@code ..}, holds a separator or would otherwise land outside {@code root} is bad input (exit 2).
     */
    public static Path resolve(Path root, String... names) {
        Path base = root.toAbsolutePath().normalize();
        Path path = root;
        try {
            for (String name : names) path = path.resolve(name);
        } catch (InvalidPathException e) {
            throw outside(root, String.join("/", names));
        }
        Path normal = path.toAbsolutePath().normalize();
        boolean plain = true;
        for (String name : names) {
            Path element = Path.of(name);
            plain &= !name.isEmpty()
                    && element.getNameCount() == 1
                    && !element.isAbsolute()
                    && !name.equals(".")
                    && !name.equals("..");
        }
        if (!plain || !normal.startsWith(base) || normal.getNameCount() != base.getNameCount() + names.length) {
            throw outside(root, String.join("/", names));
        }
        return path;
    }

    private static SpecException outside(Path root, String relative) {
        return new SpecException(Where.of("runner")
                .problem("'" + Printable.oneLine(relative) + "' would not be a directory inside the runs root '"
                        + Printable.oneLine(root.toString())
                        + "'; a run's directory is <runs root>/<experiment name>/<run>"));
    }
}
