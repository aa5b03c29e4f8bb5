using System.Globalization;
using VoxTile.IR;
using VoxTile.Models.Config;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// MeloTTS's text front end after g2p (<c>cleaned_text_to_sequence</c> and the add_blank step of
/// <c>get_text_for_tts_infer</c>, spec §4.1): phone symbols → ids, raw g2p tones → tone ids by adding the language's tone
/// offset, the language id per phone, and then, with add_blank, a blank (phone 0, tone 0, language 0) before, between
/// and after the tokens — <c>[0, p1, 0, p2, …, pn, 0]</c>. The offsets go in before the blanks, so blanks carry tone 0
/// and language 0, not the language's. Grapheme-to-phoneme conversion and BERT are outside (the CLI's business).
/// </summary>
public sealed class MeloText
{
    private readonly Dictionary<string, int> _ids;

    /// <param name="symbols">the model's vocabulary (config <c>symbols</c>); null for MeloTTS's 219 (<see cref="MeloSymbols"/>).</param>
    public MeloText(IReadOnlyList<string>? symbols = null, int numTones = MeloConfig.DefaultTones, int numLanguages = MeloConfig.DefaultLanguages, bool addBlank = true)
    {
        Symbols = symbols ?? MeloSymbols.All;
        NumTones = numTones;
        NumLanguages = numLanguages;
        AddBlank = addBlank;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Symbols.Count; i++)
            if (!_ids.TryAdd(Symbols[i], i)) throw new VoxTileException($"symbol '{Symbols[i]}' appears twice in the vocabulary");
    }

    /// <summary>MeloTTS's released vocabulary: 219 symbols, 16 tones, 8 languages, with blanks.</summary>
    public static MeloText Default { get; } = new();

    /// <summary>The front end matching a model's config (its symbols, counts and add_blank).</summary>
    public static MeloText For(MeloConfig config) => new(config.Symbols, config.NumTones, config.NumLanguages, config.AddBlank);

    public IReadOnlyList<string> Symbols { get; }
    public int NumTones { get; }
    public int NumLanguages { get; }
    public bool AddBlank { get; }

    /// <summary>language_id_map of symbols.py (ES and SP share an id).</summary>
    public static IReadOnlyDictionary<string, int> LanguageIds { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ZH"] = 0, ["JP"] = 1, ["EN"] = 2, ["ZH_MIX_EN"] = 3, ["KR"] = 4, ["ES"] = 5, ["SP"] = 5, ["FR"] = 6,
    };

    /// <summary>language_tone_start_map: tone id = raw g2p tone + start (ZH 6 tones, JP 1, EN 4, KR 1, ES 1, FR 1, in that order).</summary>
    public static IReadOnlyDictionary<string, int> ToneStarts { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ZH"] = 0, ["ZH_MIX_EN"] = 0, ["JP"] = 6, ["EN"] = 7, ["KR"] = 11, ["ES"] = 12, ["SP"] = 12, ["FR"] = 13,
    };

    /// <summary>How many raw tones each language's g2p produces (EN: 0 unstressed, 1–3 stress + 1).</summary>
    public static IReadOnlyDictionary<string, int> ToneCounts { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ZH"] = 6, ["ZH_MIX_EN"] = 6, ["JP"] = 1, ["EN"] = 4, ["KR"] = 1, ["ES"] = 1, ["SP"] = 1, ["FR"] = 1,
    };

    /// <summary>The id of a symbol given by name, or by its id written as a non-negative integer (names win where both read).</summary>
    public int SymbolId(string token)
    {
        if (_ids.TryGetValue(token, out var id)) return id;
        if (token.Length > 0 && token.All(char.IsAsciiDigit))
        {
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id < Symbols.Count) return id;
            throw new VoxTileException($"symbol id {token} is outside the vocabulary of {Symbols.Count} symbols");
        }
        throw new VoxTileException($"unknown phoneme symbol '{token}' (not among the {Symbols.Count} symbols of the vocabulary)");
    }

    public string SymbolName(int id) =>
        id >= 0 && id < Symbols.Count ? Symbols[id] : throw new VoxTileException($"symbol id {id} is outside the vocabulary of {Symbols.Count} symbols");

    /// <summary>Whitespace-separated symbols (names or ids) → ids.</summary>
    public int[] ParsePhones(string text) => [.. Tokens(text).Select((t, i) => WithPosition(() => SymbolId(t), i))];

    /// <summary>g2p output → model-ready ids: symbols, raw tones of <paramref name="language"/>, then blanks when the model uses them.</summary>
    public PhonemeSequence Encode(IReadOnlyList<string> phones, IReadOnlyList<int> tones, string language)
    {
        if (phones.Count != tones.Count) throw new VoxTileException($"{phones.Count} phonemes but {tones.Count} tones");
        if (phones.Count == 0) throw new VoxTileException("the phoneme sequence is empty");
        var lang = language.ToUpperInvariant();
        if (!LanguageIds.TryGetValue(lang, out int langId))
            throw new VoxTileException($"unknown language '{language}' (expected one of {string.Join(", ", LanguageIds.Keys)})");
        if (langId >= NumLanguages) throw new VoxTileException($"language {lang} has id {langId}, but the model has {NumLanguages} languages");
        int start = ToneStarts[lang], count = ToneCounts[lang];
        var ids = new int[phones.Count];
        var toneIds = new int[phones.Count];
        for (int i = 0; i < phones.Count; i++)
        {
            ids[i] = WithPosition(() => SymbolId(phones[i]), i);
            if (tones[i] < 0 || tones[i] >= count)
                throw new VoxTileException($"tone {tones[i]} at position {i} is outside {lang}'s tones 0..{count - 1}");
            toneIds[i] = tones[i] + start;
            if (toneIds[i] >= NumTones) throw new VoxTileException($"tone id {toneIds[i]} ({lang} tone {tones[i]}) is outside the model's {NumTones} tones");
        }
        var langs = Enumerable.Repeat(langId, phones.Count).ToArray();
        return AddBlank ? new(Intersperse(ids), Intersperse(toneIds), Intersperse(langs)) : new(ids, toneIds, langs);
    }

    /// <summary><see cref="Encode(IReadOnlyList{string}, IReadOnlyList{int}, string)"/> from whitespace-separated text: symbols (names or ids) and raw tones.</summary>
    public PhonemeSequence Encode(string phones, string tones, string language)
    {
        var t = Tokens(tones).Select((s, i) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v
            : throw new VoxTileException($"tone '{s}' at position {i} is not an integer")).ToArray();
        return Encode(Tokens(phones), t, language);
    }

    /// <summary>Ids that are already model-ready (blanks and offsets in place, as the goldens store them): checked, not changed.</summary>
    public PhonemeSequence FromIds(IReadOnlyList<int> phones, IReadOnlyList<int> tones, IReadOnlyList<int> languages)
    {
        if (phones.Count != tones.Count || phones.Count != languages.Count)
            throw new VoxTileException($"{phones.Count} phonemes, {tones.Count} tones and {languages.Count} language ids: the lengths must agree");
        if (phones.Count == 0) throw new VoxTileException("the phoneme sequence is empty");
        Check(phones, Symbols.Count, "symbol");
        Check(tones, NumTones, "tone");
        Check(languages, NumLanguages, "language");
        return new([.. phones], [.. tones], [.. languages]);
    }

    /// <summary>commons.intersperse: <c>[b, x1, b, x2, …, xn, b]</c>.</summary>
    public static int[] Intersperse(IReadOnlyList<int> items, int blank = 0)
    {
        var r = new int[2 * items.Count + 1];
        Array.Fill(r, blank);
        for (int i = 0; i < items.Count; i++) r[2 * i + 1] = items[i];
        return r;
    }

    /// <summary>Phones per BERT token after add_blank: each count doubled and the first one more (the leading blank).</summary>
    public IReadOnlyList<int> WordToPhone(IReadOnlyList<int> word2ph)
    {
        if (!AddBlank) return [.. word2ph];
        var r = word2ph.Select(n => 2 * n).ToArray();
        if (r.Length > 0) r[0] += 1;
        return r;
    }

    /// <summary>BERT features per token [dim, tokens] repeated to one column per phone: [1, dim, Σ word2ph] (get_bert_feature).</summary>
    public static Tensor ExpandFeatures(Tensor features, IReadOnlyList<int> word2ph)
    {
        if (features.Rank != 2) throw new VoxTileException($"BERT features must be [dim, tokens], got {features.ShapeString}");
        int dim = features.Shape[0], tokens = features.Shape[1];
        if (word2ph.Count != tokens) throw new VoxTileException($"{tokens} BERT tokens but {word2ph.Count} phone counts");
        if (word2ph.Any(n => n < 0)) throw new VoxTileException("phone counts must not be negative");
        int total = word2ph.Sum();
        var y = new Tensor([1, dim, total]);
        for (int c = 0; c < dim; c++)
            for (int k = 0, at = 0; k < tokens; k++)
                for (int r = 0; r < word2ph[k]; r++) y.Data[(long)c * total + at++] = features.Data[(long)c * tokens + k];
        return y;
    }

    private static string[] Tokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static T WithPosition<T>(Func<T> f, int position)
    {
        try { return f(); }
        catch (VoxTileException e) { throw new VoxTileException($"{e.Message} at position {position}", e); }
    }

    private static void Check(IReadOnlyList<int> ids, int count, string what)
    {
        for (int i = 0; i < ids.Count; i++)
            if (ids[i] < 0 || ids[i] >= count) throw new VoxTileException($"{what} id {ids[i]} at position {i} is outside 0..{count - 1}");
    }
}
