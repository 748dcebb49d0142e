package io.backprop.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tables of report.html as a summary.json with every split's figures makes them. */
class ReportTablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A summary whose test split has what a classification run writes: numbers, then its classes' lists and tables. */
    private static Report.Run run(String id, double l2) throws Exception {
        JsonNode summary = JSON.readTree("""
                {"experiment": "l2", "run": "%s", "status": "completed", "epochs": 3, "kept_epoch": 3,
                 "test": {"loss": 0.25, "accuracy": 0.9, "examples": 20, "log_loss": 0.25, "macro_f1": 0.8988, "roc_auc": null,
                          "classes": ["a", "b"], "confusion_matrix": [[9, 1], [1, 9]],
                          "per_class": [{"class": "a", "precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 10},
                                        {"class": "b", "precision": 0.9, "recall": 0.9, "f1": 0.9, "support": 10}]}}
                """.formatted(id));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", 1);
        settings.put("training.l2", l2);
        return new Report.Run(Path.of(id), "l2", List.of(), summary, "", settings);
    }

    private static String headline(String html) {
        return html.substring(
                html.indexOf("<section class=\"headline\">"),
                html.indexOf("</section>", html.indexOf("<section class=\"headline\">")));
    }

    @Test
    void theHeadlineTableHasANumberPerCellAndNoCopyOfTheLoss() throws Exception {
        String table = headline(Report.html(List.of(run("r1", 0))));
        assertFalse(
                table.contains("[")
                        || table.contains("{")
                        || table.contains("confusion")
                        || table.contains("per_class"),
                table);
        assertTrue(table.contains("<th>macro f1</th>"), "metric names read as words: " + table);
        assertTrue(table.contains("<td>0.8988</td>"), table);
        assertFalse(table.contains("<th>roc auc</th>"), "a metric no split has a number for is left out: " + table);
        assertFalse(table.contains("log loss"), "log_loss is the loss here: " + table);
    }

    @Test
    void anOverlaysHeadlineNamesEachRunByWhatSetsItApart() throws Exception {
        String table = headline(Report.html(List.of(run("r1", 0), run("r2", 0.01))));
        assertTrue(
                table.contains(
                        "<th class=\"run\" title=\"l2 r1, training.l2=0.0\"><span class=\"swatch\" data-run=\"0\"></span>training.l2=0.0</th>"),
                table);
        assertTrue(table.contains("</span>training.l2=0.01</th>"), table);
    }

    @Test
    void aShareOfARowNeverReadsAsNoneOrAllWhenItIsNot() {
        assertEquals("<1%", Report.percent(1 / 225.0));
        assertEquals(">99%", Report.percent(224 / 225.0));
        assertEquals("0%", Report.percent(0));
        assertEquals("100%", Report.percent(1));
        assertEquals("33%", Report.percent(1 / 3.0));
    }

    @Test
    void aCellOfNoExamplesShowsItsCountAlone() throws Exception {
        String heat = Report.confusion(
                JSON.readTree("{\"classes\": [\"a\", \"b\"], \"confusion_matrix\": [[10, 0], [1, 224]]}"));
        assertTrue(heat.contains("<span class=\"count\">0</span></td>"), heat);
        assertTrue(heat.contains("<span class=\"count\">1</span><small>&lt;1%</small>"), heat);
        assertTrue(heat.contains("<span class=\"count\">224</span><small>&gt;99%</small>"), heat);
    }
}
