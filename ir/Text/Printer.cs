using System.Text;
using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Text;

/// <summary>
/// The text form of a graph: deterministic (names in order of definition, attributes sorted, no addresses) and
/// parseable back by <see cref="Parser"/>, so that <c>print(parse(print(g))) == print(g)</c>.
/// </summary>
public static class Printer
{
    public static string Print(Graph g, Func<Node, string?>? annotate = null)
    {
        var names = new ValueNames();
        string NameOf(Node n) => names.Of(n);

        var sb = new StringBuilder();
        sb.Append("graph @").Append(g.Name).Append('(');
        for (int i = 0; i < g.Inputs.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append('%').Append(NameOf(g.Inputs[i])).Append(": ").Append(g.Inputs[i].Type);
            if (g.Inputs[i].Op.Attributes.Count > 0)
                sb.Append(" {").AppendJoin(", ", g.Inputs[i].Op.Attributes.Select(a => $"{a.Key} = {AttributeMap.Format(a.Value)}")).Append('}');
        }
        sb.Append(") {\n");
        foreach (var n in g.Nodes)
        {
            sb.Append("  %").Append(NameOf(n)).Append(" = ");
            if (n.Op is Weight w)
            {
                sb.Append("weight ").Append(AttributeMap.Quote(w.Key));
                if (w.Exact) sb.Append(" {").Append(Weight.ExactAttribute).Append(" = true}");
            }
            else
            {
                sb.Append(n.Op.Name).Append('(');
                sb.AppendJoin(", ", n.Inputs.Select(x => "%" + names.Of(x)));
                sb.Append(')');
                if (n.Op.Attributes.Count > 0)
                    sb.Append(" {").AppendJoin(", ", n.Op.Attributes.Select(a => $"{a.Key} = {AttributeMap.Format(a.Value)}")).Append('}');
            }
            sb.Append(" : ").Append(n.Type);
            if (annotate?.Invoke(n) is { } note) sb.Append("  // ").Append(note.Replace('\n', ' '));
            sb.Append('\n');
        }
        sb.Append("  return ").AppendJoin(", ", g.Outputs.Select(o => "%" + NameOf(o))).Append("\n}\n");
        return sb.ToString();
    }
}
