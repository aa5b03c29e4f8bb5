using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// The file an emitted program's <c>--check</c> reads: what VoxTile computes for the plan (the fp32 reference
/// interpreter over the plan's own ops, types and weight values) on given inputs. Entries are named as the program
/// names its values: <c>NAME</c> for outputs and tapped intermediates, <c>input.NAME</c> for the inputs, so the
/// program can run on exactly those. For a mesh target the values have the program's shapes: every chip's items on dim 0.
/// </summary>
public static class ReferenceNpz
{
    public sealed record Summary(int Outputs, int Intermediates, int Skipped, long Bytes);

    /// <param name="maxIntermediateBytes">Intermediates beyond this many bytes (fp32) are left out, counted in <see cref="Summary.Skipped"/>.</param>
    /// <remarks>
    /// The file is written as the interpreter runs: each tapped intermediate goes to the file when it is computed and is
    /// not kept (on one chip; a mesh keeps them to concatenate the chips' shares), so memory stays that of the
    /// interpreter whatever the file's size.
    /// </remarks>
    public static Summary Write(string path, DevicePlan plan, IReadOnlyList<KeyValuePair<string, Tensor>> inputs, ReferenceValues values = ReferenceValues.Named,
        long maxIntermediateBytes = 512L << 20, Func<string, Tensor?>? weightFallback = null, IProgress<double>? progress = null) =>
        Npz.Stream(path, add => Run(plan, inputs, values, maxIntermediateBytes, weightFallback, progress, add));

    /// <summary>The entries <see cref="Write"/> writes, in memory: the outputs, the intermediates in order of computation, the inputs.</summary>
    public static (IReadOnlyList<KeyValuePair<string, Tensor>> Entries, Summary Summary) Compute(DevicePlan plan, IReadOnlyList<KeyValuePair<string, Tensor>> inputs,
        ReferenceValues values = ReferenceValues.Named, long maxIntermediateBytes = 512L << 20, Func<string, Tensor?>? weightFallback = null,
        IProgress<double>? progress = null)
    {
        var intermediates = new List<KeyValuePair<string, Tensor>>();
        var outputs = new List<KeyValuePair<string, Tensor>>();
        var summary = Run(plan, inputs, values, maxIntermediateBytes, weightFallback, progress, (name, t) => intermediates.Add(new(name, t)));
        // Run hands over the intermediates, then the outputs, then the inputs: put the outputs first, as the file lists them to a reader.
        int tail = summary.Outputs + plan.Inputs.Count;
        var entries = intermediates.Skip(intermediates.Count - tail).Take(summary.Outputs)
            .Concat(intermediates.Take(intermediates.Count - tail))
            .Concat(intermediates.Skip(intermediates.Count - plan.Inputs.Count)).ToList();
        return (entries, summary);
    }

    /// <summary>Runs the plan's graph in the interpreter and hands <paramref name="add"/> the intermediates as they come, then the outputs and the inputs.</summary>
    private static Summary Run(DevicePlan plan, IReadOnlyList<KeyValuePair<string, Tensor>> inputs, ReferenceValues values, long maxIntermediateBytes,
        Func<string, Tensor?>? weightFallback, IProgress<double>? progress, Action<string, Tensor> add)
    {
        var pg = PlanGraph.Build(plan, weightFallback);
        // Progress by interpreted nodes over every chip (a converter plan interprets for tens of seconds).
        long nodes = (long)pg.Graph.Nodes.Length * Math.Max(1, new EmitContext(plan).Mesh.Chips), done = 0;
        var cx = new EmitContext(plan);
        var byName = inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal);
        var args = plan.Inputs.Select(i => byName.TryGetValue(cx.Local(i), out var t) ? t
            : throw new VoxTileException($"no value for input {cx.Local(i)}")).ToList();
        // On a mesh every chip runs the one-chip plan on its share of dim 0; the program reads each value back with the
        // chips' shares concatenated on dim 0, so the reference concatenates the chips' values the same way.
        var mesh = cx.Mesh;
        bool streams = mesh.Chips == 1;
        var perChipOutputs = new List<Tensor[]>();
        var perChipIntermediates = new List<List<KeyValuePair<string, Tensor>>>();
        var kept = new HashSet<string>(StringComparer.Ordinal); // the intermediates chip 0 kept within the size limit; every chip keeps the same
        long bytes = 0;
        int skipped = 0, written = 0;
        for (int chip = 0; chip < mesh.Chips; chip++)
        {
            var intermediates = new List<KeyValuePair<string, Tensor>>();
            var shares = args.Select(a => mesh.Share(a, chip)).ToList();
            perChipOutputs.Add(Interpreter.Run(pg.Graph, shares, (node, value) =>
            {
                if (progress is not null && ++done % 64 == 0) progress.Report(Math.Min(1.0, (double)done / nodes));
                if (values != ReferenceValues.Named || !pg.Tensors.TryGetValue(node, out var id) || !PythonEmitter.IsTapped(plan, plan.Tensor(id))) return;
                if (chip == 0)
                {
                    if (bytes + value.Length * 4 * mesh.Chips > maxIntermediateBytes) { skipped++; return; }
                    bytes += value.Length * 4 * mesh.Chips;
                    kept.Add(cx.Local(id));
                }
                else if (!kept.Contains(cx.Local(id))) return;
                if (streams) { add(cx.Local(id), value); written++; }
                else intermediates.Add(new(cx.Local(id), value));
            }));
            perChipIntermediates.Add(intermediates);
        }
        progress?.Report(1);
        if (!streams)
            for (int k = 0; k < perChipIntermediates[0].Count; k++)
            {
                add(perChipIntermediates[0][k].Key, MeshPlacement.Concat([.. perChipIntermediates.Select(c => c[k].Value)]));
                written++;
            }
        var outputs = Enumerable.Range(0, plan.Outputs.Count).Select(k => MeshPlacement.Concat([.. perChipOutputs.Select(o => o[k])])).ToList();
        var seen = new HashSet<int>();
        for (int k = 0; k < plan.Outputs.Count; k++)
            if (seen.Add(plan.Outputs[k])) add(cx.Local(plan.Outputs[k]), outputs[k]);
        for (int k = 0; k < args.Count; k++) add("input." + cx.Local(plan.Inputs[k]), args[k]);
        return new Summary(seen.Count, written, skipped, bytes + outputs.Sum(o => o.Length * 4));
    }
}
