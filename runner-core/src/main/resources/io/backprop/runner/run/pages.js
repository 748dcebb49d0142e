// Draws report.html and sweep.html from the page's JSON data block with uPlot (inlined above). Every text taken
// from the data goes into the page as textContent or an attribute value, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  // The drawn charts by name, for readers who want to script the page (and for the browser tests).
  var charts = window.pageCharts = {};
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  var SPLIT_NAMES = {train: "training", validation: "validation", test: "test"};
  // The lines of an objective chart, one per combination of the other parameters (their marks carry the points' colours).
  var GROUP_GREYS = ["#444444", "#888888", "#222222", "#aaaaaa"];
  var GROUP_DASHES = [undefined, [6, 4], [2, 3], [10, 3, 2, 3]];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  // As Page.format: 4 significant digits, whole numbers as they are, exponents outside 1e-4 .. 1e7.
  function fmt(v) {
    if (v == null || !isFinite(v)) return "–";
    if (Math.round(v) === v && Math.abs(v) < 1e15) return String(v);
    if (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e7) return v.toExponential(3);
    return String(Number(v.toPrecision(4)));
  }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + a + ")";
  }

  // An axis as wide as its longest tick label (uPlot's default width clips long ones).
  function axisSize(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    var size = axis.ticks.size + axis.gap;
    var longest = (values || []).reduce(function (a, v) { return v != null && String(v).length > a.length ? String(v) : a; }, "");
    if (longest !== "") {
      u.ctx.font = axis.font[0];
      size += u.ctx.measureText(longest).width / devicePixelRatio;
    }
    return Math.ceil(size) + (axis.label ? 22 : 0);
  }

  // Epochs are whole: ticks at 1, 2, 5, 10, 20, 25, 50, ... never between two epochs.
  var EPOCH_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 25000, 50000, 100000, 1e6];
  // Epochs as plain integers: uPlot's default writes 1000 as "1,000".
  var EPOCH_AXIS = {label: "epoch", incrs: EPOCH_STEPS, values: function (u, splits) { return splits.map(String); }};

  function width(container) {
    return Math.max(320, Math.floor(container.getBoundingClientRect().width));
  }

  // A small label with a white box behind it, drawn on the plot's canvas at canvas pixels (x, y).
  function tag(ctx, text, x, y, colour, alignRight) {
    var pr = devicePixelRatio;
    ctx.save();
    ctx.setLineDash([]);
    ctx.textAlign = "left";
    ctx.font = "bold " + Math.round(12 * pr) + "px system-ui, sans-serif";
    var w = ctx.measureText(text).width + 8 * pr;
    var h = 18 * pr;
    var left = alignRight ? x - w : x;
    ctx.fillStyle = "rgba(255,255,255,0.9)";
    ctx.strokeStyle = colour;
    ctx.lineWidth = pr;
    ctx.fillRect(left, y, w, h);
    ctx.strokeRect(left, y, w, h);
    ctx.fillStyle = "#111";
    ctx.textBaseline = "middle";
    ctx.fillText(text, left + 4 * pr, y + h / 2);
    ctx.restore();
  }

  // ---------------------------------------------------------------- report.html: learning curves of runs
  function runColour(run, i, split) {
    if (data.runs.length === 1) return split === "train" ? PALETTE[0] : PALETTE[1];
    return PALETTE[i % PALETTE.length];
  }

  // The x values every series shares: each epoch any run recorded.
  function epochAxis(runs) {
    var seen = {};
    runs.forEach(function (r) { r.epochs.forEach(function (e) { seen[e] = true; }); });
    return Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
  }

  function align(xs, epochs, values) {
    var at = {};
    epochs.forEach(function (e, k) { at[e] = values[k]; });
    return xs.map(function (x) { return at[x] === undefined ? null : at[x]; });
  }

  // Pads the epoch axis past the last epoch so a mark there stands inside the plot, not on its border.
  function epochRange(u, min, max) {
    if (min == null) return [0, 1];
    var pad = Math.max(0.25, (max - min) * 0.025);
    return [min, max + pad];
  }

  function yRange(log) {
    return function (u, min, max) {
      if (min == null) return [0, 1];
      if (log) return uPlot.rangeLog(min, max, 10, false);
      return uPlot.rangeNum(min, max, 0.1, true);
    };
  }

  function markerPlugin(marks) {
    return {hooks: {draw: [function (u) {
      var ctx = u.ctx;
      var pr = devicePixelRatio;
      var top = u.bbox.top;
      var bottom = u.bbox.top + u.bbox.height;
      var right = u.bbox.left + u.bbox.width;
      var stopRow = 0;
      marks.forEach(function (m) {
        var s = u.series[m.series];
        if (!s.show) return;
        var x = u.valToPos(m.epoch, "x", true);
        if (x < u.bbox.left - 1 || x > right + 1) return;
        ctx.save();
        if (m.kind === "stop") {
          ctx.strokeStyle = m.colour;
          ctx.lineWidth = 2 * pr;
          ctx.setLineDash([6 * pr, 4 * pr]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, bottom);
          ctx.stroke();
          ctx.restore();
          tag(ctx, m.text, x - 4 * pr, top + (6 + 20 * stopRow++) * pr, m.colour, true);
          return;
        }
        var v = u.data[m.series][u.data[0].indexOf(m.epoch)];
        if (v == null) { ctx.restore(); return; }
        var y = u.valToPos(v, s.scale, true);
        if (y < top - 1 || y > bottom + 1) { ctx.restore(); return; }
        ctx.fillStyle = "#fff";
        ctx.strokeStyle = m.colour;
        ctx.lineWidth = 3 * pr;
        ctx.beginPath();
        ctx.arc(x, y, 7 * pr, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = "#111";
        ctx.beginPath();
        ctx.arc(x, y, 2 * pr, 0, 2 * Math.PI);
        ctx.fill();
        ctx.restore();
        var alignRight = x > u.bbox.left + u.bbox.width * 0.7;
        var ty = y - 26 * pr < top ? y + 10 * pr : y - 26 * pr;
        tag(ctx, m.text, alignRight ? x - 8 * pr : x + 8 * pr, ty, m.colour, alignRight);
      });
    }]}};
  }

  function curveChart(container, chart) {
    var runs = data.runs;
    var xs = epochAxis(runs);
    var series = [{label: "epoch", value: function (u, v) { return v == null ? "–" : String(v); }}];
    var columns = [xs];
    var keys = [];
    var marks = [];
    var notes = [];
    runs.forEach(function (r, i) {
      ["train", "validation"].forEach(function (split) {
        var key = split + "_" + chart.metric;
        var values = r.series[key];
        if (!values || !values.some(function (v) { return v != null; })) return;
        var colour = runColour(r, i, split);
        var name = SPLIT_NAMES[split];
        series.push({
          label: runs.length === 1 ? name : r.legend + " · " + name,
          stroke: colour,
          width: 2,
          // One run tells its splits apart by colour; an overlay, whose colours are its runs, by the dash.
          dash: split === "validation" && runs.length > 1 ? [7, 4] : undefined,
          spanGaps: false,
          points: {show: xs.length <= 20},
          value: function (u, v) { return fmt(v); }
        });
        columns.push(align(xs, r.epochs, values));
        keys.push({run: i, key: key});
        var index = series.length - 1;
        [["stop", r.stop], ["kept", r.kept]].forEach(function (pair) {
          var m = pair[1];
          if (!m) return;
          var onThis = m.metric === key || (m.metric == null && pair[0] === "stop" && chart.metric === "loss" && split === "train");
          if (!onThis) return;
          var text = (pair[0] === "stop" ? "stop " : "kept ") + m.epoch;
          marks.push({kind: pair[0], epoch: m.epoch, series: index, colour: colour, text: text});
          notes.push((runs.length > 1 ? r.legend + ": " : "") + (pair[0] === "stop"
              ? "stopped at epoch " + m.epoch + " by " + m.by + (m.metric ? ", which watches " + m.metric.replace("_", " ") : "")
              : "kept the weights of epoch " + m.epoch + ", the best " + m.metric.replace("_", " ") + " (" + m.by + ")"));
        });
      });
    });
    var slot = el("div", {"class": "chart", "data-chart": chart.metric});
    var head = el("div", {"class": "chart-head"});
    head.appendChild(el("h3", null, chart.title));
    var logBox = null;
    if (chart.metric === "loss") {
      var label = el("label", {"class": "toggle"});
      logBox = el("input", {type: "checkbox", "class": "log-toggle"});
      logBox.checked = !!chart.log;
      label.appendChild(logBox);
      label.appendChild(document.createTextNode(" log scale"));
      head.appendChild(label);
    }
    slot.appendChild(head);
    var plot = el("div", {"class": "plot"});
    slot.appendChild(plot);
    if (notes.length) {
      var list = el("ul", {"class": "marks"});
      notes.forEach(function (n) { list.appendChild(el("li", null, n)); });
      slot.appendChild(list);
    }
    container.appendChild(slot);
    if (series.length === 1) {
      plot.appendChild(el("p", {"class": "note"}, "No " + chart.title.toLowerCase() + " was recorded."));
      return;
    }
    function draw(log, shown) {
      var opts = {
        width: width(plot),
        height: 300,
        scales: {x: {time: false, range: epochRange}, y: log ? {distr: 3, log: 10, range: yRange(true)} : {range: yRange(false)}},
        axes: [EPOCH_AXIS, {label: chart.title.toLowerCase() + (log ? " (log scale)" : ""), size: axisSize}],
        series: series.map(function (s, k) { var c = Object.assign({}, s); if (shown && k > 0) c.show = shown[k]; return c; }),
        cursor: {drag: {x: true, y: false}},
        legend: {live: true},
        plugins: [markerPlugin(marks)]
      };
      if (charts[chart.metric]) charts[chart.metric].destroy();
      charts[chart.metric] = new uPlot(opts, columns, plot);
      charts[chart.metric].seriesKeys = keys;
    }
    draw(!!chart.log);
    if (logBox) {
      logBox.addEventListener("change", function () {
        draw(logBox.checked, charts[chart.metric].series.map(function (s) { return s.show; }));
      });
    }
  }

  // ---------------------------------------------------------------- sweep.html
  // How a parameter's values sit on an axis: log where they span decades, asinh where 0 joins such values.
  function distribution(param) {
    if (param.scale === "log") return {distr: 3, log: 10};
    if (param.scale === "asinh") return {distr: 4, log: 10, asinh: param.asinh};
    return {distr: 1};
  }

  function objectiveChart(container, param) {
    var others = data.parameters.filter(function (p) { return p.name !== param.name; });
    var categorical = param.scale === "category";
    var position = function (value) { return categorical ? param.values.indexOf(value) : Number(value); };
    var xs = [];
    data.points.forEach(function (p) {
      if (p.mean == null) return;
      var x = position(p.values[param.name]);
      if (xs.indexOf(x) < 0) xs.push(x);
    });
    xs.sort(function (a, b) { return a - b; });
    // A line per combination of the other parameters (one line when this is the only one).
    var groups = [];
    var byKey = {};
    data.points.forEach(function (p) {
      if (p.mean == null) return;
      var key = others.map(function (o) { return o.name + "=" + p.values[o.name]; }).join(", ");
      // Its name at the line's end: each parameter by the last part of its name (the legend has them whole).
      var short = others.map(function (o) { return o.name.split(".").pop() + "=" + p.values[o.name]; }).join(", ");
      if (!(key in byKey)) { byKey[key] = groups.length; groups.push({key: key, short: short, points: []}); }
      groups[byKey[key]].points.push(p);
    });
    var random = data.mode === "random";
    var series = [{label: param.name, value: function (u, v) { return v == null ? "–" : categorical ? param.values[v] : fmt(v); }}];
    var columns = [xs];
    var spreads = [];
    var colours = [];
    groups.forEach(function (g, gi) {
      var mean = xs.map(function () { return null; });
      var spread = xs.map(function () { return null; });
      g.points.forEach(function (p) {
        var k = xs.indexOf(position(p.values[param.name]));
        mean[k] = p.mean;
        spread[k] = p;
      });
      // The marks take their point's colour, as in the ranked table and the learning curves; the lines joining
      // them are greys, told apart by their dash and named at their right end.
      var colour = GROUP_GREYS[gi % GROUP_GREYS.length];
      colours.push(colour);
      series.push({
        label: groups.length === 1 ? data.objective.metric + " mean" : g.key,
        stroke: colour,
        width: random ? 0 : 1.5,
        dash: GROUP_DASHES[gi % GROUP_DASHES.length],
        paths: random ? function () { return null; } : undefined,
        spanGaps: true,
        points: {show: false},
        value: function (u, v, si, idx) {
          var p = idx == null ? null : spreads[si - 1][idx];
          if (v == null || !p) return "–";
          return fmt(v) + (p.objectives.length > 1 ? " (" + fmt(p.min) + "–" + fmt(p.max) + ", sd " + fmt(p.std) + ", n=" + p.objectives.length + ")" : "");
        }
      });
      columns.push(mean);
      spreads.push(spread);
    });
    // Padded past the first and last value, so their marks and whiskers stand inside the plot.
    var forward = param.scale === "log" ? Math.log10 : param.scale === "asinh" ? function (v) { return Math.asinh(v / param.asinh); } : function (v) { return v; };
    var back = param.scale === "log" ? function (t) { return Math.pow(10, t); } : param.scale === "asinh" ? function (t) { return param.asinh * Math.sinh(t); } : function (t) { return t; };
    // Room on the right for the lines' names.
    var named = groups.length > 1 ? 5 : 1;
    var xScale = categorical ? {time: false, range: function () { return [-0.5, param.values.length - 0.5 + (named > 1 ? 0.8 : 0)]; }}
        : Object.assign({time: false, range: function () {
          var lo = forward(xs[0]), hi = forward(xs[xs.length - 1]);
          var pad = hi > lo ? (hi - lo) * 0.06 : 1;
          return [back(lo - pad), back(hi + pad * named)];
        }}, distribution(param));
    var xAxis = {label: param.name + (param.scale === "log" ? " (log scale)" : param.scale === "asinh" ? " (log scale past " + fmt(param.asinh) + ", 0 included)" : ""),
      };
    if (categorical) {
      xAxis.splits = function () { return param.values.map(function (v, i) { return i; }); };
      xAxis.values = function (u, splits) { return splits.map(function (i) { return param.values[i]; }); };
    } else if (param.scale !== "linear" || xs.length <= 12) {
      // The swept values themselves as the ticks: they are what was tried.
      xAxis.splits = function () { return xs; };
      xAxis.filter = function (u, splits) { return splits; };
      xAxis.values = function (u, splits) { return splits.map(fmt); };
    }
    var whiskers = {hooks: {draw: [function (u) {
      var ctx = u.ctx;
      var pr = devicePixelRatio;
      spreads.forEach(function (spread, gi) {
        var s = u.series[gi + 1];
        if (!s.show) return;
        ctx.save();
        ctx.strokeStyle = colours[gi];
        ctx.lineWidth = 1.5 * pr;
        spread.forEach(function (p, k) {
          if (!p || p.objectives.length < 2) return;
          var x = u.valToPos(xs[k], "x", true) + (groups.length > 1 ? (gi - (groups.length - 1) / 2) * 4 * pr : 0);
          var y0 = u.valToPos(p.min, "y", true);
          var y1 = u.valToPos(p.max, "y", true);
          ctx.beginPath();
          ctx.moveTo(x, y0); ctx.lineTo(x, y1);
          ctx.moveTo(x - 4 * pr, y0); ctx.lineTo(x + 4 * pr, y0);
          ctx.moveTo(x - 4 * pr, y1); ctx.lineTo(x + 4 * pr, y1);
          ctx.stroke();
        });
        ctx.restore();
      });
      var names = [];
      u.marks = [];
      spreads.forEach(function (spread, gi) {
        if (!u.series[gi + 1].show) return;
        var last = null;
        spread.forEach(function (p, k) {
          if (!p) return;
          var x = u.valToPos(xs[k], "x", true) + (groups.length > 1 ? (gi - (groups.length - 1) / 2) * 4 * pr : 0);
          var y = u.valToPos(p.mean, "y", true);
          ctx.save();
          ctx.fillStyle = p.colour;
          ctx.strokeStyle = "#fff";
          ctx.lineWidth = 1.5 * pr;
          ctx.beginPath();
          ctx.arc(x, y, 5.5 * pr, 0, 2 * Math.PI);
          ctx.fill();
          ctx.stroke();
          ctx.restore();
          u.marks.push({point: p.index, colour: p.colour, x: x, y: y});
          last = {x: x, y: y};
        });
        if (groups.length > 1 && last) names.push({text: groups[gi].short, x: last.x + 10 * pr, y: last.y});
      });
      // Top to bottom, each at least a line below the one above, so that names of lines ending close stay apart.
      names.sort(function (a, b) { return a.y - b.y; });
      names.forEach(function (n, k) { if (k > 0) n.y = Math.max(n.y, names[k - 1].y + 15 * pr); });
      names.forEach(function (n) {
        ctx.save();
        ctx.font = Math.round(12 * pr) + "px system-ui, sans-serif";
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.fillStyle = "#333";
        ctx.lineWidth = 4 * pr;
        ctx.strokeStyle = "rgba(255,255,255,0.9)";
        ctx.strokeText(n.text, n.x, n.y);
        ctx.fillText(n.text, n.x, n.y);
        ctx.restore();
      });
    }]}};
    var slot = el("div", {"class": "chart", "data-chart": "objective:" + param.name});
    var head = el("div", {"class": "chart-head"});
    head.appendChild(el("h3", null, data.objective.metric + " against " + param.name));
    slot.appendChild(head);
    var plot = el("div", {"class": "plot"});
    slot.appendChild(plot);
    container.appendChild(slot);
    var lo = Infinity, hi = -Infinity;
    data.points.forEach(function (p) { if (p.mean != null) { lo = Math.min(lo, p.min); hi = Math.max(hi, p.max); } });
    charts["objective:" + param.name] = new uPlot({
      width: width(plot),
      height: 280,
      scales: {x: xScale, y: {range: function () { return uPlot.rangeNum(lo, hi, 0.1, true); }}},
      axes: [xAxis, {label: data.objective.metric, size: axisSize}],
      series: series,
      cursor: {drag: {x: false, y: false}},
      legend: {live: true},
      plugins: [whiskers]
    }, columns, plot);
  }

  // Mean line, min–max band and (hidden until asked for) each repeat, one colour per point.
  function aggregateChart(container, metric, title, split) {
    var key = split + "_" + metric;
    var all = [];
    data.points.forEach(function (p) { p.repeats.forEach(function (r) { all.push(r); }); });
    var xs = epochAxis(all);
    var series = [{label: "epoch", value: function (u, v) { return v == null ? "–" : String(v); }}];
    var columns = [xs];
    var bands = [];
    var roles = [null];
    var log = metric === "loss";
    data.points.forEach(function (p) {
      var rows = p.repeats.filter(function (r) { return r.series[key]; }).map(function (r) { return align(xs, r.epochs, r.series[key]); });
      if (!rows.length) return;
      var mean = [], lo = [], hi = [];
      xs.forEach(function (x, k) {
        var vs = rows.map(function (row) { return row[k]; }).filter(function (v) { return v != null; });
        if (!vs.length) { mean.push(null); lo.push(null); hi.push(null); return; }
        mean.push(vs.reduce(function (a, b) { return a + b; }, 0) / vs.length);
        lo.push(Math.min.apply(null, vs));
        hi.push(Math.max.apply(null, vs));
        if (Math.min.apply(null, vs) <= 0) log = false;
      });
      var meanIndex = series.length;
      series.push({label: p.label, stroke: p.colour, width: 2, points: {show: false},
        value: function (u, v, si, idx) {
          if (v == null) return "–";
          var low = u.data[si + 2][idx], high = u.data[si + 1][idx];
          return fmt(v) + (rows.length > 1 ? " (" + fmt(low) + "–" + fmt(high) + ")" : "");
        }});
      columns.push(mean);
      roles.push({kind: "mean", point: p.index});
      series.push({label: p.label + " max", stroke: "transparent", width: 0, points: {show: false}});
      columns.push(hi);
      roles.push({kind: "band", point: p.index, mean: meanIndex});
      series.push({label: p.label + " min", stroke: "transparent", width: 0, points: {show: false}});
      columns.push(lo);
      roles.push({kind: "band", point: p.index, mean: meanIndex});
      bands.push({series: [meanIndex + 1, meanIndex + 2], fill: alpha(p.colour, 0.16)});
      rows.forEach(function (row, ri) {
        series.push({label: p.label + ", seed " + p.repeats[ri].seed, stroke: alpha(p.colour, 0.75), width: 1, show: false, points: {show: false},
          value: function (u, v) { return fmt(v); }});
        columns.push(row);
        roles.push({kind: "repeat", point: p.index, mean: meanIndex});
      });
    });
    if (series.length === 1) return null;
    var slot = el("div", {"class": "chart", "data-chart": "curves:" + key});
    var head = el("div", {"class": "chart-head"});
    head.appendChild(el("h3", null, SPLIT_NAMES[split] + " " + title.toLowerCase()));
    slot.appendChild(head);
    var plot = el("div", {"class": "plot"});
    slot.appendChild(plot);
    container.appendChild(slot);
    var u = new uPlot({
      width: width(plot),
      height: 300,
      scales: {x: {time: false, range: epochRange}, y: log ? {distr: 3, log: 10, range: yRange(true)} : {range: yRange(false)}},
      axes: [EPOCH_AXIS, {label: SPLIT_NAMES[split] + " " + title.toLowerCase() + (log ? " (log scale)" : ""), size: axisSize}],
      series: series,
      bands: bands,
      cursor: {drag: {x: true, y: false}},
      legend: {live: true},
      hooks: {setSeries: [function (u, i, opts) {
        // Hiding a point's mean hides its band and repeats too.
        if (i == null || !roles[i] || roles[i].kind !== "mean") return;
        roles.forEach(function (r, k) {
          if (!r || r.mean !== i) return;
          var show = opts.show && (r.kind === "band" || repeatsShown);
          if (u.series[k].show !== show) u.setSeries(k, {show: show}, false);
        });
      }]}
    }, columns, plot);
    // The legend names the points: band edges and single repeats stay out of it.
    var rowsOfLegend = u.root.querySelectorAll(".u-legend .u-series");
    roles.forEach(function (r, k) { if (r && r.kind !== "mean" && rowsOfLegend[k]) rowsOfLegend[k].style.display = "none"; });
    u.roles = roles;
    charts["curves:" + key] = u;
    return u;
  }

  var repeatsShown = false;

  function showRepeats(show) {
    repeatsShown = show;
    Object.keys(charts).forEach(function (name) {
      var u = charts[name];
      if (!u.roles) return;
      u.roles.forEach(function (r, k) {
        if (r && r.kind === "repeat") u.setSeries(k, {show: show && u.series[r.mean].show}, false);
      });
    });
  }

  // Parallel coordinates: an SVG axis per swept parameter and one for the objective, a line per point coloured by
  // its objective. SVG because there are few lines (the points of a study) and each can carry its own tooltip.
  function parallelCoordinates(container) {
    var NS = "http://www.w3.org/2000/svg";
    var axes = data.parameters.concat([{name: data.objective.metric, objective: true}]);
    var points = data.points.filter(function (p) { return p.mean != null; });
    var w = Math.max(480, Math.floor(container.getBoundingClientRect().width));
    var h = 340, top = 20, bottom = 46, left = 70, right = 70;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", w);
    svg.setAttribute("height", h);
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.setAttribute("class", "parallel");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "parallel coordinates of the swept parameters and " + data.objective.metric);
    function node(tag, attrs, text) {
      var e = document.createElementNS(NS, tag);
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
      if (text != null) e.textContent = text;
      return e;
    }
    var objectives = points.map(function (p) { return p.mean; });
    var oLo = Math.min.apply(null, objectives), oHi = Math.max.apply(null, objectives);
    var scales = axes.map(function (a) {
      if (a.objective) return function (p) { return oHi === oLo ? 0.5 : (p.mean - oLo) / (oHi - oLo); };
      if (a.scale === "category") return function (p) { return a.values.length === 1 ? 0.5 : a.values.indexOf(p.values[a.name]) / (a.values.length - 1); };
      var nums = a.values.map(Number);
      var f = a.scale === "log" ? Math.log10 : a.scale === "asinh" ? function (v) { return Math.asinh(v / a.asinh); } : function (v) { return v; };
      var lo = f(Math.min.apply(null, nums)), hi = f(Math.max.apply(null, nums));
      return function (p) { return hi === lo ? 0.5 : (f(Number(p.values[a.name])) - lo) / (hi - lo); };
    });
    var x = function (i) { return left + i * (w - left - right) / Math.max(1, axes.length - 1); };
    var y = function (t) { return top + (1 - t) * (h - top - bottom); };
    var best = data.objective.minimize ? oLo : oHi;
    // Worst to best, so the best lines are drawn last, on top.
    points.slice().sort(function (a, b) { return data.objective.minimize ? b.mean - a.mean : a.mean - b.mean; }).forEach(function (p) {
      var t = oHi === oLo ? 1 : data.objective.minimize ? (oHi - p.mean) / (oHi - oLo) : (p.mean - oLo) / (oHi - oLo);
      var d = axes.map(function (a, i) { return (i ? "L" : "M") + x(i).toFixed(1) + "," + y(scales[i](p)).toFixed(1); }).join(" ");
      var path = node("path", {d: d, "class": "line" + (p.mean === best ? " best" : ""), stroke: ramp(t), "data-point": p.index});
      path.appendChild(node("title", {}, p.label + ": " + data.objective.metric + " " + fmt(p.mean)));
      svg.appendChild(path);
    });
    axes.forEach(function (a, i) {
      var g = node("g", {"class": "axis"});
      g.appendChild(node("line", {x1: x(i), x2: x(i), y1: top, y2: h - bottom}));
      var ticks = a.objective ? niceTicks(oLo, oHi) : a.values;
      ticks.forEach(function (v) {
        var t = a.objective ? scales[i]({mean: v}) : scales[i]({values: (function () { var o = {}; o[a.name] = v; return o; })()});
        // The last axis has its labels on its right, outside the lines.
        var outside = i === axes.length - 1;
        g.appendChild(node("line", {x1: x(i) + (outside ? 4 : -4), x2: x(i), y1: y(t), y2: y(t)}));
        g.appendChild(node("text", {x: x(i) + (outside ? 7 : -7), y: y(t) + 4, "text-anchor": outside ? "start" : "end"}, a.objective ? fmt(v) : String(v)));
      });
      // Names under their axes, the first and last kept inside the picture.
      var anchor = i === 0 ? "start" : i === axes.length - 1 ? "end" : "middle";
      g.appendChild(node("text", {x: x(i) + (i === 0 ? -left + 4 : i === axes.length - 1 ? right - 4 : 0), y: h - bottom + 24, "text-anchor": anchor, "class": "name"},
          a.objective ? a.name + (data.objective.minimize ? " (lower is better)" : " (higher is better)") : a.name));
      svg.appendChild(g);
    });
    container.appendChild(svg);
    container.appendChild(el("p", {"class": "hint"}, "A line per point, from its swept values to its mean " + data.objective.metric
        + "; the darker a line, the better its point, the best drawn thickest. Hover a line for its point."));
  }

  // Light grey-blue (t = 0, the worst) to dark blue (t = 1, the best): the better a line, the more it stands out.
  function ramp(t) {
    var stops = [[206, 214, 224], [158, 202, 225], [66, 146, 198], [8, 81, 156], [8, 48, 107]];
    var s = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    var i = Math.min(stops.length - 2, Math.floor(s));
    var f = s - i;
    var c = stops[i].map(function (v, k) { return Math.round(v + (stops[i + 1][k] - v) * f); });
    return "rgb(" + c.join(",") + ")";
  }

  // Round values (1, 2 or 5 times a power of ten apart) from lo to hi, and lo and hi themselves when none fall there.
  function niceTicks(lo, hi) {
    if (!(hi > lo)) return [lo];
    var raw = (hi - lo) / 4;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw; })[0];
    var ticks = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
    return ticks.length >= 2 ? ticks : [lo, hi];
  }

  function drawSweep() {
    var objective = document.getElementById("objective");
    if (objective) data.parameters.forEach(function (p) { objectiveChart(objective, p); });
    var parallel = document.getElementById("parallel");
    if (parallel && data.parameters.length >= 2) parallelCoordinates(parallel);
    var curves = document.getElementById("curves");
    if (!curves) return;
    var toggle = el("label", {"class": "toggle"});
    var box = el("input", {type: "checkbox", "class": "repeats-toggle"});
    toggle.appendChild(box);
    toggle.appendChild(document.createTextNode(" show each repeat"));
    curves.appendChild(toggle);
    box.addEventListener("change", function () { showRepeats(box.checked); });
    data.charts.forEach(function (c) {
      ["validation", "train"].forEach(function (split) { aggregateChart(curves, c.metric, c.title, split); });
    });
  }

  function drawReport() {
    var container = document.getElementById("curves");
    data.charts.forEach(function (c) { curveChart(container, c); });
    document.querySelectorAll(".swatch[data-run]").forEach(function (s) {
      s.style.background = PALETTE[Number(s.getAttribute("data-run")) % PALETTE.length];
    });
  }

  if (data.kind === "sweep") drawSweep();
  else drawReport();

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(charts).forEach(function (name) {
        var u = charts[name];
        u.setSize({width: width(u.root.parentNode), height: u.height});
      });
    }, 100);
  });
})();
