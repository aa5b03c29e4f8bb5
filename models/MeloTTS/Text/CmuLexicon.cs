using System.IO.Compression;
using System.Text;
using VoxTile.IR;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// The pronunciation lexicon MeloTTS's English front end reads (<c>cmudict.rep</c>, spec §6): word in capitals → its
/// ARPAbet phones with stress digits. Reads that file's form (<c>HELLO  HH AH0 - L OW1</c>, syllable marks dropped)
/// and plain CMUdict (<c>hello HH AH0 L OW1</c>); <c>##</c>/<c>;;;</c> comments skipped. Variant keys such as
/// <c>WORD(2)</c> are kept as keys, as the reference keeps them, and so never match a word. An overlay
/// (<see cref="Overlay"/>, the command line's <c>--lexicon</c>) is looked up first and the lexicon under it after.
/// </summary>
public sealed class CmuLexicon
{
    /// <summary>A whole lexicon file to read instead of the carried one (a MeloTTS checkout's <c>melo/text/cmudict.rep</c>, say).</summary>
    public const string EnvironmentVariable = "VOXTILE_LEXICON";

    /// <summary>The packed <c>cmudict.rep</c> entries in this assembly (scripts/pack-lexicon.py, Resources/NOTICE.md).</summary>
    internal const string CarriedResource = "VoxTile.Models.MeloTTS.Text.cmudict-melo.txt.gz";

    private static readonly Lazy<CmuLexicon> CarriedOnce = new(ReadCarried);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<CmuLexicon>> Files = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string[]> _entries;
    private readonly CmuLexicon? _under;

    private CmuLexicon(Dictionary<string, string[]> entries, CmuLexicon? under = null)
    {
        _entries = entries;
        _under = under;
    }

    /// <summary>The number of words that have phones (an overlay's replacements counted once).</summary>
    public int Count => _under is null ? _entries.Count : _entries.Count + _under.Words.Count(k => !_entries.ContainsKey(k));

    /// <summary>Every key, in capitals (an overlay's replacements once).</summary>
    internal IEnumerable<string> Words => _under is null ? _entries.Keys : _entries.Keys.Concat(_under.Words.Where(k => !_entries.ContainsKey(k)));

    public static CmuLexicon Empty() => new(new Dictionary<string, string[]>(StringComparer.Ordinal));

    public static CmuLexicon Load(string path)
    {
        if (!File.Exists(path)) throw new VoxTileException($"lexicon file '{path}' does not exist");
        var lexicon = Empty();
        lexicon.Add(File.ReadLines(path, Encoding.Latin1), path);
        return lexicon;
    }

    /// <summary>MeloTTS's English entries as this assembly carries them (read once per process; nothing is downloaded).</summary>
    public static CmuLexicon Carried() => CarriedOnce.Value;

    /// <summary>The lexicon text input reads by default: the file <c>VOXTILE_LEXICON</c> names (read once per process), else <see cref="Carried"/>.</summary>
    public static CmuLexicon Default()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(env)) return Carried();
        var path = Path.GetFullPath(env);
        var loaded = Files.GetOrAdd(path, p => new Lazy<CmuLexicon>(() => Load(p)));
        try { return loaded.Value; }
        catch (VoxTileException) { Files.TryRemove(path, out _); throw; }
    }

    /// <summary>This lexicon with <paramref name="path"/>'s entries over it: they add words or replace this one's.</summary>
    public CmuLexicon Overlay(string path)
    {
        var top = Load(path);
        return new CmuLexicon(top._entries, this);
    }

    /// <summary>Adds or replaces entries (later lines win, as the reference's dict does).</summary>
    public void Add(IEnumerable<string> lines, string source = "lexicon")
    {
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("##", StringComparison.Ordinal) || line.StartsWith(";;;", StringComparison.Ordinal)) continue;
            int cut = line.IndexOfAny([' ', '\t']);
            if (cut <= 0) throw new VoxTileException($"{source}:{number}: expected a word and its phones, got '{line}'");
            var phones = line[cut..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Where(p => p != "-").ToArray();
            if (phones.Length == 0) throw new VoxTileException($"{source}:{number}: '{line[..cut]}' has no phones");
            _entries[line[..cut].ToUpperInvariant()] = phones;
        }
    }

    /// <summary>The phones of a word (looked up in capitals), or null.</summary>
    public IReadOnlyList<string>? Lookup(string word)
    {
        var key = word.ToUpperInvariant();
        return _entries.TryGetValue(key, out var p) ? p : _under?.Lookup(key);
    }

    private static CmuLexicon ReadCarried()
    {
        using var packed = typeof(CmuLexicon).Assembly.GetManifestResourceStream(CarriedResource)
            ?? throw new InvalidOperationException($"the assembly lacks its lexicon resource {CarriedResource}");
        using var reader = new StreamReader(new GZipStream(packed, CompressionMode.Decompress), Encoding.Latin1);
        var lexicon = Empty();
        lexicon.Add(Lines(reader), CarriedResource);
        return lexicon;
    }

    private static IEnumerable<string> Lines(TextReader reader)
    {
        while (reader.ReadLine() is { } line) yield return line;
    }
}
