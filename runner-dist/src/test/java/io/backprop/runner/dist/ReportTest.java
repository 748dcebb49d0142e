package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html of a run and the report command's overlays: curves as inline SVG, the stop marked, nothing fetched. */
class ReportTest {
    private static final Pattern POLYLINE = Pattern.compile("<polyline class=\"(\\w+)\"[^>]* points=\"([^\"]*)\"");

    private static Path run(Path runs, String... args) {
        var all = new java.util.ArrayList<>(List.of(ExperimentsTest.EXPERIMENTS.resolve("early-stopping.yaml").toString(),
                "--out", runs.toString(), "--set", "training.max_epochs=40", "--set", "training.stopping[0].patience=10"));
        all.addAll(List.of(args));
        Cli cli = Cli.run(all.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    @Test
    void everyRunWritesASelfContainedReportWithItsCurves(@TempDir Path runs) throws Exception {
        Path run = run(runs);
        String html = Files.readString(run.resolve("report.html"));
        int epochs = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        var m = POLYLINE.matcher(html);
        List<String> curves = new java.util.ArrayList<>();
        while (m.find()) {
            curves.add(m.group(1));
            assertEquals(epochs, m.group(2).split(" ").length, m.group(1) + " has a point per epoch");
        }
        assertEquals(List.of("train_loss", "validation_loss", "train_accuracy", "validation_accuracy"), curves);
        assertTrue(html.contains("<line class=\"stop\""), "the stop is marked");
        assertTrue(html.contains("<circle class=\"kept\""), "the kept epoch is marked");
        assertTrue(html.contains("kept the weights of epoch"), html);
        assertTrue(html.contains("seed: 6"), "the resolved config is shown");
        String withoutNamespaces = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assertTrue(!html.contains("<script") && !withoutNamespaces.contains("http://") && !withoutNamespaces.contains("https://"),
                "nothing is fetched");
        assertTrue(!html.contains("src=") && !html.contains("<link"), "no external resources");
    }

    @Test
    void theReportCommandOverlaysRunsAndNamesWhatDiffers(@TempDir Path runs) throws Exception {
        Path a = run(runs, "--set", "training.l2=0");
        Path b = run(runs, "--set", "training.l2=0.01");
        Path page = runs.resolve("compare.html");
        Cli cli = Cli.run("report", a.toString(), b.toString(), "-o", page.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        assertEquals(List.of(page.toString()), cli.outLines());
        String html = Files.readString(page);
        assertTrue(html.contains(a.getFileName() + ", training.l2=0.0"), "labels say what differs");
        assertTrue(html.contains(b.getFileName() + ", training.l2=0.01"), "labels say what differs");
        var m = POLYLINE.matcher(html);
        int lines = 0;
        while (m.find()) lines++;
        assertEquals(8, lines, "two runs, two splits, two charts");
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
        assertEquals(List.of("-o: no such directory: " + nowhere.getParent() + "; name a file in a directory that is there"), missing.errLines());
    }

    @Test
    void aRunNamedTwiceThroughLatestIsDrawnOnce(@TempDir Path runs) throws Exception {
        Path a = run(runs, "--set", "training.l2=0");
        Path b = run(runs, "--set", "training.l2=0.01");
        Path twice = Path.of(Cli.run("report", a.toString(), b.toString(), b.resolveSibling("latest").toString()).out().strip());
        Path once = Path.of(Cli.run("report", a.toString(), b.toString()).out().strip());
        long curves = Files.readString(once).split("<polyline", -1).length;
        assertTrue(curves > 1, "the page draws curves");
        assertEquals(curves, Files.readString(twice).split("<polyline", -1).length, "runs/x/* with its latest draws each run once");
    }

    @Test
    void aHalfWrittenLastLineOfMetricsIsLeftOutAndAnyOtherBadLineNamed(@TempDir Path runs) throws Exception {
        Path run = run(runs);
        int epochs = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\": " + (epochs + 1) + ", \"train_lo", java.nio.file.StandardOpenOption.APPEND);
        Cli cli = Cli.run("report", run.toString());
        assertEquals(0, cli.exitCode(), cli.err());
        var m = POLYLINE.matcher(Files.readString(run.resolve("report.html")));
        assertTrue(m.find());
        assertEquals(epochs, m.group(2).split(" ").length, "the epochs written whole");

        Files.writeString(run.resolve("metrics.jsonl"), "\n{\"epoch\": 99}\n", java.nio.file.StandardOpenOption.APPEND);
        Cli broken = Cli.run("report", run.toString());
        assertEquals(2, broken.exitCode(), broken.err());
        assertEquals(1, broken.errLines().size(), broken.err());
        assertTrue(broken.errLines().get(0).startsWith(run.resolve("metrics.jsonl") + ":" + (epochs + 1) + ": not a line of JSON"), broken.err());
    }

    @Test
    void aDirectoryThatIsNoRunIsBadInput(@TempDir Path dir) {
        Cli cli = Cli.run("report", dir.toString());
        assertEquals(2, cli.exitCode());
        assertEquals(List.of(dir + ": not a run directory: it has no summary.json"), cli.errLines());
    }
}
