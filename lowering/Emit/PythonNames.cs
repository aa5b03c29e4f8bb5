using System.Text;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// Python identifiers for the plan's value names: <c>z_p</c> stays <c>z_p</c>, <c>enc_q.pre</c> becomes
/// <c>enc_q_pre</c>, an unnamed value <c>17</c> becomes <c>t17</c>. Keywords, the builtins the program uses and the
/// program's own names are avoided; a clash gets <c>_2</c>, <c>_3</c> … in order of first use, so the same plan
/// always gives the same names.
/// </summary>
public sealed class PythonNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        // keywords and soft keywords
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield", "match", "case", "type", "_",
        // builtins a reader would not want shadowed
        "abs", "all", "any", "bool", "dict", "float", "input", "int", "len", "list", "map", "max", "min", "object", "open", "print",
        "range", "round", "set", "slice", "str", "sum", "tuple", "zip", "id", "iter", "next", "format", "hash", "filter", "sorted",
        // the program's own names
        "argparse", "math", "os", "sys", "time", "wave", "np", "torch", "ttnn", "device", "W", "X", "tap", "main", "run",
    };

    private readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>The identifier for <paramref name="name"/>; the same name always gets the same identifier.</summary>
    public string Of(string name)
    {
        if (_byName.TryGetValue(name, out var id)) return id;
        var wanted = Sanitize(name);
        id = wanted;
        for (int k = 2; _used.Contains(id); k++) id = $"{wanted}_{k}";
        _used.Add(id);
        _byName[name] = id;
        return id;
    }

    /// <summary>A valid, non-reserved identifier made of <paramref name="name"/>'s letters, digits and underscores.</summary>
    public static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length + 1);
        foreach (char c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0])) sb.Insert(0, 't');
        var s = sb.ToString();
        // All-capitals names are the program's module constants (memory and compute configs): values never take them.
        bool constantLike = s.Any(char.IsAsciiLetterUpper) && !s.Any(char.IsAsciiLetterLower);
        return Reserved.Contains(s) || constantLike ? s + "_" : s;
    }

    /// <summary>
    /// Whether a plan value has a name of its own: not one made up for an unnamed value (a number, or the memory
    /// planner's <c>v17</c>).
    /// </summary>
    public static bool IsNamed(string planName) =>
        planName.Length > 0 && !char.IsAsciiDigit(planName[0]) && !(planName.Length > 1 && planName[0] == 'v' && planName.Skip(1).All(char.IsAsciiDigit));
}
