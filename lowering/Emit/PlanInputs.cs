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

    /// <summary>
    /// A value for every input: <paramref name="given"/> by name (shape-checked), noise from its seed, and for any
    /// other a seeded draw (uniform in ±0.5 for floats, zeros for integer ids) that <paramref name="note"/> reports.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Complete(DevicePlan plan, IReadOnlyDictionary<string, Tensor> given, long seed, Action<string>? note = null)
    {
        var slots = Of(plan);
        foreach (var name in given.Keys)
            if (slots.All(s => s.Name != name))
                throw new VoxTileException($"the plan has no input {name} (its inputs: {string.Join(", ", slots.Select(s => s.Name))})");
        var result = new List<KeyValuePair<string, Tensor>>();
        var rng = new Random(unchecked((int)seed));
        foreach (var s in slots)
        {
            Tensor v;
            if (given.TryGetValue(s.Name, out var g))
            {
                if (!g.Shape.AsSpan().SequenceEqual(s.Shape))
                    throw new VoxTileException($"input {s.Name} has shape [{string.Join(",", g.Shape)}]; the plan was compiled for [{string.Join(",", s.Shape)}]");
                v = g;
            }
            else if (s.Seed is { } noiseSeed)
            {
                v = new Tensor(s.Shape);
                RandnLike.Fill(v.Data, noiseSeed);
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
}
