using System.Globalization;
using System.Text;

namespace VoxTile.Lowering.Emit;

/// <summary>Python literals: what the emitted program writes for attribute values.</summary>
public static class Py
{
    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool b) => b ? "True" : "False";

    /// <summary>The shortest text that reads back as the same float32 (Python reads it as a double; TTNN narrows it again).</summary>
    public static string Float(float f)
    {
        if (float.IsNaN(f)) return "float(\"nan\")";
        if (float.IsInfinity(f)) return f > 0 ? "float(\"inf\")" : "-float(\"inf\")";
        var s = f.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
        return s.Contains('.') || s.Contains('e') ? s : s + ".0";
    }

    public static string Str(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' || c > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    public static string List(IEnumerable<int> values) => "[" + string.Join(", ", values.Select(v => Int(v))) + "]";

    public static string Tuple(IEnumerable<int> values)
    {
        var items = values.Select(v => Int(v)).ToList();
        return items.Count == 1 ? $"({items[0]},)" : "(" + string.Join(", ", items) + ")";
    }

    /// <summary>One line of a comment block: never lets text break out of the comment.</summary>
    public static string Comment(string text) => "# " + text.ReplaceLineEndings(" ").TrimEnd();
}
