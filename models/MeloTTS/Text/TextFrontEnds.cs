using System.Collections.Concurrent;
using VoxTile.IR;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>The text front end of each language VoxTile reads (English for now); other languages are refused by name.</summary>
public static class TextFrontEnds
{
    private static readonly ConcurrentDictionary<string, Lazy<CmuLexicon>> Lexicons = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Supported { get; } = ["EN"];

    /// <summary>The front end of <paramref name="language"/>; <paramref name="lexicon"/> null reads the default (<see cref="CmuLexicon.FindDefault"/>), each file once per process.</summary>
    public static ITextFrontEnd For(string language, string? lexicon = null, IReadOnlyList<string>? symbols = null)
    {
        ArgumentNullException.ThrowIfNull(language);
        if (!string.Equals(language, "EN", StringComparison.OrdinalIgnoreCase))
            throw new VoxTileException($"text input is not supported for language '{language}' (supported: {string.Join(", ", Supported)}); give --phonemes and --tones instead");
        var path = Path.GetFullPath(lexicon ?? CmuLexicon.FindDefault());
        var loaded = Lexicons.GetOrAdd(path, p => new Lazy<CmuLexicon>(() => CmuLexicon.Load(p)));
        try { return new EnglishFrontEnd(loaded.Value, symbols); }
        catch (VoxTileException) { Lexicons.TryRemove(path, out _); throw; }
    }
}
