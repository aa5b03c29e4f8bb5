using VoxTile.IR;
using VoxTile.IR.Numerics;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// Reads a device plan and checks, before anything touches the device, that this runtime can run it as written:
/// the file format (magic, version, checksum: <see cref="PlanFile"/>), the target it was compiled for, every type
/// and attribute readable, every op known, every step's types those its op infers, every tensor id and weight range
/// in bounds. A plan that fails is refused with one line naming the file and the cause.
/// </summary>
public static class PlanLoader
{
    public static LoadedPlan Load(string path, TargetSpec target) => Load(PlanFile.Read(path), target, path);

    public static LoadedPlan Load(DevicePlan plan, TargetSpec target, string source)
    {
        // A plan's names (ops, tensors, attributes, target) are quoted in refusals and can hold any character, newlines too.
        try { return Check(plan, target, source); }
        catch (VoxTileException e) when (e.Message.Any(char.IsControl))
        {
            throw new VoxTileException(string.Concat(e.Message.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString())), e);
        }
    }

    private static LoadedPlan Check(DevicePlan plan, TargetSpec target, string source)
    {
        if (plan.Format != DevicePlan.CurrentFormat)
            throw new VoxTileException($"{source}: plan format {plan.Format}, this VoxTile runs format {DevicePlan.CurrentFormat}; recompile it with `voxtile compile`");
        if (plan.Target != target.Name)
            throw new VoxTileException($"{source}: the plan was compiled for {plan.Target}, this runtime drives {target.Name}; recompile it with --target {target.Name}");

        var types = new TensorType[plan.Tensors.Count];
        for (int i = 0; i < types.Length; i++)
        {
            var t = plan.Tensors[i];
            if (t.Id != i) throw Corrupt(source, $"tensor %{t.Name} has id {t.Id} at position {i}");
            try { types[i] = Parser.ParseType(t.Type); }
            catch (VoxTileException e) { throw Corrupt(source, $"tensor %{t.Name} has an unreadable type '{t.Type}' ({e.Message})"); }
            if (!types[i].Shape.IsFixed) throw Corrupt(source, $"tensor %{t.Name} has no fixed shape ({t.Type}): plans are compiled per length bucket");
            if (t.Kind == PlanTensorKind.Weight) CheckWeight(source, plan, t, types[i]);
        }

        foreach (var id in plan.Inputs.Concat(plan.Outputs))
            if ((uint)id >= (uint)types.Length) throw Corrupt(source, $"input or output tensor id {id} is out of range");

        var ops = new Op?[plan.Steps.Count];
        for (int i = 0; i < ops.Length; i++)
        {
            var s = plan.Steps[i];
            foreach (var id in s.Inputs)
                if ((uint)id >= (uint)types.Length) throw Corrupt(source, $"step {i} ({s.Op}) reads tensor id {id}, out of range");
            if (s.IsDeallocate) continue;
            if ((uint)s.Output >= (uint)types.Length) throw Corrupt(source, $"step {i} ({s.Op}) writes tensor id {s.Output}, out of range");
            var op = Recreate(source, i, s);
            TypeResult inferred;
            try { inferred = op.InferType([.. s.Inputs.Select(id => types[id])]); }
            catch (ArgumentOutOfRangeException) { throw Corrupt(source, $"step {i} ({s.Op}) has {s.Inputs.Count} inputs, fewer than the op takes"); }
            if (!inferred.Ok) throw Corrupt(source, $"step {i} ({s.Op}): {inferred.Error}");
            var declared = types[s.Output];
            if (inferred.Type!.DType != declared.DType || !inferred.Type.Shape.Equals(declared.Shape))
                throw Corrupt(source, $"step {i} ({s.Op}) computes {inferred.Type}, its output %{plan.Tensors[s.Output].Name} is declared {declared}");
            ops[i] = op;
        }
        return new LoadedPlan(plan, target, source, types, ops);
    }

    /// <summary>The IR op of a step, from its name and attributes in the printed form.</summary>
    public static Op Recreate(string source, int index, PlanStep step)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (k, v) in step.Attributes)
        {
            try { values[k] = Parser.ParseAttributeValue(v); }
            catch (VoxTileException e) { throw Corrupt(source, $"step {index} ({step.Op}): attribute {k} = '{v}' is unreadable ({e.Message})"); }
        }
        Op? op;
        try
        {
            if (!OpRegistry.TryCreate(step.Op, new AttributeMap(values), out op) || op is null)
                throw new VoxTileException($"{source}: step {index} runs {step.Op}, an op this VoxTile does not know (a plan from another version?); recompile it with `voxtile compile`");
        }
        catch (VoxTileException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw Corrupt(source, $"step {index}: {e.Message}");
        }
        return op;
    }

    private static void CheckWeight(string source, DevicePlan plan, PlanTensor t, TensorType type)
    {
        if (t.BlobOffset < 0) throw new VoxTileException($"{source}: weight %{t.Name} has no data (a plan written without weights, e.g. for `dump`, cannot run)");
        var layout = type.Layout ?? Layout.RowMajor;
        long expected = WeightPacking.PackedBytes(type);
        if (type.DType.IsBlockFloat() && layout != Layout.Tile) throw Corrupt(source, $"weight %{t.Name} is {type.DType.Name()} but not TILE");
        if (t.BlobLength != expected || t.BlobOffset + t.BlobLength > plan.Blob.Length)
            throw Corrupt(source, $"weight %{t.Name} ({type}) has {t.BlobLength} bytes at {t.BlobOffset} of a {plan.Blob.Length}-byte blob, its type needs {expected}");
    }

    private static VoxTileException Corrupt(string source, string detail) => new($"{source}: corrupted device plan: {detail}");
}
