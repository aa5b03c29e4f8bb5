using System.Text;

namespace VoxTile.Cli.Dump;

/// <summary>
/// The graph text of a <see cref="DumpView.Select"/>ion: the whole dump's lines for the selected values (their
/// definitions, their deallocations, notes on them), with the header and the return kept, so each line reads as it does
/// in the whole dump. Operands defined outside the selection stay named, so the text is for reading, not for parsing back.
/// </summary>
internal static class TextSelection
{
    public static string Filter(string text, DumpView selected)
    {
        var names = selected.Nodes.Where(n => !n.Outside).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var sb = new StringBuilder();
        sb.Append("// ").Append(selected.Selection).Append(" (operands from outside keep their names; this text does not parse back)\n");
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (Keep(line, names)) sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static bool Keep(string line, HashSet<string> names)
    {
        if (!line.StartsWith("  ", StringComparison.Ordinal) || line.StartsWith("  return ", StringComparison.Ordinal)) return true;
        var body = line.AsSpan(2);
        if (body.StartsWith("%"))
        {
            int end = body.IndexOf(" = ");
            return end > 0 && names.Contains(body[1..end].ToString());
        }
        if (body.StartsWith("// ttnn.deallocate "))
            return body["// ttnn.deallocate ".Length..].ToString().Split(' ').Any(n => n.StartsWith('%') && names.Contains(n[1..]));
        if (body.StartsWith("// %"))
        {
            int end = body.IndexOf(':');
            return end > 4 && names.Contains(body[4..end].ToString());
        }
        return false;
    }
}
