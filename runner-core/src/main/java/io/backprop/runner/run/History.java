package io.backprop.runner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backprop.runner.plugin.EpochMetrics;
import io.backprop.runner.spec.SpecException;
import io.backprop.runner.spec.Where;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first epochs of a metrics.jsonl read back, as a resumed run replays them. */
final class History {
    private History() {}

    static List<EpochMetrics> read(Path file, int epochs) throws IOException {
        var json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < epochs) {
            throw new SpecException(Where.of(file.toString())
                    .problem("has " + lines.size() + " epochs; the checkpoint is at epoch " + epochs
                            + ": restore the file, or start the run again"));
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (int i = 0; i < epochs; i++) {
            JsonNode node;
            try {
                node = json.readTree(lines.get(i));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                node = null;
            }
            if (node == null || !node.isObject() || node.path("epoch").asInt() != i + 1) {
                throw new SpecException(new Where(file.toString(), i + 1, 0, "")
                        .problem("not the metrics of epoch " + (i + 1) + "; restore the file, or start the run again"));
            }
            Map<String, Double> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("epoch"))
                    values.put(
                            e.getKey(), e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN);
            });
            history.add(new EpochMetrics(i + 1, values));
        }
        return history;
    }
}
