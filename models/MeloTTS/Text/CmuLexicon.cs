using VoxTile.IR;
using System.Text;

namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// The pronunciation lexicon MeloTTS's English front end reads (<c>cmudict.rep</c>, spec §6): word in capitals → its
/// ARPAbet phones with stress digits. Reads that file's form (<c>HELLO  HH AH0 - L OW1</c>, syllable marks dropped)
/// and plain CMUdict (<c>hello HH AH0 L OW1</c>); <c>##</c>/<c>;;;</c> comments skipped. Variant keys such as
/// <c>WORD(2)</c> are kept as keys, as the reference keeps them, and so never match a word.
/// </summary>
public sealed class CmuLexicon
{
    private readonly Dictionary<string, string[]> _entries;

    private CmuLexicon(Dictionary<string, string[]> entries) => _entries = entries;

    /// <summary>Where the lexicon is looked for by default: <c>VOXTILE_LEXICON</c>, then <c>../shared/lexicon/cmudict.rep</c> above the working directory or the program.</summary>
    public const string EnvironmentVariable = "VOXTILE_LEXICON";

    public int Count => _entries.Count;

    public static CmuLexicon Empty() => new(new Dictionary<string, string[]>(StringComparer.Ordinal));

    public static CmuLexicon Load(string path)
    {
        if (!File.Exists(path)) throw new VoxTileException($"lexicon file '{path}' does not exist");
        var lexicon = Empty();
        lexicon.Add(File.ReadLines(path, Encoding.Latin1), path);
        return lexicon;
    }

    /// <summary>The default lexicon file, or an error naming where it was looked for.</summary>
    public static string FindDefault()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return env;
        var tried = new List<string>();
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "lexicon", "cmudict.rep");
                if (File.Exists(candidate)) return Path.GetFullPath(candidate);
                if (tried.Count < 2) tried.Add(Path.GetFullPath(candidate));
            }
        throw new VoxTileException($"no English lexicon: cmudict.rep was not found at {string.Join(" or ", tried)} or above; give --lexicon FILE or set {EnvironmentVariable}");
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
    public IReadOnlyList<string>? Lookup(string word) => _entries.TryGetValue(word.ToUpperInvariant(), out var p) ? p : null;
}
