namespace VoxTile.Cli.Usage;

/// <summary>"Did you mean": the names a mistyped one most likely stands for, among every name the verb accepts.</summary>
internal static class Spelling
{
    /// <summary>
    /// Names that start with <paramref name="typed"/> (an abbreviation such as <c>--ref</c>), else the closest of those
    /// within a few edits of it (a typo such as <c>--refrence</c>); empty when nothing is close.
    /// </summary>
    public static IReadOnlyList<string> Suggest(string typed, IEnumerable<string> candidates)
    {
        var names = candidates.Distinct(StringComparer.Ordinal).ToList();
        string bare = typed.TrimStart('-');
        if (bare.Length == 0) return [];
        var prefixed = names.Where(n => n.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase) && n != typed).ToList();
        if (prefixed.Count > 0) return prefixed;
        int limit = Math.Max(1, bare.Length / 3);
        var close = names.Select(n => (Name: n, Distance: Distance(bare, n.TrimStart('-')))).Where(c => c.Distance <= limit).ToList();
        if (close.Count == 0) return [];
        int best = close.Min(c => c.Distance);
        return [.. close.Where(c => c.Distance == best).Select(c => c.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>Edit distance with adjacent transpositions counted as one edit (--tua is one from --tau), case-insensitive.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
