package io.backprop.runner.setup;

import io.backprop.runner.plugin.Dataset;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.util.List;

/**
 * Labels encoded over classes known beforehand, by name. A data source finds its classes in its own data: a test
 * file that holds some of the classes only would otherwise number them differently from the training set.
 */
public final class KnownClasses {
    private KnownClasses() {}

    /**
     * {@code data} with its labels encoded over {@code classes}, {@code outputs} wide (one-hot, or 0 and 1 for a
     * single output): {@code data} itself when it is so already, or when it is not classification. A label not
     * among {@code classes} is a problem at {@code where} that names it.
     */
    public static Dataset onto(Dataset data, List<String> classes, int outputs, Where where) {
        if (data.task() != Dataset.Task.CLASSIFICATION || classes.isEmpty()) return data;
        if (data.classes().equals(classes) && data.outputs() == outputs) return data;
        int[] index = new int[data.classes().size()];
        for (int c = 0; c < index.length; c++)
            index[c] = classes.indexOf(data.classes().get(c));
        double[] y = new double[data.rows() * outputs];
        for (int r = 0; r < data.rows(); r++) {
            int label = data.label(r);
            int known = label < index.length ? index[label] : -1;
            if (known < 0) {
                String name = label < index.length ? data.classes().get(label) : Integer.toString(label);
                throw new SpecException(where.problem("has label '" + name
                        + "', which is not one of the trained classes (" + String.join(", ", classes) + ")"));
            }
            if (outputs == 1) y[r] = known;
            else y[r * outputs + known] = 1;
        }
        return data.withLabels(y, outputs, classes);
    }
}
