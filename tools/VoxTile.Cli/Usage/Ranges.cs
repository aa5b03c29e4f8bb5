using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace VoxTile.Cli.Usage;

/// <summary>
/// The allowed values of a numeric option, declared with the option and checked by the parser, so that an
/// out-of-range value is one usage error before any work starts (never an overflow or an out-of-memory later).
/// </summary>
internal static class Ranges
{
    /// <summary>Values in [<paramref name="min"/>, <paramref name="max"/>] (or (min, max] with <paramref name="minExclusive"/>); NaN and infinities are refused.</summary>
    public static Option<T> Within<T>(this Option<T> option, T min, T max, bool minExclusive = false, string? unit = null)
        where T : struct, INumber<T>
    {
        option.Validators.Add(r =>
        {
            if (Given<T>(r, out var v)) Check(r, option.Name, v, min, max, minExclusive, unit);
        });
        return option;
    }

    /// <summary>The same for an optional value (checked only when given).</summary>
    public static Option<T?> Within<T>(this Option<T?> option, T min, T max, bool minExclusive = false, string? unit = null)
        where T : struct, INumber<T>
    {
        option.Validators.Add(r =>
        {
            if (Given<T?>(r, out var v) && v is { } value) Check(r, option.Name, value, min, max, minExclusive, unit);
        });
        return option;
    }

    /// <summary>A further rule on the value (e.g. a multiple of 128), with the message that names it.</summary>
    public static Option<T> Must<T>(this Option<T> option, Func<T, bool> ok, string rule)
    {
        option.Validators.Add(r =>
        {
            if (Given<T>(r, out var v) && !ok(v))
                r.AddError($"{option.Name} must be {rule}, got {Format(v)}");
        });
        return option;
    }

    /// <summary>The value typed on the command line; false for a default, or for a value the parser could not convert (already its error).</summary>
    private static bool Given<T>(OptionResult r, out T value)
    {
        value = default!;
        if (r.Implicit || r.Tokens.Count == 0) return false;
        try
        {
            value = r.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void Check<T>(OptionResult r, string name, T v, T min, T max, bool minExclusive, string? unit) where T : struct, INumber<T>
    {
        bool below = minExclusive ? !(v > min) : !(v >= min);
        if (below || !(v <= max))
        {
            string u = unit is null ? "" : " " + unit;
            string range = minExclusive ? $"greater than {Format(min)} and at most {Format(max)}{u}" : $"between {Format(min)} and {Format(max)}{u}";
            r.AddError($"{name} must be {range}, got {Format(v)}");
        }
    }

    private static string Format<T>(T value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : $"{value}";
}
