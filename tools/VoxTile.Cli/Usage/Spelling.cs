namespace VoxTile.Cli.Usage;

/// <summary>"Did you mean": the names a mistyped one most likely stands for, among every name the verb accepts.</summary>
internal static class Spelling
{
    /// <summary>
    /// Names that start with <paramref name="typed"/> (an abbreviation such as <c>--ref</c>), else those within a few
    /// edits of it (a typo such as <c>--refrence</c>), closest first; empty when nothing is close.
    /// </summary>
    public static IReadOnlyList<string> Suggest(string typed, IEnumerable<string> candidates)
    {
        var names = candidates.Distinct(StringComparer.Ordinal).ToList();
        string bare = typed.TrimStart('-');
        if (bare.Length == 0) return [];
        var prefixed = names.Where(n => n.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase) && n != typed).ToList();
        if (prefixed.Count > 0) return prefixed;
        int limit = Math.Max(1, bare.Length / 3);
        return [.. names.Select(n => (Name: n, Distance: Distance(bare, n.TrimStart('-'))))
            .Where(c => c.Distance <= limit).OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).Select(c => c.Name)];
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int same = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + same);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
