using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Random;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// The graph inputs that <c>legalize-ttnn</c> makes of <c>nn.randn_like</c> (Rules/Decompose/README.md): a standard
/// normal draw is input preparation, like decoding the WAV, so the device plan takes it as an input that the runtime
/// fills before each run. The input carries its seed as a typed attribute (<see cref="Input.NoiseSeed"/>, printed
/// <c>%noise: f32[1,192,862]{tile} {noise_seed = 0}</c>), which every later pass, the text form and the device plan
/// (<c>PlanTensor.Seed</c>) keep. Fill it with <see cref="Fill"/> (<see cref="RandnLike.Fill"/>, the reference's
/// SplitMix64 + Box–Muller) over the nn shape in row-major order, f32; it uploads like the other inputs (TILE,
/// <see cref="LegalizeTtnnPass.HostLayout"/>), and the device casts and permutes it itself.
/// </summary>
public static class RandnInputs
{
    /// <summary>The seed of a noise input, or null when <paramref name="input"/> is not one.</summary>
    public static long? SeedOf(Node input) => input.Op is Input { NoiseSeed: { } s } ? s : null;

    /// <summary>The noise inputs of a graph with their seeds, in input order.</summary>
    public static IReadOnlyList<(Node Input, long Seed)> Of(Graph g) =>
        [.. g.Inputs.Where(i => SeedOf(i) is not null).Select(i => (i, SeedOf(i)!.Value))];

    /// <summary>The tensor the runtime binds to a noise input.</summary>
    public static Tensor Fill(Node input)
    {
        var seed = SeedOf(input) ?? throw new ArgumentException($"{input} is not a noise input");
        var t = new Tensor(input.Shape.ToArray());
        RandnLike.Fill(t.Data, seed);
        return t;
    }
}
