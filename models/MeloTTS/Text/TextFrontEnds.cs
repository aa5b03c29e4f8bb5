using System.Collections.Concurrent;
using VoxTile.IR;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>The text front end of each language VoxTile reads (English for now); other languages are refused by name.</summary>
public static class TextFrontEnds
{
    private static readonly ConcurrentDictionary<string, Lazy<CmuLexicon>> Overlays = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Supported { get; } = ["EN"];

    /// <summary>Refuses, with one line naming the supported ones, a language no front end reads.</summary>
    public static string CheckLanguage(string language)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (!Supported.Contains(language.ToUpperInvariant()))
            throw new VoxTileException($"text input is not supported for language '{language}' (supported: {string.Join(", ", Supported)}); give --phonemes and --tones instead");
        return language.ToUpperInvariant();
    }

    /// <summary>
    /// The front end of <paramref name="language"/>, reading <see cref="CmuLexicon.Default"/> with the entries of
    /// <paramref name="lexicon"/> (a file, or null) over it; each overlay file is read once per process.
    /// </summary>
    public static ITextFrontEnd For(string language, string? lexicon = null, IReadOnlyList<string>? symbols = null)
    {
        CheckLanguage(language);
        var under = CmuLexicon.Default();
        if (lexicon is null) return new EnglishFrontEnd(under, symbols);
        var key = $"{Environment.GetEnvironmentVariable(CmuLexicon.EnvironmentVariable)}|{Path.GetFullPath(lexicon)}";
        var loaded = Overlays.GetOrAdd(key, _ => new Lazy<CmuLexicon>(() => under.Overlay(lexicon)));
        try { return new EnglishFrontEnd(loaded.Value, symbols); }
        catch (VoxTileException) { Overlays.TryRemove(key, out _); throw; }
    }
}
