using VoxTile.Cli.Usage;
using VoxTile.IR;

namespace VoxTile.Cli.Dump;

/// <summary>
/// What <c>dump --module NAME</c> and <c>--range A:B</c> keep of a view, for every format: a converter has ~1,500 ops,
/// more than dot lays out or a reader follows, while one module (<c>dec.ups.0</c>) is a few dozen.
/// </summary>
internal sealed record DumpSelection(string? Module, int From, int To, bool Ranged)
{
    public bool IsWhole => Module is null && !Ranged;

    /// <summary>The view limited to the selection (the view itself when there is none); an unknown module or an empty range is a one-line error.</summary>
    public DumpView Apply(DumpView view)
    {
        if (IsWhole) return view;
        if (Module is { } m)
        {
            var names = ModulePath.Names(view.Nodes.Select(n => n.Module));
            if (!names.Contains(m))
            {
                var near = Spelling.Suggest(m, names);
                // Else the top-level modules, then the units in schedule order: enc_q, flow, dec, enc_q.enc, flow.flows.0, …
                var units = view.Nodes.Select(n => n.Module).OfType<string>().Select(ModulePath.Unit).Distinct().ToList();
                var shown = near.Count > 0 ? near : units.Select(ModulePath.Top).Distinct().Concat(units).Distinct().Take(12).ToList();
                throw new VoxTileException($"--module {m}: no such module in {view.Title}; {(near.Count > 0 ? "did you mean" : "modules include")} {string.Join(", ", shown)}"
                    + (near.Count > 0 ? "?" : ", …"));
            }
        }
        int ops = view.Nodes.Count(n => n.IsOp);
        if (From >= ops) throw new VoxTileException($"--range {From}:{(To == int.MaxValue ? "" : To)}: {view.Title} has {ops} ops, numbered 0 to {ops - 1}");
        var selected = view.Select(Module, From, To);
        if (!selected.Nodes.Any(n => n.IsOp && !n.Outside))
            throw new VoxTileException($"--module {Module} --range {From}:{(To == int.MaxValue ? "" : To)}: no op of the module lies in that range");
        return selected;
    }
}

/// <summary><c>--range A:B</c>: ops A to B−1 in schedule order, as a Python slice (<c>A:</c> to the end, <c>:B</c> from the start).</summary>
internal static class OpRange
{
    public static (int From, int To) Parse(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0) throw Bad(text);
        int from = Bound(text[..colon], 0, text), to = Bound(text[(colon + 1)..], int.MaxValue, text);
        if (from >= to) throw new VoxTileException($"--range {text}: the end must be after the start (A:B keeps ops A to B-1)");
        return (from, to);
    }

    private static int Bound(string part, int missing, string text) =>
        part.Length == 0 ? missing
        : int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v
        : throw Bad(text);

    private static VoxTileException Bad(string text) => new($"--range {text}: expected A:B, A: or :B with op numbers (0 or more), e.g. --range 100:200");
}
