using System.Security.Cryptography;
using System.Text;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Planning;
using VoxTile.Lowering.Rules.Legalize;

namespace VoxTile.Lowering.Plan;

/// <summary>
/// Turns a memory plan into a device plan: a tensor table (graph inputs and noise draws first, then weights and
/// results in the order the steps first touch them), the steps with their attributes in the IR's printed form
/// (<see cref="AttributeMap.Format"/>), the weights packed in their device dtype and layout
/// (<see cref="WeightPacking"/>; each key, dtype and layout once), and the summary with the cost model's figures.
/// Tensor names are unique and follow the printer's rules, so the plan prints back as graph text.
/// </summary>
public static class PlanBuilder
{
    public static DevicePlan Build(MemoryPlan plan, PlanBuildOptions options)
    {
        var target = plan.Target;
        var ids = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var tensors = new List<PlanTensor>();
        var names = new VoxTile.IR.Text.ValueNames();
        // The outputs' names first, so that a value lowering left with the same name yields it (audio_1), not the output.
        for (int k = 0; k < plan.Graph.Outputs.Length; k++)
        {
            var o = plan.Graph.Outputs[k];
            if (o.Op is Weight || plan.Graph.Inputs.Contains(o)) continue;
            var wanted = (options.OutputNames is { } given && k < given.Count ? given[k] : null) ?? o.Name;
            if (wanted is not null) names.Reserve(o, wanted);
        }
        var blob = new List<byte[]>();
        long blobLength = 0;
        var packed = new Dictionary<(string Key, DType DType, Layout Layout), (long Offset, long Length)>();
        long weightBytes = 0, compulsory = 0;

        int Tensor(Node n, PlanTensorKind kind)
        {
            if (ids.TryGetValue(n, out var id)) return id;
            id = tensors.Count;
            long offset = -1, length = 0;
            string? key = null;
            if (n.Op is Weight w)
            {
                key = w.Key;
                var layout = n.Type.Layout ?? Layout.RowMajor;
                var k = (w.Key, n.Type.DType, layout);
                if (!packed.TryGetValue(k, out var range))
                {
                    long bytes = WeightPacking.PackedBytes(n.Type with { Layout = layout });
                    weightBytes += bytes;
                    compulsory += bytes;
                    if (options.PackWeights)
                    {
                        var value = w.Value ?? throw new VoxTileException($"weight \"{w.Key}\" has no data to pack");
                        var data = WeightPacking.Pack(value, n.Type with { Layout = layout });
                        range = (blobLength, data.Length);
                        blob.Add(data);
                        blobLength += data.Length;
                    }
                    else range = (-1, 0);
                    packed[k] = range;
                }
                (offset, length) = range;
            }
            tensors.Add(new PlanTensor(id, names.Of(n), n.Type.ToString(), kind, offset, length, key,
                plan.Why.GetValueOrDefault(n), kind == PlanTensorKind.Noise ? RandnInputs.SeedOf(n) : null));
            ids[n] = id;
            return id;
        }

        var inputs = plan.Graph.Inputs.Select(i => Tensor(i, RandnInputs.SeedOf(i) is null ? PlanTensorKind.Input : PlanTensorKind.Noise)).ToList();
        // Compulsory DRAM traffic (the roofline's): the inputs some step reads, each weight, the outputs; once each.
        compulsory += plan.Graph.Inputs.Where(i => plan.Steps.Any(s => s.Kind != StepKind.Deallocate && s.Node.Inputs.Contains(i)))
            .Sum(i => TensorFootprint.TotalBytes(i.Type));

        var steps = new List<PlanStep>();
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        double modeled = 0, flops = 0, peakCompute = 0;
        long dramMoved = 0;
        int hostOps = 0;
        foreach (var s in plan.Steps)
        {
            if (s.Kind == StepKind.Deallocate)
            {
                steps.Add(new PlanStep
                {
                    Op = PlanStep.Deallocate,
                    Inputs = [ids[s.Node]],
                    Attributes = new Dictionary<string, string> { ["force"] = "false" },
                    Origin = s.Node.Name,
                    Why = s.Why,
                    L1BytesPerCore = s.L1InUse,
                });
                Count(byKind, PlanStep.Deallocate);
                continue;
            }
            var n = s.Node;
            var ins = n.Inputs.Select(i => Tensor(i, i.Op is Weight ? PlanTensorKind.Weight : PlanTensorKind.Activation)).ToList();
            int output = Tensor(n, PlanTensorKind.Activation);
            var cost = CostModel.Of(n, target);
            modeled += cost.Seconds;
            flops += cost.Flops;
            dramMoved += cost.DramBytes;
            if (cost.Fidelity is { } f) peakCompute += CostModel.PeakComputeSeconds(cost.Flops, f, target);
            if (plan.Kinds.GetValueOrDefault(n) == ValueKind.HostOp) hostOps++;
            Count(byKind, n.Op.Name);
            steps.Add(new PlanStep
            {
                Op = n.Op.Name,
                Attributes = n.Op.Attributes.ToDictionary(a => a.Key, a => AttributeMap.Format(a.Value), StringComparer.Ordinal),
                Inputs = ins,
                Output = output,
                Origin = n.Name,
                Why = s.Why,
                L1BytesPerCore = s.L1InUse,
                ModeledSeconds = cost.Seconds,
            });
        }
        var outputs = plan.Graph.Outputs.Select(o => ids[o]).ToList();
        compulsory += plan.Graph.Outputs.Sum(o => TensorFootprint.TotalBytes(o.Type));

        var blobBytes = new byte[blobLength];
        long at = 0;
        foreach (var part in blob)
        {
            part.CopyTo(blobBytes, at);
            at += part.Length;
        }
        var built = new DevicePlan
        {
            Target = target.Name,
            Model = options.Model,
            ModelHash = options.ModelHash ?? Hash(options.Model, blobBytes),
            Graph = plan.Graph.Name,
            Bucket = options.Bucket,
            Options = options.Settings,
            Tensors = tensors,
            Inputs = inputs,
            Outputs = outputs,
            Steps = steps,
            Summary = new PlanSummary
            {
                OpsByKind = byKind,
                HostOps = hostOps,
                PeakL1BytesPerCore = plan.PeakL1PerCore,
                L1BudgetPerCore = plan.L1BudgetPerCore,
                DramBytesMoved = dramMoved,
                Reshards = plan.Reshards,
                Spills = plan.Spills,
                Slices = plan.SlicedOps,
                ModeledSeconds = modeled,
                RooflineSeconds = Math.Max(compulsory / target.DramBandwidthBytesPerSecond, peakCompute),
                WeightBytes = weightBytes,
                Flops = flops,
            },
            Blob = blobBytes,
        };
        var run = HostCost.Of(built, target);
        return built with
        {
            Summary = built.Summary with
            {
                ModeledLatencyTracedSeconds = run.TracedSeconds,
                ModeledLatencyUntracedSeconds = run.UntracedSeconds,
                PeakDramBytesPerChip = PlanDram.PeakBytes(built),
            },
        };
    }

    private static void Count(IDictionary<string, int> d, string k) => d[k] = d.TryGetValue(k, out var c) ? c + 1 : 1;

    private static string Hash(string model, byte[] blob) =>
        Convert.ToHexString(SHA256.HashData([.. Encoding.UTF8.GetBytes(model), .. SHA256.HashData(blob)]))[..16].ToLowerInvariant();
}
