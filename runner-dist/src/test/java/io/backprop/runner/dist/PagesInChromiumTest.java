package io.backprop.runner.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * report.html, an overlay and sweep.html of real runs in Debian's headless Chromium, driven by chromium-driver: no
 * console errors, nothing fetched, every chart drawn, the hover readout equal to metrics.jsonl, legend clicks and the
 * log toggle working. Screenshots go to target/screenshots/ (docs/report.png is the first of them).
 */
@Tag("services")
class PagesInChromiumTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static ChromeDriver browser;

    @TempDir
    static Path runs;

    @BeforeAll
    static void startChromium() throws IOException {
        Path chromium = program("chromium");
        Path driver = program("chromedriver");
        if (chromium == null || driver == null) {
            fail(
                    "needs Debian's chromium and chromium-driver on the PATH (apt-get install chromium chromium-driver); found chromium "
                            + chromium + ", chromedriver " + driver);
        }
        var options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1200,1600",
                "--force-device-scale-factor=1",
                "--disable-dev-shm-usage");
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) browser.quit();
    }

    private static Path program(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name);
        }
        return null;
    }

    /** Opens a page, waits for its charts, and checks what every page must: no errors, nothing fetched, every chart drawn. */
    private static void open(Path page, List<String> charts) {
        browser.manage().logs().get(LogType.BROWSER); // drops what an earlier page logged
        browser.get(page.toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .until(d -> Boolean.TRUE.equals(browser.executeScript(
                        "return !!window.pageCharts && arguments[0].every(function (n) { return !!window.pageCharts[n]; });",
                        charts)));
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) errors.add(e.getLevel() + " " + e.getMessage());
        }
        assertEquals(List.of(), errors, "the console of " + page);
        assertEquals(
                0L,
                browser.executeScript("return performance.getEntriesByType('resource').length;"),
                "nothing fetched");
        for (String chart : charts) assertTrue(inkedPixels(chart) > 500, chart + " drew on its canvas");
    }

    /** How many pixels of a chart's canvas are neither blank nor white. */
    private static long inkedPixels(String chart) {
        return (Long) browser.executeScript(
                "var c = window.pageCharts[arguments[0]].ctx.canvas;"
                        + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; var n = 0;"
                        + "for (var i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) n++;"
                        + "return n;",
                chart);
    }

    private static String canvasPicture(String chart) {
        return (String) browser.executeScript("return window.pageCharts[arguments[0]].ctx.canvas.toDataURL();", chart);
    }

    /** Moves the mouse to {@code epoch}'s x on a chart and reads its legend: each series' label and value. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> hover(String chart, double x) {
        WebElement over = browser.findElement(By.cssSelector("[data-chart='" + chart + "'] .u-over"));
        Map<String, Object> at = (Map<String, Object>) browser.executeScript(
                "var u = window.pageCharts[arguments[0]];"
                        + "return {x: u.valToPos(arguments[1], 'x'), w: u.over.clientWidth, h: u.over.clientHeight};",
                chart,
                x);
        int dx = (int) Math.round(((Number) at.get("x")).doubleValue() - ((Number) at.get("w")).doubleValue() / 2);
        new Actions(browser).moveToElement(over, dx, 0).perform();
        return (Map<String, String>) browser.executeScript(
                "var out = {};"
                        + "document.querySelectorAll(\"[data-chart='\" + arguments[0] + \"'] .u-legend .u-series\").forEach(function (row) {"
                        + "  if (row.style.display === 'none') return;"
                        + "  out[row.querySelector('.u-label').textContent] = row.querySelector('.u-value').textContent; });"
                        + "return out;",
                chart);
    }

    private static List<JsonNode> metrics(Path run) throws IOException {
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) epochs.add(JSON.readTree(line));
        return epochs;
    }

    /** A shown value is the recorded one to the digits it shows. */
    private static void assertShows(double recorded, String shown, String what) {
        String number = shown.split(" ")[0];
        double value = Double.parseDouble(number);
        String digits = number.replaceFirst("e.*", "")
                .replaceFirst("^-?0\\.0*", "")
                .replace(".", "")
                .replace("-", "");
        double unit = Math.abs(recorded) * Math.pow(10, 1 - Math.max(1, digits.length()));
        assertTrue(
                Math.abs(value - recorded) <= 0.5 * unit + 1e-12, what + ": shown " + shown + ", recorded " + recorded);
    }

    /** The whole page as a picture (up to 4000 pixels down), the window then set back. */
    private static void screenshot(String name) throws IOException {
        browser.executeScript("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();");
        new Actions(browser).moveToLocation(1, 1).perform();
        var window = browser.manage().window();
        var size = window.getSize();
        long inner = (Long) browser.executeScript("return window.innerHeight;");
        long page = (Long) browser.executeScript("return document.documentElement.scrollHeight;");
        window.setSize(new Dimension(size.getWidth(), (int) Math.min(4000, size.getHeight() - inner + page)));
        try {
            Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            window.setSize(size);
        }
    }

    private static Path run(String experiment, String... sets) {
        List<String> args = new ArrayList<>(List.of(
                ExperimentsTest.EXPERIMENTS.resolve(experiment).toString(), "--out", runs.toString(), "--quiet"));
        for (String set : sets) args.addAll(List.of("--set", set));
        Cli cli = Cli.run(args.toArray(String[]::new));
        assertEquals(0, cli.exitCode(), cli.err());
        return ExperimentsTest.runDirectory(cli);
    }

    @Test
    void aRunsReportDrawsItsCurvesAndReadsOutWhatMetricsJsonlRecorded() throws Exception {
        Path run = Pages.irisRun(runs.resolve("iris"));
        open(run.resolve("report.html"), List.of("loss", "accuracy"));
        screenshot("report-iris.png");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        List<JsonNode> epochs = metrics(run);
        int kept = summary.path("kept_epoch").asInt();
        for (int epoch : List.of(3, kept, epochs.size())) {
            JsonNode recorded = epochs.get(epoch - 1);
            Map<String, String> loss = hover("loss", epoch);
            assertEquals(String.valueOf(epoch), loss.get("epoch"), "the readout is of the epoch under the mouse");
            assertShows(recorded.path("train_loss").asDouble(), loss.get("training"), "training loss at " + epoch);
            assertShows(
                    recorded.path("validation_loss").asDouble(), loss.get("validation"), "validation loss at " + epoch);
            Map<String, String> accuracy = hover("accuracy", epoch);
            assertShows(
                    recorded.path("train_accuracy").asDouble(),
                    accuracy.get("training"),
                    "training accuracy at " + epoch);
            assertShows(
                    recorded.path("validation_accuracy").asDouble(),
                    accuracy.get("validation"),
                    "validation accuracy at " + epoch);
        }
        assertEquals(
                List.of("epoch", "training", "validation"),
                List.copyOf(hover("loss", 5).keySet()),
                "a legend entry per series there is");

        // The stop and the kept epoch: marked on validation loss, the metric early-stopping watched, and said under the
        // chart.
        String marks = browser.findElement(By.cssSelector("[data-chart='loss'] .marks"))
                .getText();
        assertTrue(
                marks.contains("stopped at epoch " + summary.path("epochs").asInt()
                        + " by early-stopping, which watches validation loss"),
                marks);
        assertTrue(marks.contains("kept the weights of epoch " + kept + ", the best validation loss"), marks);

        // A legend click hides the series, and the picture changes with it.
        String before = canvasPicture("loss");
        browser.findElements(By.cssSelector("[data-chart='loss'] .u-legend .u-series .u-label"))
                .get(2)
                .click();
        assertEquals(
                false, browser.executeScript("return window.pageCharts.loss.series[2].show;"), "validation hidden");
        assertNotEquals(before, canvasPicture("loss"), "redrawn without it");
        browser.findElements(By.cssSelector("[data-chart='loss'] .u-legend .u-series .u-label"))
                .get(2)
                .click();
        assertEquals(true, browser.executeScript("return window.pageCharts.loss.series[2].show;"), "and back");

        // The log toggle: the loss opens on a log axis where it spans decades (the page's data says which); a click
        // switches to the other axis, a second one back.
        long first = Pages.data(run.resolve("report.html"))
                        .path("charts")
                        .get(0)
                        .path("log")
                        .asBoolean()
                ? 3L
                : 1L;
        String distr = "return window.pageCharts.loss.scales.y.distr;";
        assertEquals(first, browser.executeScript(distr), "the axis it opens on");
        String label = "return window.pageCharts.loss.axes[1].label;";
        assertEquals(
                first == 3L, ((String) browser.executeScript(label)).endsWith("(log scale)"), "its label says which");
        browser.findElement(By.cssSelector("[data-chart='loss'] .log-toggle")).click();
        assertEquals(4L - first, browser.executeScript(distr), "switched");
        assertEquals(first != 3L, ((String) browser.executeScript(label)).endsWith("(log scale)"));
        assertTrue(inkedPixels("loss") > 500, "drawn again");
        browser.findElement(By.cssSelector("[data-chart='loss'] .log-toggle")).click();
        assertEquals(first, browser.executeScript(distr), "and back");

        // The heat map: a cell per pair of classes, each with the count summary.json has.
        assertEquals("test", assertClassesShowTheSummary(run), "the held-out split first");
        assertEquals(
                9,
                browser.findElements(By.cssSelector("section.classes table.heat td"))
                        .size());
    }

    /**
     * The classes section of the open page shows its split as summary.json has it: every cell of the heat map its
     * count in confusion_matrix, a row of the per-class table per class, and the headline row of the split its
     * numbers (never a whole object). Returns the split shown.
     */
    private static String assertClassesShowTheSummary(Path run) throws IOException {
        String heading =
                browser.findElement(By.cssSelector("section.classes h2")).getText();
        String split = heading.replaceFirst("^Classes, (\\w+) set.*", "$1");
        JsonNode values = JSON.readTree(run.resolve("summary.json").toFile()).path(split);
        JsonNode matrix = values.path("confusion_matrix");
        assertTrue(matrix.size() >= 2, heading + ": " + values);
        List<WebElement> rows = browser.findElements(By.cssSelector("section.classes table.heat tbody tr"));
        assertEquals(matrix.size(), rows.size(), "a row per true class");
        for (int r = 0; r < matrix.size(); r++) {
            assertEquals(
                    values.path("classes").get(r).asText(),
                    rows.get(r).findElement(By.cssSelector("th.row")).getText());
            List<WebElement> cells = rows.get(r).findElements(By.tagName("td"));
            assertEquals(matrix.get(r).size(), cells.size());
            for (int c = 0; c < cells.size(); c++) {
                assertEquals(
                        matrix.get(r).get(c).asText(),
                        cells.get(c).findElement(By.cssSelector(".count")).getText(),
                        "cell " + r + "," + c);
            }
        }
        List<WebElement> perClass = browser.findElements(By.cssSelector("section.classes table.per-class tbody tr"));
        assertEquals(values.path("per_class").size(), perClass.size(), "a row per class");
        for (int r = 0; r < perClass.size(); r++) {
            JsonNode row = values.path("per_class").get(r);
            assertEquals(
                    row.path("class").asText(),
                    perClass.get(r).findElement(By.tagName("th")).getText());
            String recall =
                    perClass.get(r).findElements(By.tagName("td")).get(1).getText();
            if (row.path("recall").isNull()) assertEquals("–", recall);
            else assertShows(row.path("recall").asDouble(), recall, "recall of " + row.path("class"));
        }
        assertHeadlineShows(values, split);
        return split;
    }

    /** The headline table's row of {@code split}: a number or a dash in each cell, accuracy (or RMSE) the recorded one. */
    private static void assertHeadlineShows(JsonNode values, String split) {
        List<String> header = new ArrayList<>();
        browser.findElements(By.cssSelector("section.headline table thead th")).forEach(th -> header.add(th.getText()));
        for (WebElement row : browser.findElements(By.cssSelector("section.headline table tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            for (WebElement cell : cells)
                assertTrue(cell.getText().matches("–|-?[0-9.]+(e[-+]?[0-9]+)?"), "a number: " + cell.getText());
            if (!row.findElement(By.tagName("th")).getText().equals(split)) continue;
            String metric = values.has("accuracy") ? "accuracy" : "rmse";
            assertShows(
                    values.path(metric).asDouble(),
                    cells.get(header.indexOf(metric) - 1).getText(),
                    split + " " + metric);
            return;
        }
        fail("no headline row of " + split);
    }

    @Test
    void classificationAndRegressionRunsShowTheirSplitsAsSummaryJsonHasThem() throws Exception {
        record Case(String picture, String experiment, String[] sets) {}
        for (Case c : List.of(
                new Case("report-mnist.png", "mnist.yaml", new String[] {
                    "training.max_epochs=2", "data.train.limit=1000", "data.test.limit=300"
                }),
                new Case("report-penguins.png", "penguins.yaml", new String[] {"training.max_epochs=40"}),
                new Case("report-moons.png", "early-stopping.yaml", new String[] {"training.max_epochs=30"}))) {
            Path run = run(c.experiment(), c.sets());
            open(run.resolve("report.html"), List.of("loss", "accuracy"));
            screenshot(c.picture());
            assertEquals("test", assertClassesShowTheSummary(run), c.experiment());
        }
        Path sine = run("sine.yaml", "training.max_epochs=40");
        open(sine.resolve("report.html"), List.of("loss", "rmse"));
        screenshot("report-sine.png");
        assertEquals(0, browser.findElements(By.cssSelector("table.heat")).size(), "no classes in a regression");
        assertHeadlineShows(JSON.readTree(sine.resolve("summary.json").toFile()).path("test"), "test");
    }

    @Test
    void anOverlayGivesEachRunAColourAndReadsOutEveryRunAtAnEpoch() throws Exception {
        Path a = run("early-stopping.yaml", "training.max_epochs=30", "training.l2=0");
        Path b = run("early-stopping.yaml", "training.max_epochs=30", "training.l2=0.01");
        Path page = runs.resolve("overlay.html");
        assertEquals(
                0,
                Cli.run("report", a.toString(), b.toString(), "-o", page.toString())
                        .exitCode());
        open(page, List.of("loss", "accuracy"));
        screenshot("report-overlay.png");
        Map<String, String> shown = hover("loss", 12);
        assertEquals(5, shown.size(), "epoch, and each run's training and validation loss: " + shown);
        List<String> strokes = new ArrayList<>();
        for (int i = 1; i <= 4; i++)
            strokes.add((String) browser.executeScript(
                    "var u = window.pageCharts.loss, s = u.series[arguments[0]]; return typeof s.stroke === 'function' ? s.stroke(u, arguments[0]) : s.stroke;",
                    i));
        int checked = 0;
        for (var e : shown.entrySet()) {
            if (e.getKey().equals("epoch")) continue;
            assertTrue(
                    e.getKey().startsWith("training.l2=0.0 · ") || e.getKey().startsWith("training.l2=0.01 · "),
                    "the legend names each run by what sets it apart: " + e.getKey());
            Path run = e.getKey().startsWith("training.l2=0.0 · ") ? a : b;
            String key = e.getKey().endsWith("· training") ? "train_loss" : "validation_loss";
            assertShows(metrics(run).get(11).path(key).asDouble(), e.getValue(), e.getKey());
            checked++;
        }
        assertEquals(4, checked);
        assertEquals(strokes.get(0), strokes.get(1), "a run's two curves share its colour");
        assertNotEquals(strokes.get(0), strokes.get(2), "the runs' colours differ");
    }

    @Test
    void aSweepPageRanksThePointsAndDrawsEveryView() throws Exception {
        Path study = Files.writeString(runs.resolve("study.yaml"), """
                name: study
                seed: 10
                data: {train: {name: moons, samples: 60, noise: 0.2}, validation: {split: 0.25}}
                model:
                  layers: [{units: 8, activation: tanh}, {units: 2, activation: softmax}]
                  initializer: xavier-normal
                cost: cross-entropy
                training: {optimizer: {name: sgd, learning_rate: 0.1}, batch_size: 8, max_epochs: 12}
                sweep:
                  grid:
                    training.optimizer.learning_rate: [0.01, 0.1, 1.0]
                    model.layers[0].units: [4, 16]
                  repeats: 2
                  objective: {minimize: validation.loss}
                """);
        Cli cli = Cli.run(
                "sweep", study.toString(), "--out", runs.resolve("sweeps").toString(), "--parallel", "2");
        assertEquals(0, cli.exitCode(), cli.err());
        Path sweep = Path.of(cli.outLines().get(cli.outLines().size() - 1));
        List<String> charts = List.of(
                "objective:training.optimizer.learning_rate",
                "objective:model.layers[0].units",
                "curves:validation_loss",
                "curves:train_loss",
                "curves:validation_accuracy",
                "curves:train_accuracy");
        open(sweep.resolve("sweep.html"), charts);
        screenshot("sweep.png");
        assertEquals(
                3L,
                browser.executeScript(
                        "return window.pageCharts['objective:training.optimizer.learning_rate'].scales.x.distr;"),
                "0.01 to 1 spans two decades: a log axis");
        assertEquals(
                6,
                browser.findElements(By.cssSelector("svg.parallel path.line")).size(),
                "a line per point across the axes");
        assertEquals(
                1,
                browser.findElements(By.cssSelector("svg.parallel path.line.best"))
                        .size(),
                "the best one marked");

        // The mean line of a point at an epoch is the mean over its repeats of what they recorded.
        JsonNode data = Pages.data(sweep.resolve("sweep.html"));
        JsonNode point = data.path("points").get(0);
        Map<String, String> shown = hover("curves:validation_loss", 7);
        double sum = 0;
        for (int repeat = 0; repeat < 2; repeat++)
            sum += metrics(sweep.resolve(String.format("trial-%04d", repeat)))
                    .get(6)
                    .path("validation_loss")
                    .asDouble();
        assertShows(sum / 2, shown.get(point.path("label").asText()), "point 0's mean validation loss at epoch 7");
        assertEquals(6 + 1, shown.size(), "the legend names the points, not their bands or repeats: " + shown.keySet());

        // Each repeat is hidden until asked for.
        String repeats = "return window.pageCharts['curves:validation_loss'].series.filter(function (s, k) {"
                + " var r = window.pageCharts['curves:validation_loss'].roles[k]; return r && r.kind === 'repeat' && s.show; }).length;";
        assertEquals(0L, browser.executeScript(repeats));
        browser.findElement(By.cssSelector(".repeats-toggle")).click();
        assertEquals(12L, browser.executeScript(repeats), "six points, two repeats each");
        screenshot("sweep-repeats.png");

        // One colour per point: each mark of an objective chart is drawn in the colour of its point's swatch in the
        // ranked table (the lines joining them, one per value of the other parameter, are greys).
        for (String chart : charts.subList(0, 2)) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> marks = (List<Map<String, Object>>) browser.executeScript(
                    "var u = window.pageCharts[arguments[0]];"
                            + "var c = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height);"
                            + "return u.marks.map(function (m, k) {"
                            + "  var later = u.marks.slice(k + 1).some(function (o) { return Math.hypot(o.x - m.x, o.y - m.y) < 12 * devicePixelRatio; });"
                            + "  var i = (Math.round(m.y) * c.width + Math.round(m.x)) * 4;"
                            + "  var swatch = Array.prototype.find.call(document.querySelectorAll('section.ranked tbody tr'), function (tr) {"
                            + "    return tr.children[1].textContent === String(m.point); }).querySelector('.swatch');"
                            + "  return {point: m.point, colour: m.colour, covered: later, swatch: getComputedStyle(swatch).backgroundColor,"
                            + "    pixel: 'rgb(' + c.data[i] + ', ' + c.data[i + 1] + ', ' + c.data[i + 2] + ')'}; });",
                    chart);
            assertEquals(6, marks.size(), chart + ": a mark per point");
            for (Map<String, Object> m : marks) {
                String rgb = rgb((String) m.get("colour"));
                assertEquals(m.get("swatch"), rgb, chart + ": point " + m.get("point") + "'s mark and swatch");
                if (!(Boolean) m.get("covered"))
                    assertEquals(rgb, m.get("pixel"), chart + ": point " + m.get("point") + " drawn in it");
            }
        }

        // The ranked table first: best first, by the objective.
        List<WebElement> rows = browser.findElements(By.cssSelector("section.ranked tbody tr"));
        assertEquals(6, rows.size());
        assertTrue(rows.get(0).getAttribute("class").contains("best"));
    }

    private static String rgb(String hex) {
        int n = Integer.parseInt(hex.substring(1), 16);
        return "rgb(" + (n >> 16 & 255) + ", " + (n >> 8 & 255) + ", " + (n & 255) + ")";
    }

    @Test
    void hostileNamesStayText() throws Exception {
        Path run = ReportTest.hostileRun(runs.resolve("hostile"));
        open(run.resolve("report.html"), List.of("loss", "accuracy"));
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "no script from the data ran");
        List<String> names = new ArrayList<>();
        browser.findElements(By.cssSelector("table.heat th.row"))
                .forEach(th -> names.add((String) browser.executeScript("return arguments[0].textContent;", th)));
        assertEquals(
                new java.util.TreeSet<>(ReportTest.HOSTILE_CLASSES),
                new java.util.TreeSet<>(names),
                "the class names shown as they are");
        assertEquals(3L, browser.executeScript("return document.scripts.length;"));
        assertFalse(browser.getPageSource().contains("<script>alert"));
    }
}
