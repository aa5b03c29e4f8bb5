using System.Globalization;
using System.Net;
using System.Text;

namespace VoxTile.Cli.Dump;

/// <summary>
/// A self-contained HTML page (inline SVG, CSS and a short script; nothing fetched): the facts of the plan, L1 in use
/// per core over the schedule against the budget, and the ops in schedule order grouped by model module (enc_q, flow,
/// dec.ups.2, … from the weights' checkpoint keys, <see cref="ModulePath"/>) in folds that open and close. A search
/// box keeps the rows that match; each module's stretch of the L1 chart links to its ops, and clicking an op marks its
/// step on the chart. Rows are coloured by placement with the colours of the legend; hovering one says why it is there.
/// <c>page.html#q=dec.ups.0</c> opens the page with that search, <c>#v-ID</c> with that value's fold open.
/// </summary>
internal static class HtmlRenderer
{
    private const int ChartWidth = 1000, ChartHeight = 280, Left = 60, Right = 10, Top = 24, Bottom = 56;
    private const string TopLevel = "(outside the modules)";

    public static string Render(DumpView view)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(H(view.Title)).Append("</title>\n<style>")
          .Append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.2em}")
          .Append("svg text{font-family:ui-monospace,monospace;font-size:11px}ul.facts{columns:2;max-width:70em}")
          .Append(".legend span{display:inline-block;padding:0 .6em;margin-right:.4em;border-radius:3px}")
          .Append("details{margin:.15em 0 .15em 1em}summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:13px}")
          .Append("details.top>summary{font-weight:bold;font-size:14px}summary .info{color:#666;font-weight:normal}")
          .Append("table.ops{border-collapse:collapse;margin-left:1.2em;font-family:ui-monospace,monospace;font-size:12px}")
          .Append("table.ops td{padding:0 .5em;white-space:nowrap}table.ops td.n{color:#888;text-align:right}")
          .Append("tr.outside td{color:#888;font-style:italic}tr.hit td{outline:2px solid #c0392b}a{color:inherit}")
          .Append("#search{font-size:14px;padding:.2em .4em;width:28em}#count{color:#666;margin-left:.6em}")
          .Append("</style>\n</head><body>\n<h1>").Append(H(view.Title)).Append("</h1>\n");
        if (view.Selection is { } sel) sb.Append("<p><b>").Append(H(sel)).Append("</b></p>\n");
        sb.Append("<ul class=\"facts\">");
        foreach (var f in view.Facts) sb.Append("<li>").Append(H(f)).Append("</li>");
        sb.Append("</ul>\n<p class=\"legend\">");
        foreach (var (p, meaning) in Colors.Legend) sb.Append($"<span style=\"background:{Colors.Of(p)}\">{H(meaning)}</span>");
        sb.Append("</p>\n");
        var runs = Runs(view);
        if (view.Timeline.Count > 0) Chart(sb, view, runs);
        Ops(sb, view, runs);
        sb.Append("<script>\n").Append(Script).Append("</script>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>A stretch of consecutive values of one module unit, inside a stretch of one top-level module.</summary>
    private sealed record Run(int Index, string Top, string Unit, List<DumpNode> Nodes);

    private static List<Run> Runs(DumpView view)
    {
        // A weight or input outside any module (the lowering's constants, the graph's inputs) is shown with its first
        // reader, so a shared constant does not break a module's stretch in two.
        var shownIn = view.Nodes.Select(n => n.Module).ToArray();
        foreach (var n in view.Nodes.Reverse())
            if (n.IsOp)
                foreach (var i in n.Inputs)
                    if (!view.Nodes[i].IsOp && view.Nodes[i].Module is null) shownIn[i] = n.Module;
        var runs = new List<Run>();
        foreach (var n in view.Nodes)
        {
            var module = shownIn[n.Id];
            string top = module is null ? TopLevel : ModulePath.Top(module), unit = module is null ? TopLevel : ModulePath.Unit(module);
            if (runs.Count == 0 || runs[^1].Unit != unit || runs[^1].Top != top) runs.Add(new Run(runs.Count, top, unit, []));
            runs[^1].Nodes.Add(n);
        }
        return runs;
    }

    private static void Chart(StringBuilder sb, DumpView view, List<Run> runs)
    {
        var t = view.Timeline;
        long max = Math.Max(view.L1Budget, t.Max(x => x.L1));
        double X(int i) => Left + (double)i / Math.Max(1, t.Count - 1) * (ChartWidth - Left - Right);
        double Y(long b) => Top + (1 - (double)b / Math.Max(1, max)) * (ChartHeight - Top - Bottom);
        double y0 = Y(0);
        sb.Append("<h2>L1 in use per core, step by step</h2>\n<p>Each band under the chart is a module's stretch of the schedule: click one to open its ops; click an op to mark its step here.</p>\n");
        sb.Append($"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"L1 in use per core over the schedule\">\n");
        var pts = new StringBuilder();
        pts.Append(F(X(0))).Append(',').Append(F(y0));
        for (int i = 0; i < t.Count; i++) pts.Append(' ').Append(F(X(i))).Append(',').Append(F(Y(t[i].L1)));
        pts.Append(' ').Append(F(X(t.Count - 1))).Append(',').Append(F(y0));
        sb.Append($"<polygon points=\"{pts}\" fill=\"{Colors.Of("l1-sharded")}\" stroke=\"#3a7d44\" stroke-width=\"0.5\"/>\n");
        double yb = Y(view.L1Budget);
        sb.Append($"<line x1=\"{Left}\" x2=\"{ChartWidth - Right}\" y1=\"{F(yb)}\" y2=\"{F(yb)}\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>\n");
        // The budget is the chart's top whenever a plan fills L1, so its label sits in the margin above the line, right-aligned.
        sb.Append($"<text x=\"{ChartWidth - Right}\" y=\"{F(yb - 5)}\" text-anchor=\"end\" fill=\"#c0392b\">budget {view.L1Budget / 1024.0:F0} KiB per core</text>\n");
        sb.Append($"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{F(y0)}\" stroke=\"#888\"/><line x1=\"{Left}\" x2=\"{ChartWidth - Right}\" y1=\"{F(y0)}\" y2=\"{F(y0)}\" stroke=\"#888\"/>\n");
        sb.Append($"<text x=\"{Left - 4}\" y=\"{F(y0)}\" text-anchor=\"end\">0</text><text x=\"{Left - 4}\" y=\"{F(Y(max) + 4)}\" text-anchor=\"end\">{max / 1024.0:F0} KiB</text>\n");
        sb.Append($"<text x=\"{(ChartWidth + Left) / 2}\" y=\"{ChartHeight - 4}\" text-anchor=\"middle\">step (of {t.Count})</text>\n");
        // Module bands: each run's steps, alternating shades, linked to its fold in the op list.
        int shade = 0;
        foreach (var run in runs)
        {
            var steps = run.Nodes.Where(n => view.StepOf.ContainsKey(n.Id)).Select(n => view.StepOf[n.Id]).ToList();
            if (steps.Count == 0) continue;
            int a = steps.Min(), b = steps.Max();
            long peak = Enumerable.Range(a, b - a + 1).Max(i => t[i].L1);
            double x1 = X(a), w = Math.Max(1, X(b) - x1);
            sb.Append($"<a href=\"#run-{run.Index}\" class=\"band\" data-run=\"{run.Index}\"><rect x=\"{F(x1)}\" y=\"{F(y0 + 4)}\" width=\"{F(w)}\" height=\"14\" fill=\"{(shade++ % 2 == 0 ? "#b8b8d8" : "#d8d8ee")}\">")
              .Append($"<title>{H(run.Unit)}: steps {a}–{b}, peak L1 {peak / 1024.0:F0} KiB per core</title></rect></a>\n");
        }
        int peakStep = Enumerable.Range(0, t.Count).MaxBy(i => t[i].L1);
        sb.Append($"<circle cx=\"{F(X(peakStep))}\" cy=\"{F(Y(t[peakStep].L1))}\" r=\"3\" fill=\"#c0392b\"><title>peak {t[peakStep].L1:N0} B at step {peakStep} ({H(t[peakStep].Op)})</title></circle>\n");
        sb.Append($"<line id=\"mark\" x1=\"0\" x2=\"0\" y1=\"{Top}\" y2=\"{F(y0)}\" stroke=\"#222\" stroke-width=\"1.5\" visibility=\"hidden\" data-left=\"{Left}\" data-width=\"{ChartWidth - Left - Right}\" data-steps=\"{t.Count}\"/>\n");
        sb.Append("</svg>\n");
    }

    private static void Ops(StringBuilder sb, DumpView view, List<Run> runs)
    {
        var outputs = new HashSet<int>(view.Outputs);
        var names = view.Nodes.ToDictionary(n => n.Id, n => n.Name);
        sb.Append("<h2>Ops in schedule order, by module</h2>\n");
        sb.Append("<p><input id=\"search\" type=\"search\" placeholder=\"search ops, values, modules (conv1d, %z_p, dec.ups.1)\"><span id=\"count\"></span></p>\n<div id=\"ops\">\n");
        for (int k = 0; k < runs.Count; k++)
        {
            var run = runs[k];
            bool opensTop = k == 0 || runs[k - 1].Top != run.Top;
            if (opensTop)
            {
                var stretch = runs.Skip(k).TakeWhile(r => r.Top == run.Top).ToList();
                sb.Append($"<details class=\"top\" open><summary>{H(run.Top)} <span class=\"info\">{Info(view, stretch.SelectMany(r => r.Nodes).ToList())}</span></summary>\n");
            }
            sb.Append($"<details class=\"unit\" id=\"run-{run.Index}\" data-module=\"{H(run.Unit)}\"><summary>{H(run.Unit)} <span class=\"info\">{Info(view, run.Nodes)}</span></summary>\n<table class=\"ops\">\n");
            foreach (var n in run.Nodes) Row(sb, view, n, names, outputs.Contains(n.Id));
            sb.Append("</table></details>\n");
            if (k == runs.Count - 1 || runs[k + 1].Top != run.Top) sb.Append("</details>\n");
        }
        sb.Append("</div>\n");
    }

    private static string Info(DumpView view, List<DumpNode> nodes)
    {
        int ops = nodes.Count(n => n.IsOp && !n.Outside);
        var steps = nodes.Where(n => view.StepOf.ContainsKey(n.Id)).Select(n => view.StepOf[n.Id]).ToList();
        var s = $"{ops} op{(ops == 1 ? "" : "s")}";
        if (steps.Count > 0)
        {
            long peak = Enumerable.Range(steps.Min(), steps.Max() - steps.Min() + 1).Max(i => view.Timeline[i].L1);
            s += $", steps {steps.Min()}–{steps.Max()}, peak L1 {peak / 1024.0:F0} KiB";
        }
        return H(s);
    }

    private static void Row(StringBuilder sb, DumpView view, DumpNode n, Dictionary<int, string> names, bool output)
    {
        var step = view.StepOf.TryGetValue(n.Id, out var st) ? st : -1;
        sb.Append($"<tr id=\"v-{n.Id}\"{(n.Outside ? " class=\"outside\"" : "")}{(step >= 0 ? $" data-step=\"{step}\"" : "")} data-module=\"{H(n.Module ?? "")}\" style=\"background:{(n.Outside ? "#fff" : Colors.Of(n.Placement))}\"");
        sb.Append($" title=\"{H(n.Outside ? "computed outside this selection" : n.Why ?? Colors.Meaning(n.Placement))}\">");
        sb.Append("<td class=\"n\">").Append(n.OpNumber is { } k ? "#" + k.ToString(CultureInfo.InvariantCulture) : "").Append("</td>");
        sb.Append("<td class=\"n\">").Append(step >= 0 ? $"step {step}, L1 {view.Timeline[step].L1 / 1024.0:F0} KiB" : "").Append("</td><td>");
        if (output) sb.Append("<b>");
        sb.Append('%').Append(H(n.Name));
        if (output) sb.Append("</b>");
        if (!n.Outside)
        {
            sb.Append(" = ").Append(H(n.Op));
            if (n.Inputs.Count > 0)
                sb.Append('(').AppendJoin(", ", n.Inputs.Select(i => $"<a href=\"#v-{i}\">%{H(names[i])}</a>")).Append(')');
            sb.Append(" : ").Append(H(n.Type));
        }
        else sb.Append(" (computed outside this selection)");
        sb.Append("</td></tr>\n");
    }

    /// <summary>Search (rows that match stay, their folds open), band → fold, op → mark on the chart.</summary>
    private const string Script = """
        const rows = [...document.querySelectorAll('#ops tr')];
        const units = [...document.querySelectorAll('details.unit')];
        const search = document.getElementById('search'), count = document.getElementById('count');
        search.addEventListener('input', () => {
          const q = search.value.trim().toLowerCase();
          let hits = 0;
          for (const r of rows) {
            const hit = q === '' || r.textContent.toLowerCase().includes(q) || r.dataset.module.toLowerCase().includes(q);
            r.style.display = hit ? '' : 'none';
            if (hit && q !== '') hits++;
          }
          for (const u of units) {
            const any = [...u.querySelectorAll('tr')].some(r => r.style.display !== 'none');
            u.style.display = any ? '' : 'none';
            u.open = q !== '' && any;
          }
          for (const t of document.querySelectorAll('details.top'))
            t.style.display = [...t.querySelectorAll('details.unit')].some(u => u.style.display !== 'none') ? '' : 'none';
          count.textContent = q === '' ? '' : hits + ' matching values';
        });
        for (const b of document.querySelectorAll('a.band'))
          b.addEventListener('click', () => { const u = document.getElementById('run-' + b.dataset.run); if (u) u.open = true; });
        const mark = document.getElementById('mark');
        for (const r of rows) r.addEventListener('click', () => {
          for (const o of document.querySelectorAll('tr.hit')) o.classList.remove('hit');
          r.classList.add('hit');
          if (!mark || r.dataset.step === undefined) return;
          const x = +mark.dataset.left + (+r.dataset.step) / Math.max(1, +mark.dataset.steps - 1) * (+mark.dataset.width);
          mark.setAttribute('x1', x); mark.setAttribute('x2', x); mark.setAttribute('visibility', 'visible');
        });
        if (location.hash.startsWith('#v-')) { const r = document.querySelector(location.hash); if (r) r.closest('details.unit').open = true; }
        if (location.hash.startsWith('#q=')) { search.value = decodeURIComponent(location.hash.slice(3)); search.dispatchEvent(new Event('input')); }
        """;

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
