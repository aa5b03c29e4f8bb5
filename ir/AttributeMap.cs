using System.Globalization;

namespace VoxTile.IR;

/// <summary>
/// Attributes as the text parser reads them: integers as long, other numbers as double, bools, strings, bare
/// identifiers (enum members) and lists. The generated <c>FromAttributes</c> converts each to its property type.
/// </summary>
public sealed class AttributeMap(IReadOnlyDictionary<string, object> values)
{
    public IReadOnlyDictionary<string, object> Values { get; } = values;

    /// <summary>A bare identifier in the text (an enum member).</summary>
    public sealed record Identifier(string Name);

    public void ExpectOnly(string op, string[] names)
    {
        foreach (var k in Values.Keys)
            if (Array.IndexOf(names, k) < 0) throw new VoxTileException($"{op}: unknown attribute '{k}'");
    }

    public T GetRequired<T>(string op, string name) =>
        Values.TryGetValue(name, out var v) ? Convert<T>(op, name, v) : throw new VoxTileException($"{op}: missing attribute '{name}'");

    public T Get<T>(string op, string name, T fallback) =>
        Values.TryGetValue(name, out var v) ? Convert<T>(op, name, v) : fallback;

    private static T Convert<T>(string op, string name, object v)
    {
        try { return (T)ConvertTo(typeof(T), v); }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException or ArgumentException)
        { throw new VoxTileException($"{op}: attribute '{name}' = {Format(v)} is not a {typeof(T).Name}"); }
    }

    private static object ConvertTo(Type t, object v)
    {
        var u = Nullable.GetUnderlyingType(t) ?? t;
        if (u == typeof(int)) return v is long l ? checked((int)l) : throw new InvalidCastException();
        if (u == typeof(long)) return v is long l2 ? l2 : throw new InvalidCastException();
        if (u == typeof(float)) return v switch { long l => (float)l, double d => (float)d, _ => throw new InvalidCastException() };
        if (u == typeof(double)) return v switch { long l => (double)l, double d => d, _ => throw new InvalidCastException() };
        if (u == typeof(bool)) return v is bool b ? b : throw new InvalidCastException();
        if (u == typeof(string)) return v is string s ? s : throw new InvalidCastException();
        if (u.IsEnum)
        {
            if (v is not Identifier id) throw new InvalidCastException();
            var wanted = Normalize(id.Name);
            foreach (var name in Enum.GetNames(u))
                if (Normalize(name) == wanted) return Enum.Parse(u, name);
            throw new ArgumentException($"'{id.Name}' is not a {u.Name}");
        }
        if (u.IsArray && v is List<object> list)
        {
            var et = u.GetElementType()!;
            var arr = Array.CreateInstance(et, list.Count);
            for (int i = 0; i < list.Count; i++) arr.SetValue(ConvertTo(et, list[i]), i);
            return arr;
        }
        throw new InvalidCastException();
    }

    /// <summary>The printed form of an attribute value; the parser reads it back to an equal value.</summary>
    public static string Format(object v) => v switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        float f => FormatFloat(f),
        double d => FormatDouble(d),
        bool b => b ? "true" : "false",
        string s => Quote(s),
        Enum e => Snake(e.ToString()),
        Identifier id => id.Name,
        System.Collections.IEnumerable seq => "[" + string.Join(", ", seq.Cast<object>().Select(Format)) + "]",
        _ => throw new ArgumentException($"unprintable attribute value of type {v.GetType().Name}"),
    };

    private static string FormatFloat(float f) => float.IsNaN(f) ? "nan" : float.IsPositiveInfinity(f) ? "inf" : float.IsNegativeInfinity(f) ? "-inf"
        : EnsureFloat(f.ToString("R", CultureInfo.InvariantCulture));

    private static string FormatDouble(double d) => double.IsNaN(d) ? "nan" : double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf"
        : EnsureFloat(d.ToString("R", CultureInfo.InvariantCulture));

    // A float always prints with a '.' or an exponent, so that the text says which attributes are real.
    private static string EnsureFloat(string s) => s.Contains('.') || s.Contains('E') || s.Contains('e') ? s : s + ".0";

    public static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    // Enum members print in snake case: PadMode.Reflect → reflect, DType.BFP8_B → bfp8_b (an existing '_' is kept, never doubled).
    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static string Normalize(string name) => name.Replace("_", "").ToLowerInvariant();
}
