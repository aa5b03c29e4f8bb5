using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// <c>normalize_numbers</c> of MeloTTS's English front end (spec §2, Keith Ito's rules), in its order: commas out of
/// numbers, currency amounts, decimals, ordinals, then integers (years read in pairs). One departure: a currency
/// fraction is read as hundredths ("$.5" → fifty cents), where the reference reads its digits as an integer (five cents).
/// </summary>
public static partial class NumberNormalizer
{
    private sealed record Currency(string Singular, string Plural, string FractionSingular, string FractionPlural);

    private static readonly Dictionary<string, Currency> Currencies = new(StringComparer.Ordinal)
    {
        ["$"] = new("dollar", "dollars", "cent", "cents"),
        ["£"] = new("pound sterling", "pounds sterling", "penny", "pence"),
        ["¥"] = new("yen", "yen", "sen", "sen"),
    };

    [GeneratedRegex(@"([0-9][0-9,]+[0-9])")] private static partial Regex CommaNumber();
    [GeneratedRegex(@"(£|\$|¥)([0-9,.]*[0-9]+)")] private static partial Regex CurrencyAmount();
    [GeneratedRegex(@"([0-9]+\.[0-9]+)")] private static partial Regex DecimalNumber();
    [GeneratedRegex(@"[0-9]{1,18}(st|nd|rd|th)")] private static partial Regex OrdinalNumber();
    [GeneratedRegex(@"-?[0-9]+")] private static partial Regex Integer();

    public static string Normalize(string text)
    {
        text = CommaNumber().Replace(text, m => m.Value.Replace(",", "", StringComparison.Ordinal));
        text = CurrencyAmount().Replace(text, ExpandCurrency);
        text = DecimalNumber().Replace(text, m => m.Value.Replace(".", " point ", StringComparison.Ordinal));
        text = OrdinalNumber().Replace(text, m => NumberWords.Ordinal(Parse(m.Value[..^2])));
        return Integer().Replace(text, m => ExpandInteger(m.Value));
    }

    private static string ExpandCurrency(Match m)
    {
        var unit = Currencies[m.Groups[1].Value];
        string amount = m.Groups[2].Value.Replace(",", "", StringComparison.Ordinal);
        var parts = amount.Split('.');
        if (parts.Length > 2) return $"{amount} {unit.Plural}";
        BigInteger whole = parts[0].Length > 0 ? BigInteger.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        // Departure (spec §2, slip): the fraction is hundredths ("$.5" is fifty cents), not its digits as an integer.
        BigInteger fraction = parts.Length > 1 && parts[1].Length > 0
            ? BigInteger.Parse((parts[1] + "00")[..Math.Max(2, parts[1].Length)], CultureInfo.InvariantCulture) : 0;
        var words = new List<string>();
        if (whole > 0) words.Add($"{whole} {(whole == 1 ? unit.Singular : unit.Plural)}");
        if (fraction > 0) words.Add($"{fraction} {(fraction == 1 ? unit.FractionSingular : unit.FractionPlural)}");
        return words.Count > 0 ? string.Join(' ', words) : $"zero {unit.Plural}";
    }

    private static string ExpandInteger(string digits)
    {
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
            return string.Join(' ', digits.Where(char.IsAsciiDigit).Select(d => NumberWords.Cardinal(d - '0')));
        if (n > 1000 && n < 3000) return NumberWords.Year((int)n);
        return NumberWords.Cardinal(n);
    }

    private static long Parse(string digits) => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
