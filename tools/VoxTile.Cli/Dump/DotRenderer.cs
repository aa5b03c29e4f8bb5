using System.Text;

namespace VoxTile.Cli.Dump;

/// <summary>
/// Graphviz dot: one box per value, filled by where it lives, edges from operands to readers, the values of each
/// model module unit (<see cref="ModulePath.Unit"/>) in a labelled cluster. Values a selection reads from outside are
/// dashed grey boxes. A whole converter is too large for dot to lay out in reasonable time; <c>--module</c> or
/// <c>--range</c> cut it to a piece dot draws in seconds.
/// </summary>
internal static class DotRenderer
{
    public static string Render(DumpView view)
    {
        var sb = new StringBuilder();
        sb.Append("digraph \"").Append(Escape(view.Title)).Append("\" {\n");
        sb.Append("  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=10];\n");
        foreach (var unit in view.Nodes.GroupBy(n => n.Outside || n.Module is null ? null : ModulePath.Unit(n.Module)))
        {
            string indent = unit.Key is null ? "  " : "    ";
            if (unit.Key is { } u)
                sb.Append($"  subgraph \"cluster_{Escape(u)}\" {{\n    label=\"{Escape(u)}\"; style=\"rounded\"; color=\"#999999\"; fontname=\"sans-serif\";\n");
            foreach (var n in unit) Node(sb, indent, n);
            if (unit.Key is not null) sb.Append("  }\n");
        }
        foreach (var n in view.Nodes)
            foreach (var i in n.Inputs.Distinct())
                sb.Append($"  n{i} -> n{n.Id};\n");
        foreach (var o in view.Outputs) sb.Append($"  n{o} [penwidth=2];\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void Node(StringBuilder sb, string indent, DumpNode n)
    {
        if (n.Outside)
        {
            sb.Append($"{indent}n{n.Id} [label=\"{Escape($"%{n.Name}")}\", style=\"rounded,dashed\", color=\"#888888\", fontcolor=\"#666666\", tooltip=\"computed outside this selection\"];\n");
            return;
        }
        var tip = n.Why is null ? "" : $", tooltip=\"{Escape(n.Why)}\"";
        sb.Append($"{indent}n{n.Id} [label=\"{Escape($"%{n.Name} = {n.Op}")}\\n{Escape(n.Type)}\", fillcolor=\"{Colors.Of(n.Placement)}\"{tip}];\n");
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").ReplaceLineEndings(" ");
}
