using System.Text;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// Numbers as Python's <c>inflect</c> writes them (<c>number_to_words</c>), the way MeloTTS's English normalization
/// calls it (spec §2): groups of thousands joined by ", ", tens and units by "-", "minus " before negatives, and the
/// "and" word placed where inflect places it (after "hundred" with tens or units, and before a last one-word group).
/// </summary>
public static class NumberWords
{
    private static readonly string[] Units =
        ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    private static readonly string[] Teens =
        ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    private static readonly string[] Tens =
        ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    private static readonly string[] Scales =
        ["", " thousand", " million", " billion", " trillion", " quadrillion", " quintillion"];

    /// <summary>inflect's <c>number_to_words(n, andword=…)</c> (zero is "zero").</summary>
    public static string Cardinal(long n, string andWord = "")
    {
        if (n == 0) return "zero";
        if (n < 0) return "minus " + Cardinal(n == long.MinValue ? long.MaxValue : -n, andWord);
        var groups = new List<string>();
        for (int scale = 0; n > 0; scale++, n /= 1000)
        {
            int g = (int)(n % 1000);
            if (g != 0) groups.Insert(0, Hundreds(g, andWord) + Scales[scale]);
        }
        // inflect replaces the last ", " before a final one-word group by " {andword} " ("one thousand and one").
        var text = string.Join(", ", groups);
        int last = text.LastIndexOf(", ", StringComparison.Ordinal);
        if (last >= 0 && !text[(last + 2)..].Contains(' '))
            text = andWord.Length == 0 ? text[..last] + " " + text[(last + 2)..] : text[..last] + " " + andWord + " " + text[(last + 2)..];
        return text;
    }

    /// <summary>Digits as a year is read (1001–2999 outside 2000–2009, spec §2 step 5): "nineteen ninety-five", "ten oh one".</summary>
    public static string Year(int n)
    {
        if (n == 2000) return "two thousand";
        if (n > 2000 && n < 2010) return "two thousand " + Cardinal(n % 100);
        if (n % 100 == 0) return Cardinal(n / 100) + " hundred";
        int low = n % 100;
        return Cardinal(n / 100) + " " + (low < 10 ? "oh " + Units[low] : TensAndUnits(low));
    }

    /// <summary>inflect's ordinal of the cardinal with its default "and": 103 → "one hundred and third".</summary>
    public static string Ordinal(long n) => OrdinalOf(Cardinal(n, "and"));

    /// <summary>inflect's <c>ordinal</c> on words: the last word's ending changes.</summary>
    public static string OrdinalOf(string words)
    {
        int cut = Math.Max(words.LastIndexOf(' '), words.LastIndexOf('-')) + 1;
        string head = words[..cut], last = words[cut..];
        string ord = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return head + ord;
    }

    private static string Hundreds(int g, string andWord)
    {
        int h = g / 100, rest = g % 100;
        var sb = new StringBuilder();
        if (h > 0)
        {
            sb.Append(Units[h]).Append(" hundred");
            if (rest > 0) sb.Append(andWord.Length == 0 ? " " : " " + andWord + " ");
        }
        if (rest > 0) sb.Append(TensAndUnits(rest));
        return sb.ToString();
    }

    private static string TensAndUnits(int n) =>
        n < 10 ? Units[n] : n < 20 ? Teens[n - 10] : n % 10 == 0 ? Tens[n / 10] : Tens[n / 10] + "-" + Units[n % 10];
}
