using System.Text;

namespace VoxTile.Cli.Dump;

/// <summary>Graphviz dot: one box per value, filled by where it lives, edges from operands to readers.</summary>
internal static class DotRenderer
{
    public static string Render(DumpView view)
    {
        var sb = new StringBuilder();
        sb.Append("digraph \"").Append(Escape(view.Title)).Append("\" {\n");
        sb.Append("  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=10];\n");
        foreach (var n in view.Nodes)
        {
            var tip = n.Why is null ? "" : $", tooltip=\"{Escape(n.Why)}\"";
            sb.Append($"  n{n.Id} [label=\"{Escape($"%{n.Name} = {n.Op}")}\\n{Escape(n.Type)}\", fillcolor=\"{Colors.Of(n.Placement)}\"{tip}];\n");
        }
        foreach (var n in view.Nodes)
            foreach (var i in n.Inputs.Distinct())
                sb.Append($"  n{i} -> n{n.Id};\n");
        foreach (var o in view.Outputs) sb.Append($"  n{o} [penwidth=2];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").ReplaceLineEndings(" ");
}
