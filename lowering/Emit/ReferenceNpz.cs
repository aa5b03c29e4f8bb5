using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// The file an emitted program's <c>--check</c> reads: what VoxTile computes for the plan (the fp32 reference
/// interpreter over the plan's own ops, types and weight values) on given inputs. Entries are named as the program
/// names its values: <c>NAME</c> for outputs and tapped intermediates, <c>input.NAME</c> for the inputs, so the
/// program can run on exactly those.
/// </summary>
public static class ReferenceNpz
{
    public sealed record Summary(int Outputs, int Intermediates, int Skipped, long Bytes);

    /// <param name="maxIntermediateBytes">Intermediates beyond this many bytes (fp32) are left out, counted in <see cref="Summary.Skipped"/>.</param>
    public static Summary Write(string path, DevicePlan plan, IReadOnlyList<KeyValuePair<string, Tensor>> inputs, ReferenceValues values = ReferenceValues.Named,
        long maxIntermediateBytes = 512L << 20, Func<string, Tensor?>? weightFallback = null)
    {
        var (entries, summary) = Compute(plan, inputs, values, maxIntermediateBytes, weightFallback);
        Npz.Write(path, entries);
        return summary;
    }

    public static (IReadOnlyList<KeyValuePair<string, Tensor>> Entries, Summary Summary) Compute(DevicePlan plan, IReadOnlyList<KeyValuePair<string, Tensor>> inputs,
        ReferenceValues values = ReferenceValues.Named, long maxIntermediateBytes = 512L << 20, Func<string, Tensor?>? weightFallback = null)
    {
        var pg = PlanGraph.Build(plan, weightFallback);
        var cx = new EmitContext(plan);
        var byName = inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
        var args = plan.Inputs.Select(i => byName.TryGetValue(cx.Local(i), out var t) ? t
            : throw new VoxTileException($"no value for input {cx.Local(i)}")).ToList();
        var intermediates = new List<KeyValuePair<string, Tensor>>();
        long bytes = 0;
        int skipped = 0;
        var outputs = Interpreter.Run(pg.Graph, args, (node, value) =>
        {
            if (values != ReferenceValues.Named || !pg.Tensors.TryGetValue(node, out var id) || !PythonEmitter.IsTapped(plan, plan.Tensor(id))) return;
            if (bytes + value.Length * 4 > maxIntermediateBytes) { skipped++; return; }
            bytes += value.Length * 4;
            intermediates.Add(new(cx.Local(id), value));
        });
        var entries = new List<KeyValuePair<string, Tensor>>();
        var seen = new HashSet<int>();
        for (int k = 0; k < plan.Outputs.Count; k++)
            if (seen.Add(plan.Outputs[k])) entries.Add(new(cx.Local(plan.Outputs[k]), outputs[k]));
        entries.AddRange(intermediates);
        entries.AddRange(args.Select((a, k) => new KeyValuePair<string, Tensor>("input." + cx.Local(plan.Inputs[k]), a)));
        return (entries, new Summary(seen.Count, intermediates.Count, skipped, bytes + outputs.Sum(o => o.Length * 4)));
    }
}
