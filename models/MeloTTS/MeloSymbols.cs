namespace VoxTile.Models.MeloTTS;

/// <summary>
/// MeloTTS's phoneme inventory, in id order: <c>symbols</c> of <c>melo/text/symbols.py</c> at myshell-ai/MeloTTS HEAD
/// 2091453 (the version the spec reads, §4.1): the pad "_", then the sorted union of the ZH, JP, EN, KR, ES, FR, DE and
/// RU phone sets (207 entries, ordered by code point), then the punctuation ! ? … , . ' - ¿ ¡ and "SP", "UNK" —
/// 219 in all. The spec gives only the counts; the list was rebuilt from that file and checked against the goldens'
/// configs, whose <c>symbols</c> are its first 40 entries. Non-ASCII entries are written as escapes (IPA letters,
/// Hangul jamo, combining marks).
/// </summary>
public static class MeloSymbols
{
    public const string Pad = "_";

    public static IReadOnlyList<string> All { get; } = Array.AsReadOnly(new[]
    {
        "_", "\"", "(", ")", "*", "/", ":", "AA", "E", "EE", // 0
        "En", "N", "OO", "Q", "V", "[", "\\", "]", "^", "a", // 10
        "a:", "aa", "ae", "ah", "ai", "an", "ang", "ao", "aw", "ay", // 20
        "b", "by", "c", "ch", "d", "dh", "dy", "e", "e:", "eh", // 30
        "ei", "en", "eng", "er", "ey", "f", "g", "gy", "h", "hh", // 40
        "hy", "i", "i0", "i:", "ia", "ian", "iang", "iao", "ie", "ih", // 50
        "in", "ing", "iong", "ir", "iu", "iy", "j", "jh", "k", "ky", // 60
        "l", "m", "my", "n", "ng", "ny", "o", "o:", "ong", "ou", // 70
        "ow", "oy", "p", "py", "q", "r", "ry", "s", "sh", "t", // 80
        "th", "ts", "ty", "u", "u:", "ua", "uai", "uan", "uang", "uh", // 90
        "ui", "un", "uo", "uw", "v", "van", "ve", "vn", "w", "x", // 100
        "y", "z", "zh", "zy", "~", "\u00E6", "\u00E7", "\u00F0", "\u00F8", "\u014B", // 110
        "\u0153", "\u0250", "\u0251", "\u0252", "\u0254", "\u0255", "\u0259", "\u025B", "\u025C", "\u0261", // 120
        "\u0263", "\u0265", "\u0266", "\u026A", "\u026B", "\u026C", "\u026D", "\u026F", "\u0272", "\u0275", // 130
        "\u0278", "\u0279", "\u027E", "\u0281", "\u0283", "\u028A", "\u028C", "\u028E", "\u028F", "\u0291", // 140
        "\u0292", "\u029D", "\u02B2", "\u02C8", "\u02CC", "\u02D0", "\u0303", "\u0329", "\u03B2", "\u03B8", // 150
        "\u1100", "\u1101", "\u1102", "\u1103", "\u1104", "\u1105", "\u1106", "\u1107", "\u1108", "\u1109", // 160
        "\u110A", "\u110B", "\u110C", "\u110D", "\u110E", "\u110F", "\u1110", "\u1111", "\u1112", "\u1161", // 170
        "\u1162", "\u1163", "\u1164", "\u1165", "\u1166", "\u1167", "\u1168", "\u1169", "\u116A", "\u116B", // 180
        "\u116C", "\u116D", "\u116E", "\u116F", "\u1170", "\u1171", "\u1172", "\u1173", "\u1174", "\u1175", // 190
        "\u11A8", "\u11AB", "\u11AE", "\u11AF", "\u11B7", "\u11B8", "\u11BC", "\u3138", "!", "?", // 200
        "\u2026", ",", ".", "'", "-", "\u00BF", "\u00A1", "SP", "UNK", // 210
    });
}
