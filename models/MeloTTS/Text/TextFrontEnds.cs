using System.Collections.Concurrent;
using VoxTile.IR;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// The text front end of each language VoxTile reads, one class per language behind <see cref="ITextFrontEnd"/>
/// (English for now): the next language (MeloTTS reads Spanish and French through gruut, Chinese through pypinyin and
/// jieba) is a new class and one line here. Other languages are refused by name.
/// </summary>
public static class TextFrontEnds
{
    /// <summary>Each language's front end from the --lexicon file (or null) and the model's symbols (or null for MeloTTS's).</summary>
    private static readonly Dictionary<string, Func<string?, IReadOnlyList<string>?, ITextFrontEnd>> Languages = new(StringComparer.Ordinal)
    {
        ["EN"] = English,
    };

    private static readonly ConcurrentDictionary<string, Lazy<CmuLexicon>> Overlays = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Supported { get; } = [.. Languages.Keys];

    /// <summary>Refuses, with one line naming the supported ones, a language no front end reads.</summary>
    public static string CheckLanguage(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (!Languages.ContainsKey(language.ToUpperInvariant()))
            throw new VoxTileException($"text input is not supported for language '{language}' (supported: {string.Join(", ", Supported)}); give --phonemes and --tones instead");
        return language.ToUpperInvariant();
    }

    /// <summary>The front end of <paramref name="language"/>, with the entries of <paramref name="lexicon"/> (a file, or null) over its own.</summary>
    public static ITextFrontEnd For(string language, string? lexicon = null, IReadOnlyList<string>? symbols = null) =>
        Languages[CheckLanguage(language)](lexicon, symbols);

    /// <summary>
    /// English reads <see cref="CmuLexicon.Default"/> with the entries of <paramref name="lexicon"/> over it; each overlay
    /// file is read once per process.
    /// </summary>
    private static EnglishFrontEnd English(string? lexicon, IReadOnlyList<string>? symbols)
    {
        var under = CmuLexicon.Default();
        if (lexicon is null) return new EnglishFrontEnd(under, symbols);
        var key = $"{Environment.GetEnvironmentVariable(CmuLexicon.EnvironmentVariable)}|{Path.GetFullPath(lexicon)}";
        var loaded = Overlays.GetOrAdd(key, _ => new Lazy<CmuLexicon>(() => under.Overlay(lexicon)));
        try { return new EnglishFrontEnd(loaded.Value, symbols); }
        catch (VoxTileException) { Overlays.TryRemove(key, out _); throw; }
    }
}
