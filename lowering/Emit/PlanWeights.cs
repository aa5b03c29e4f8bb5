using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// The plan's weights as fp32 tensors in their logical shape (row-major, the layout each op expects): unpacked from
/// the plan's blob, so they hold exactly the values the plan's device dtype keeps (bf16- or bfp8-rounded);
/// <c>ttnn.from_torch</c> then casts and tiles them again without changing a value.
/// </summary>
public static class PlanWeights
{
    /// <summary>Every weight tensor the steps read, in order of first use.</summary>
    public static IReadOnlyList<PlanTensor> Of(DevicePlan plan)
    {
        var seen = new HashSet<int>();
        var list = new List<PlanTensor>();
        foreach (var s in plan.Steps)
            foreach (var i in s.Inputs)
                if (plan.Tensor(i).Kind == PlanTensorKind.Weight && seen.Add(i)) list.Add(plan.Tensor(i));
        return list;
    }

    /// <summary>
    /// The values of every weight. <paramref name="fallback"/> supplies a weight by key when the plan was built
    /// without packed weights (its blob is empty).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Unpack(DevicePlan plan, Func<string, Tensor?>? fallback = null)
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        foreach (var t in Of(plan)) result.Add(new(t.Name, Value(plan, t, fallback)));
        return result;
    }

    public static Tensor Value(DevicePlan plan, PlanTensor t, Func<string, Tensor?>? fallback = null)
    {
        var type = Parser.ParseType(t.Type);
        var shape = type.Shape.ToArray();
        if (t.BlobOffset >= 0 && t.BlobLength > 0)
            return WeightPacking.Unpack(plan.Blob.AsSpan((int)t.BlobOffset, (int)t.BlobLength), type);
        var v = (t.Key is { } key ? fallback?.Invoke(key) : null)
            ?? throw new VoxTileException($"weight {t.Name} ({t.Key ?? "no key"}) has no data: the plan was compiled without packed weights");
        if (!v.Shape.AsSpan().SequenceEqual(shape))
            throw new VoxTileException($"weight {t.Name}: the model gives [{string.Join(",", v.Shape)}], the plan holds {t.Type}");
        return v;
    }
}
