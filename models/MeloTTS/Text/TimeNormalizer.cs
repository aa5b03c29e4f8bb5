using System.Globalization;
using System.Text.RegularExpressions;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// <c>expand_time_english</c> (spec §2, Times): "9:05 pm" → "nine oh five p m". Three departures from the reference's
/// slips, kept to its intent: the space after a time without am/pm stays ("7:00 tonight" → "seven a m tonight"),
/// "a.m."/"p.m." are read like "am"/"pm", and 0:xx is past midnight, so "a m".
/// </summary>
public static partial class TimeNormalizer
{
    [GeneratedRegex(@"\b((0?[0-9])|(1[0-1])|(1[2-9])|(2[0-3])):([0-5][0-9])(\s*(a\.m\.|p\.m\.|am|pm)\B|\s*(am|pm)\b|\b)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Time();

    public static string Expand(string text) => Time().Replace(text, m =>
    {
        int hour = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int minute = int.Parse(m.Groups[6].Value, CultureInfo.InvariantCulture);
        bool pastNoon = hour >= 12;
        if (hour > 12) hour -= 12;
        else if (hour == 0) hour = 12;
        var words = new List<string> { NumberWords.Cardinal(hour) };
        if (minute > 0)
        {
            if (minute < 10) words.Add("oh");
            words.Add(NumberWords.Cardinal(minute));
        }
        string amPm = m.Groups[8].Success ? m.Groups[8].Value : m.Groups[9].Value;
        if (amPm.Length > 0) words.Add(string.Join(' ', amPm.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant)));
        else words.Add(pastNoon ? "p m" : "a m");
        return string.Join(' ', words);
    });
}
