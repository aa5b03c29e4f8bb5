using VoxTile.IR;
using VoxTile.IR.Ops.Random;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// The inputs of a plan as the emitted program names and shapes them (Python identifiers; on a mesh, dim 0 holds every
/// chip's items, <see cref="MeshPlacement"/>), and the values to run it on: given ones, noise drawn from its seed (<see cref="RandnLike.Fill"/>,
/// which the program's <c>randn</c> reproduces), and seeded stand-ins for the rest.
/// </summary>
public static class PlanInputs
{
    public sealed record Slot(string Name, int[] Shape, DType DType, long? Seed);

    public static IReadOnlyList<Slot> Of(DevicePlan plan)
    {
        var cx = new EmitContext(plan);
        return [.. plan.Inputs.Select(i =>
        {
            var t = Parser.ParseType(plan.Tensor(i).Type);
            return new Slot(cx.Local(i), cx.Mesh.Global(t.Shape.ToArray()), t.DType, plan.Tensor(i).Seed);
        })];
    }

    /// <summary>The plan's outputs as the program names them (<c>audio</c>), each once.</summary>
    public static IReadOnlyList<string> OutputNames(DevicePlan plan)
    {
        var cx = new EmitContext(plan);
        return [.. plan.Outputs.Select(cx.Local).Distinct()];
    }

    /// <summary>The plan option prefix naming a length input: <c>length.tokens = phonemes</c> says input tokens holds how much of phonemes' last dim is real.</summary>
    public const string LengthSetting = "length.";

    /// <summary>The plan's length inputs (program names): length input → the input whose real length it holds.</summary>
    public static IReadOnlyDictionary<string, string> Lengths(DevicePlan plan)
    {
        var names = Of(plan).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return plan.Options.Where(o => o.Key.StartsWith(LengthSetting, StringComparison.Ordinal))
            .Select(o => (Length: o.Key[LengthSetting.Length..], Of: o.Value))
            .Where(l => names.Contains(l.Length) && names.Contains(l.Of))
            .ToDictionary(l => l.Length, l => l.Of, StringComparer.Ordinal);
    }

    /// <summary>
    /// A value for every input: <paramref name="given"/> by name (a shorter last dim is padded with zeros, a longer one
    /// refused), noise from its seed, a length input (<see cref="Lengths"/>) from the real length of the input it
    /// measures, and for any other a seeded draw (uniform in ±0.5 for floats, zeros for integer ids) that
    /// <paramref name="note"/> reports, as it reports padding.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Complete(DevicePlan plan, IReadOnlyDictionary<string, Tensor> given, long seed, Action<string>? note = null)
    {
        var slots = Of(plan);
        foreach (var name in given.Keys)
            if (slots.All(s => s.Name != name))
                throw new VoxTileException($"the plan has no input {name} (its inputs: {string.Join(", ", slots.Select(s => s.Name))})");
        var lengths = Lengths(plan);
        var real = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<KeyValuePair<string, Tensor>>();
        var rng = new Random(unchecked((int)seed));
        foreach (var s in slots)
        {
            Tensor v;
            if (given.TryGetValue(s.Name, out var g))
            {
                v = Fit(s, g, note);
                real[s.Name] = g.Shape[^1];
            }
            else if (s.Seed is { } noiseSeed)
            {
                v = new Tensor(s.Shape);
                RandnLike.Fill(v.Data, noiseSeed);
            }
            else if (lengths.TryGetValue(s.Name, out var of) && given.TryGetValue(of, out var measured))
            {
                v = new Tensor(s.Shape);
                v.Data.AsSpan().Fill(measured.Shape[^1]);
            }
            else
            {
                v = new Tensor(s.Shape);
                if (s.DType is DType.F32 or DType.BF16 or DType.BFP8_B or DType.BFP4_B)
                    for (long i = 0; i < v.Length; i++) v.Data[i] = (float)(rng.NextDouble() - 0.5);
                note?.Invoke($"input {s.Name} [{string.Join(",", s.Shape)}] not given: {(s.DType is DType.U32 or DType.I32 ? "zeros" : "seeded uniform values in ±0.5")}");
            }
            result.Add(new(s.Name, v));
        }
        return result;
    }

    /// <summary>A given value in its slot's shape: as it is, or shorter on the last dim and padded with zeros; anything else is refused in one line.</summary>
    private static Tensor Fit(Slot s, Tensor g, Action<string>? note)
    {
        if (g.Shape.AsSpan().SequenceEqual(s.Shape)) return g;
        string Shape(int[] shape) => $"[{string.Join(",", shape)}]";
        if (g.Shape.Length != s.Shape.Length || !g.Shape.AsSpan(0, g.Shape.Length - 1).SequenceEqual(s.Shape.AsSpan(0, s.Shape.Length - 1)))
            throw new VoxTileException($"input {s.Name} has shape {Shape(g.Shape)}; the plan was compiled for {Shape(s.Shape)} (only the last dim may be shorter)");
        int have = g.Shape[^1], want = s.Shape[^1];
        if (have > want)
            throw new VoxTileException($"input {s.Name} has {have} values on its last dim; the plan was compiled for at most {want}: compile it for longer input");
        var padded = new Tensor(s.Shape);
        long rows = g.Length / have;
        for (long r = 0; r < rows; r++) g.Data.AsSpan((int)(r * have), have).CopyTo(padded.Data.AsSpan((int)(r * want), have));
        note?.Invoke($"input {s.Name}: {have} of the plan's {want} values on its last dim given, the rest padded with zeros");
        return padded;
    }
}
