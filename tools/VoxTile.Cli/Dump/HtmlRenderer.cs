using System.Globalization;
using System.Net;
using System.Text;

namespace VoxTile.Cli.Dump;

/// <summary>
/// A self-contained HTML page (inline SVG and CSS, no scripts, nothing fetched): the facts of the plan, L1 in use
/// per core over the schedule against the budget, and the graph as an arc diagram, one row per value in schedule
/// order, coloured by placement, with an arc from each operand to each reader. Hovering a row shows why the value
/// is where it is.
/// </summary>
internal static class HtmlRenderer
{
    private const int Row = 16, LabelX = 260, ChartWidth = 1000, ChartHeight = 260;

    public static string Render(DumpView view)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(H(view.Title)).Append("</title>\n");
        sb.Append("<style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}")
          .Append("svg text{font-family:ui-monospace,monospace;font-size:11px}ul.facts{columns:2;max-width:70em}.legend span{display:inline-block;padding:0 .6em;margin-right:.4em;border-radius:3px}</style>\n");
        sb.Append("</head><body>\n<h1>").Append(H(view.Title)).Append("</h1>\n<ul class=\"facts\">");
        foreach (var f in view.Facts) sb.Append("<li>").Append(H(f)).Append("</li>");
        sb.Append("</ul>\n<p class=\"legend\">");
        foreach (var (p, meaning) in Colors.Legend) sb.Append($"<span style=\"background:{Colors.Of(p)}\">{H(meaning)}</span>");
        sb.Append("</p>\n");
        if (view.Timeline.Count > 0) Chart(sb, view);
        Graph(sb, view);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Chart(StringBuilder sb, DumpView view)
    {
        var t = view.Timeline;
        long max = Math.Max(view.L1Budget, t.Max(x => x.L1));
        double X(int i) => 50 + (double)i / Math.Max(1, t.Count - 1) * (ChartWidth - 60);
        double Y(long b) => 10 + (1 - (double)b / Math.Max(1, max)) * (ChartHeight - 40);
        sb.Append("<h2>L1 in use per core, step by step</h2>\n");
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"L1 in use per core over the schedule\">\n");
        var pts = new StringBuilder();
        pts.Append(F(X(0))).Append(',').Append(F(Y(0)));
        for (int i = 0; i < t.Count; i++) pts.Append(' ').Append(F(X(i))).Append(',').Append(F(Y(t[i].L1)));
        pts.Append(' ').Append(F(X(t.Count - 1))).Append(',').Append(F(Y(0)));
        sb.Append($"<polygon points=\"{pts}\" fill=\"#8fd694\" stroke=\"#3a7d44\" stroke-width=\"0.5\"/>\n");
        sb.Append($"<line x1=\"50\" x2=\"{ChartWidth - 10}\" y1=\"{F(Y(view.L1Budget))}\" y2=\"{F(Y(view.L1Budget))}\" stroke=\"#c0392b\" stroke-dasharray=\"4 3\"/>\n");
        sb.Append($"<text x=\"52\" y=\"{F(Y(view.L1Budget) - 4)}\" fill=\"#c0392b\">budget {view.L1Budget / 1024.0:F0} KiB</text>\n");
        sb.Append($"<line x1=\"50\" x2=\"50\" y1=\"10\" y2=\"{F(Y(0))}\" stroke=\"#888\"/><line x1=\"50\" x2=\"{ChartWidth - 10}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\" stroke=\"#888\"/>\n");
        sb.Append($"<text x=\"4\" y=\"{F(Y(0))}\">0</text><text x=\"{ChartWidth / 2}\" y=\"{ChartHeight - 6}\">step (of {t.Count})</text>\n");
        int peak = Enumerable.Range(0, t.Count).MaxBy(i => t[i].L1);
        sb.Append($"<circle cx=\"{F(X(peak))}\" cy=\"{F(Y(t[peak].L1))}\" r=\"3\" fill=\"#c0392b\"><title>peak {t[peak].L1:N0} B at step {peak} ({H(t[peak].Op)})</title></circle>\n");
        sb.Append("</svg>\n");
    }

    private static void Graph(StringBuilder sb, DumpView view)
    {
        var nodes = view.Nodes;
        int height = nodes.Count * Row + 20;
        int width = LabelX + 20 + nodes.Max(n => n.Name.Length + n.Op.Length + n.Type.Length + 8) * 7;
        var outputs = new HashSet<int>(view.Outputs);
        sb.Append("<h2>Graph (one row per value, in schedule order; arcs join operands to readers)</h2>\n");
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">\n");
        foreach (var n in nodes)
            foreach (var i in n.Inputs.Distinct())
            {
                double y1 = Y(i), y2 = Y(n.Id), bend = Math.Min(LabelX - 20, 8 + Math.Sqrt(y2 - y1) * 4);
                sb.Append($"<path d=\"M{LabelX - 4},{F(y1)} C{F(LabelX - 4 - bend)},{F(y1)} {F(LabelX - 4 - bend)},{F(y2)} {LabelX - 4},{F(y2)}\" fill=\"none\" stroke=\"{Stroke(nodes[i].Placement)}\" stroke-opacity=\"0.55\"/>\n");
            }
        foreach (var n in nodes)
        {
            double y = Y(n.Id);
            var label = $"%{n.Name} = {n.Op} : {n.Type}";
            sb.Append($"<g><title>{H(n.Why ?? n.Placement)}</title>");
            sb.Append($"<rect x=\"{LabelX}\" y=\"{F(y - Row / 2.0 + 1)}\" width=\"{label.Length * 7 + 8}\" height=\"{Row - 2}\" rx=\"3\" fill=\"{Colors.Of(n.Placement)}\"{(outputs.Contains(n.Id) ? " stroke=\"#222\"" : "")}/>");
            sb.Append($"<text x=\"{LabelX + 4}\" y=\"{F(y + 4)}\">{H(label)}</text></g>\n");
        }
        sb.Append("</svg>\n");
    }

    private static double Y(int row) => 10 + row * Row + Row / 2.0;

    private static string Stroke(string placement) => placement switch
    {
        "l1-sharded" or "l1" => "#3a7d44",
        "dram" => "#2e5c9a",
        "host" => "#a8751f",
        _ => "#777",
    };

    private static string H(string s) => WebUtility.HtmlEncode(s);

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
