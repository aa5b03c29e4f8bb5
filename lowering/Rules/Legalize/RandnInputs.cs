using System.Globalization;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Random;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// The graph inputs that <c>legalize-ttnn</c> makes of <c>nn.randn_like</c> (Rules/Decompose/README.md): a standard
/// normal draw is input preparation, like decoding the WAV, so the device plan takes it as an input that the runtime
/// fills before each run. The input carries everything the runtime needs in its name and type, which every later
/// pass and the text form keep: <c>%&lt;value&gt;.randn_seed_&lt;seed&gt; : f32[shape]</c>, the seed as an unsigned
/// 64-bit decimal. Fill it with <see cref="Fill"/> (<see cref="RandnLike.Fill"/>, the reference's SplitMix64 +
/// Box–Muller) over the nn shape in row-major order, f32; it uploads like the other inputs (TILE,
/// <see cref="LegalizeTtnnPass.HostLayout"/>), and the device casts and permutes it itself.
/// </summary>
public static class RandnInputs
{
    private const string Marker = ".randn_seed_";

    /// <summary>The input name for the draw that was value <paramref name="value"/> with <paramref name="seed"/>.</summary>
    public static string NameFor(string value, long seed) =>
        value + Marker + unchecked((ulong)seed).ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="input"/> is a noise input, and its seed and original value name.</summary>
    public static bool TryParse(Node input, out long seed, out string value)
    {
        seed = 0;
        value = "";
        if (input.Op is not Input || input.Name is not { } name) return false;
        int at = name.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at <= 0 || !ulong.TryParse(name.AsSpan(at + Marker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var s)) return false;
        seed = unchecked((long)s);
        value = name[..at];
        return true;
    }

    /// <summary>The noise inputs of a graph with their seeds, in input order.</summary>
    public static IReadOnlyList<(Node Input, long Seed)> Of(Graph g) =>
        [.. g.Inputs.Select(i => (Input: i, Ok: TryParse(i, out var s, out _), Seed: s)).Where(x => x.Ok).Select(x => (x.Input, x.Seed))];

    /// <summary>The tensor the runtime binds to a noise input.</summary>
    public static Tensor Fill(Node input)
    {
        if (!TryParse(input, out var seed, out _)) throw new ArgumentException($"{input} is not a noise input");
        var t = new Tensor(input.Shape.ToArray());
        RandnLike.Fill(t.Data, seed);
        return t;
    }
}
