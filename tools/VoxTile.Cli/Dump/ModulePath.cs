namespace VoxTile.Cli.Dump;

/// <summary>
/// The model module a value belongs to, read from the checkpoint keys of the weights the graph builders name after
/// the PyTorch modules: <c>dec.ups.0.weight</c> → <c>dec.ups.0</c>, <c>const.dec.ups.0.weight.polyphase_s8</c> (a
/// weight the lowering rewrote) → <c>dec.ups.0</c>. An op belongs to the module of its first weight; an op without
/// weights (an activation, a residual add) to that of its latest-defined operand that has one, so a module's
/// elementwise tail stays with it.
/// </summary>
internal static class ModulePath
{
    private const string ConstPrefix = "const.";

    /// <summary>The module of a weight key; null for the lowering's own constants (<c>const.flip_384</c>, <c>const.scalar_1E-06</c>).</summary>
    public static string? OfWeight(string key)
    {
        bool derived = key.StartsWith(ConstPrefix, StringComparison.Ordinal);
        var parts = (derived ? key[ConstPrefix.Length..] : key).Split('.');
        int param = Array.FindIndex(parts, IsParameter);
        if (param > 0) return string.Join('.', parts[..param]);
        if (derived || parts.Length < 2) return null;
        return string.Join('.', parts[..^1]); // a parameter with a module-specific name (attn_layers.0.emb_rel_k)
    }

    /// <summary>PyTorch parameter and buffer names (weight_g/weight_v of weight norm, weight_ih_l0 of a GRU).</summary>
    private static bool IsParameter(string part) =>
        part.StartsWith("weight", StringComparison.Ordinal) || part.StartsWith("bias", StringComparison.Ordinal)
        || part is "gamma" or "beta" or "running_mean" or "running_var";

    /// <summary>
    /// The unit the HTML view folds: the module path up to its first layer index within three parts
    /// (<c>dec.ups.0</c>, <c>flow.flows.6</c>, <c>dec.resblocks.3</c>), else its first two parts (<c>enc_q.enc</c>).
    /// </summary>
    public static string Unit(string module)
    {
        var parts = module.Split('.');
        for (int i = 1; i < Math.Min(parts.Length, 3); i++)
            if (parts[i].Length > 0 && parts[i].All(char.IsAsciiDigit)) return string.Join('.', parts[..(i + 1)]);
        return string.Join('.', parts[..Math.Min(parts.Length, 2)]);
    }

    /// <summary>The top-level module (<c>dec</c>, <c>enc_q</c>, <c>flow</c>).</summary>
    public static string Top(string module) => module.Split('.')[0];

    /// <summary>Whether <paramref name="module"/> is <paramref name="name"/> or inside it (<c>dec.ups.0.x</c> is in <c>dec.ups.0</c> and in <c>dec</c>, not in <c>dec.ups.01</c>).</summary>
    public static bool IsIn(string? module, string name) =>
        module is not null && (module == name || module.StartsWith(name + ".", StringComparison.Ordinal));

    /// <summary>Every name <c>--module</c> accepts for these modules: each module and every prefix of it.</summary>
    public static IReadOnlyCollection<string> Names(IEnumerable<string?> modules)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var m in modules)
        {
            if (m is null) continue;
            var parts = m.Split('.');
            for (int i = 1; i <= parts.Length; i++) names.Add(string.Join('.', parts[..i]));
        }
        return names;
    }
}
