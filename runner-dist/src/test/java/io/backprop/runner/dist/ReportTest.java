package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html of a run and the report command's overlays: curves as JSON for the inlined charts, the stop marked, nothing fetched. */
class ReportTest {
    @Test
    void aRunValidatedOnItsTrainingSetDrawsOneCurveAndMarksTheRuleOnIt(@TempDir Path runs) throws Exception {
        Path run = run(runs, "--set", "data.validation=train", "--set", "training.max_epochs=15");
        Path page = run.resolve("report.html");
        JsonNode drawn = Pages.data(page).path("runs").get(0);
        assertEquals(
                List.of("train_loss", "train_accuracy"),
                names(drawn.path("series")),
                "the validation curves would lie on the training ones");
        assertEquals(
                "train_loss", drawn.path("kept").path("metric").asText(), "the kept epoch on the curve that chose it");
        String html = Files.readString(page);
        assertTrue(html.contains("Validated on the training set"), "the page says why there is one curve");
        assertFalse(html.contains("<th>validation</th>"), "and no validation row repeats the training one");
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Path run(Path runs, String... args) {
        var all = new java.util.ArrayList<>(List.of(
                ExperimentsTest.EXPERIMENTS.resolve("early-stopping.yaml").toString(),
                "--out",
                runs.toString(),
                "--set",
                "training.max_epochs=40",
                "--set",
                "training.stopping[0].patience=10"));
        all.addAll(List.of(args));
        Cli cli = Cli.run(all.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    @Test
    void everyRunWritesASelfContainedReportWithItsCurves(@TempDir Path runs) throws Exception {
        Path run = run(runs, "--set", "training.max_epochs=200");
        String html = Files.readString(run.resolve("report.html"));
        int epochs = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("summary.json").toFile());
        JsonNode drawn = Pages.data(html).path("runs").get(0);
        assertEquals(
                List.of("train_loss", "train_accuracy", "validation_loss", "validation_accuracy"),
                names(drawn.path("series")));
        drawn.path("series").forEach(values -> assertEquals(epochs, values.size(), "a value per epoch"));
        assertEquals(epochs, drawn.path("epochs").size());
        assertEquals("early-stopping", summary.path("stopped_by").asText());
        assertEquals(
                summary.path("epochs").asInt(), drawn.path("stop").path("epoch").asInt(), "the stop is marked");
        assertEquals(
                "validation_loss",
                drawn.path("stop").path("metric").asText(),
                "on the curve of the metric the rule watches");
        assertEquals(
                summary.path("kept_epoch").asInt(),
                drawn.path("kept").path("epoch").asInt(),
                "the kept epoch is marked");
        assertEquals(
                "validation_loss",
                drawn.path("kept").path("metric").asText(),
                "on the monitored curve, not the training one");
        assertTrue(
                html.contains("kept the weights of epoch "
                        + summary.path("kept_epoch").asInt()),
                "said in words too");
        assertTrue(html.contains("seed: 6"), "the resolved config is shown");
        assertTrue(html.contains("uPlot.iife") || html.contains("var uPlot="), "uPlot is inlined");
        // Comments may cite where uPlot comes from, and SVG's namespace is a name, not an address fetched.
        String withoutComments = html.replaceAll("(?s)/\\*.*?\\*/", "").replace("\"http://www.w3.org/2000/svg\"", "");
        assertFalse(withoutComments.contains("http://") || withoutComments.contains("https://"), "nothing is fetched");
        assertFalse(
                html.contains(" src=") || html.contains("<link") || html.contains("@import") || html.contains("url("),
                "no external resources");
    }

    @Test
    void aRunWithoutAValidationSetDrawsAndNamesOnlyTheTrainingCurves(@TempDir Path runs) throws Exception {
        Path run = run(
                runs,
                "--set",
                "data.validation=null",
                "--set",
                "training.stopping=[]",
                "--set",
                "training.max_epochs=5");
        JsonNode drawn = Pages.data(run.resolve("report.html")).path("runs").get(0);
        assertEquals(
                List.of("train_loss", "train_accuracy"),
                names(drawn.path("series")),
                "no validation series to put in a legend");
        assertEquals("max_epochs", drawn.path("stop").path("by").asText(), "the cap ended it");
        assertTrue(drawn.path("stop").path("metric").isNull(), "no metric chose that epoch");
        assertTrue(drawn.path("kept").isMissingNode(), "no rule chose its weights");
    }

    @Test
    void aLossSpanningDecadesStartsOnALogScaleAndTheSecondChartFitsTheTask(@TempDir Path runs) throws Exception {
        Cli cli = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("xor.yaml").toString(), "--out", runs.toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode charts = Pages.data(ExperimentsTest.runDirectory(cli).resolve("report.html"))
                .path("charts");
        assertEquals("loss", charts.get(0).path("metric").asText());
        assertTrue(charts.get(0).path("log").asBoolean(), "xor's loss falls by decades");
        assertEquals("accuracy", charts.get(1).path("metric").asText());
        Cli sine = Cli.run(
                ExperimentsTest.EXPERIMENTS.resolve("sine.yaml").toString(),
                "--out",
                runs.toString(),
                "--quiet",
                "--set",
                "training.max_epochs=3");
        assertEquals(0, sine.exitCode(), sine.err());
        assertEquals(
                "rmse",
                Pages.data(ExperimentsTest.runDirectory(sine).resolve("report.html"))
                        .path("charts")
                        .get(1)
                        .path("metric")
                        .asText());
    }

    @Test
    void theReportCommandOverlaysRunsAndNamesWhatDiffers(@TempDir Path runs) throws Exception {
        Path a = run(runs, "--set", "training.l2=0");
        Path b = run(runs, "--set", "training.l2=0.01");
        Path page = runs.resolve("compare.html");
        Cli cli = Cli.run("report", a.toString(), b.toString(), "-o", page.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(List.of(page.toString()), cli.outLines());
        JsonNode drawn = Pages.data(page).path("runs");
        assertEquals(2, drawn.size());
        assertTrue(
                drawn.get(0).path("label").asText().endsWith(a.getFileName() + ", training.l2=0.0"),
                "labels say what differs");
        assertTrue(
                drawn.get(1).path("label").asText().endsWith(b.getFileName() + ", training.l2=0.01"),
                "labels say what differs");
        drawn.forEach(r -> assertEquals(4, r.path("series").size(), "two splits, two metrics"));
    }

    @Test
    void severalRunsWithoutAnOutputGoBesideTheFirstRunNotIntoTheWorkingDirectory(@TempDir Path runs) throws Exception {
        Path a = run(runs, "--set", "training.l2=0");
        Path b = run(runs, "--set", "training.l2=0.01");
        Cli cli = Cli.run("report", a.toString(), b.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        Path page = Path.of(cli.out().strip());
        assertEquals(a.getParent(), page.getParent(), "beside the first run, in its experiment's directory");
        assertTrue(page.getFileName().toString().matches("compare-\\d{8}-\\d{6}\\.html"), page.toString());
        assertTrue(Files.readString(page).contains(b.getFileName() + ", training.l2=0.01"));

        Cli again = Cli.run("report", b.toString(), a.toString());
        assertEquals(0, again.exitCode(), again.err());
        Path second = Path.of(again.out().strip());
        assertEquals(b.getParent(), second.getParent());
        assertNotEquals(page, second, "a second page never overwrites the first, even within the same second");
        assertTrue(Files.exists(page) && Files.exists(second));
    }

    @Test
    void anOutputThatCannotBeAFileIsBadInput(@TempDir Path runs) throws Exception {
        Path a = run(runs, "--set", "training.l2=0");
        Cli directory = Cli.run("report", a.toString(), "-o", runs.toString());
        assertEquals(2, directory.exitCode());
        assertEquals(List.of("-o: " + runs + " is a directory; name the HTML file to write"), directory.errLines());
        Path nowhere = runs.resolve("gone").resolve("page.html");
        Cli missing = Cli.run("report", a.toString(), "-o", nowhere.toString());
        assertEquals(2, missing.exitCode());
        assertEquals(
                List.of("-o: no such directory: " + nowhere.getParent() + "; name a file in a directory that is there"),
                missing.errLines());
    }

    @Test
    void aRunNamedTwiceThroughLatestIsDrawnOnce(@TempDir Path runs) throws Exception {
        Path a = run(runs, "--set", "training.l2=0");
        Path b = run(runs, "--set", "training.l2=0.01");
        Path twice = Path.of(Cli.run(
                        "report",
                        a.toString(),
                        b.toString(),
                        b.resolveSibling("latest").toString())
                .out()
                .strip());
        Path once = Path.of(Cli.run("report", a.toString(), b.toString()).out().strip());
        assertEquals(2, Pages.data(once).path("runs").size(), "the page draws both runs");
        assertEquals(2, Pages.data(twice).path("runs").size(), "runs/x/* with its latest draws each run once");
    }

    @Test
    void aHalfWrittenLastLineOfMetricsIsLeftOutAndAnyOtherBadLineNamed(@TempDir Path runs) throws Exception {
        Path run = run(runs);
        int epochs = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        Files.writeString(
                run.resolve("metrics.jsonl"),
                "{\"epoch\": " + (epochs + 1) + ", \"train_lo",
                java.nio.file.StandardOpenOption.APPEND);
        Cli cli = Cli.run("report", run.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode drawn = Pages.data(run.resolve("report.html")).path("runs").get(0);
        assertEquals(epochs, drawn.path("epochs").size(), "the epochs written whole");

        Files.writeString(run.resolve("metrics.jsonl"), "\n{\"epoch\": 99}\n", java.nio.file.StandardOpenOption.APPEND);
        Cli broken = Cli.run("report", run.toString());
        assertEquals(2, broken.exitCode(), broken.err());
        assertEquals(1, broken.errLines().size(), broken.err());
        assertTrue(
                broken.errLines()
                        .get(0)
                        .startsWith(run.resolve("metrics.jsonl") + ":" + (epochs + 1) + ": not a line of JSON"),
                broken.err());
    }

    @Test
    void aDirectoryThatIsNoRunIsBadInput(@TempDir Path dir) {
        Cli cli = Cli.run("report", dir.toString());
        assertEquals(2, cli.exitCode());
        assertEquals(List.of(dir + ": not a run directory: it has no summary.json"), cli.errLines());
    }

    /** Class names, a data path and config values that try to end the script block or run their own. */
    static final List<String> HOSTILE_CLASSES =
            List.of("</script><script>alert(1)</script>", "say \"hi\" 'x' <!-- -->", "line\u2028break\u2029end");

    /** A run on iris with hostile class names, read from a CSV under a hostile path. */
    static Path hostileRun(Path dir) throws Exception {
        Path data = Files.createDirectories(
                dir.resolve("<").resolve("script><script>alert(2)<").resolve("!-- '&amp;"));
        List<String> lines = Files.readAllLines(ExperimentsTest.EXPERIMENTS.resolve("data/iris/iris.csv"));
        var csv = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.lastIndexOf(',');
            String name = HOSTILE_CLASSES.get(Integer.parseInt(line.substring(comma + 1)));
            csv.append(line, 0, comma + 1)
                    .append('"')
                    .append(name.replace("\"", "\"\""))
                    .append("\"\n");
        }
        Path file = Files.writeString(data.resolve("iris.csv"), csv);
        String yaml = "name: hostile\nseed: 3\ndata:\n  train: {name: csv, path: "
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(file.toString())
                + ", label: label, missing: [\"</script><script>alert(3)</script>\", \"<!--\", \"\\u2028\"]}\n"
                + "  validation: {split: 0.2}\n  test: {split: 0.2}\n  preprocess: [standardize]\n"
                + "model:\n  layers:\n    - {units: 8, activation: tanh}\n    - {units: 3, activation: softmax}\n  initializer: xavier-uniform\n"
                + "cost: cross-entropy\ntraining:\n  optimizer: {name: sgd, learning_rate: 0.1}\n  batch_size: 8\n  max_epochs: 60\n"
                + "  stopping:\n    - {name: early-stopping, monitor: validation_loss, patience: 10}\n";
        Path experiment = Files.writeString(dir.resolve("hostile.yaml"), yaml);
        Cli cli = Cli.run(experiment.toString(), "--out", dir.resolve("runs").toString(), "--quiet");
        assertEquals(0, cli.exitCode(), cli.err());
        Path run = ExperimentsTest.runDirectory(cli);
        return run;
    }

    @Test
    void nothingANameAPathOrAConfigValueHoldsBreaksOutOfThePage(@TempDir Path dir) throws Exception {
        Path run = hostileRun(dir);
        String html = Files.readString(run.resolve("report.html"));
        assertEquals(
                3,
                html.split("<script", -1).length - 1,
                "uPlot, the data and the page's script: no other script block");
        assertEquals(3, html.split("</script", -1).length - 1, "and none ended early");
        assertFalse(html.contains("<script>alert"), "no markup from the data");
        assertFalse(html.contains("<!--"), "no comment opened inside a script block");
        String block = html.substring(
                html.indexOf("id=\"page-data\">"), html.indexOf("</script>", html.indexOf("id=\"page-data\">")));
        assertFalse(block.contains("\u2028") || block.contains("\u2029"), "line separators escaped in the JSON");
        JsonNode test = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("summary.json").toFile())
                .path("test");
        List<String> classes = new java.util.ArrayList<>();
        test.path("classes").forEach(c -> classes.add(c.asText()));
        assertEquals(new java.util.TreeSet<>(HOSTILE_CLASSES), new java.util.TreeSet<>(classes));
        for (String name : HOSTILE_CLASSES) {
            assertTrue(
                    html.contains("<th class=\"row\">" + io.backprop.runner.run.Report.escape(name) + "</th>"),
                    "the heat map names " + name);
        }
        assertTrue(
                html.contains("&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;"),
                "the config shows the value as text");
    }

    @Test
    void theConfusionMatrixIsAHeatMapWithCountsAndThePerClassTableFollows(@TempDir Path runs) throws Exception {
        Path run = Pages.irisRun(runs);
        String html = Files.readString(run.resolve("report.html"));
        JsonNode test = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("summary.json").toFile())
                .path("test");
        var cell = Pattern.compile(
                "<td style=\"background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})\" title=\"true ([^,]*), predicted ([^:]*): (\\d+) of (\\d+)\"><span class=\"count\">(\\d+)</span>");
        // The first split of the classes: the held-out one (the others follow, folded).
        String section = html.substring(
                html.indexOf("<section class=\"classes\"><h2>Classes, test set"),
                html.indexOf("</section>", html.indexOf("<section class=\"classes\">")));
        var m = cell.matcher(section);
        int cells = 0;
        while (m.find()) {
            int trueIndex = indexOf(test.path("classes"), m.group(3));
            int predictedIndex = indexOf(test.path("classes"), m.group(4));
            assertEquals(
                    test.path("confusion_matrix")
                            .get(trueIndex)
                            .get(predictedIndex)
                            .asLong(),
                    Long.parseLong(m.group(7)),
                    "the count");
            assertTrue(
                    contrast(m.group(1), m.group(2)) >= 4.5,
                    "text readable on its shade: " + m.group(1) + " / " + m.group(2));
            cells++;
        }
        assertEquals(9, cells, "three classes by three");
        assertTrue(html.contains("<table class=\"numbers per-class\">"), "the per-class table");
        for (String k : List.of("precision", "recall", "f1", "support"))
            assertTrue(html.contains("<th>" + k + "</th>"), k);
    }

    private static int indexOf(JsonNode names, String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).asText().equals(name)) return i;
        throw new AssertionError("no class " + name);
    }

    /** The WCAG contrast ratio of two colours. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        double l = 0;
        double[] weights = {0.2126, 0.7152, 0.0722};
        for (int k = 0; k < 3; k++) {
            double c = Integer.parseInt(hex.substring(1 + 2 * k, 3 + 2 * k), 16) / 255.0;
            l += weights[k] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        return l;
    }
}
