using System.Globalization;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>
/// Builds a small device plan by hand, as <see cref="PlanBuilder"/> would from a memory plan: real IR nodes (types
/// inferred, then placed), weights packed in their device dtype and layout, steps with their attributes in the IR's
/// printed form, deallocations where the test puts them.
/// </summary>
internal sealed class PlanSketch(string target = "wormhole_n150")
{
    private readonly List<PlanTensor> _tensors = [];
    private readonly List<PlanStep> _steps = [];
    private readonly List<int> _inputs = [];
    private readonly Dictionary<Node, int> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly MemoryStream _blob = new();
    private readonly List<Node> _graphInputs = [];
    private int _unnamed;

    /// <summary>The per-chip batch the plan records (<c>Bucket["batch"]</c>); 1 leaves it out, as a batch-1 plan does.</summary>
    public int Batch { get; init; } = 1;

    public Node Input(string name, TensorType type, long? seed = null)
    {
        var n = IR.Ops.Graph.Input.Create(name, type, seed);
        _graphInputs.Add(n);
        _inputs.Add(Add(n, seed is null ? PlanTensorKind.Input : PlanTensorKind.Noise, seed: seed));
        return n;
    }

    public Node Weight(string key, Tensor value, DType dtype, Layout layout, MemoryConfig? memory)
    {
        var type = new TensorType(dtype, new Shape(value.Shape), layout, memory);
        var n = IR.Ops.Graph.Weight.Create(key, type, value, key);
        var bytes = WeightPacking.Pack(value, dtype, layout);
        long offset = _blob.Length;
        _blob.Write(bytes);
        Add(n, PlanTensorKind.Weight, offset, bytes.Length, key);
        return n;
    }

    /// <summary>A step: the op applied to its operands (type inferred), placed with a layout and memory config.</summary>
    public Node Op(Op op, Node[] inputs, Layout layout, MemoryConfig? memory, string? name = null)
    {
        var n = Node.Create(op, inputs, name);
        n = n.WithType(n.Type with { Layout = layout, Memory = memory });
        var ins = inputs.Select(i => _ids[i]).ToList();
        int id = Add(n, PlanTensorKind.Activation);
        _steps.Add(new PlanStep
        {
            Op = op.Name,
            Attributes = op.Attributes.ToDictionary(a => a.Key, a => AttributeMap.Format(a.Value), StringComparer.Ordinal),
            Inputs = ins,
            Output = id,
            Origin = name,
        });
        return n;
    }

    public void Free(params Node[] nodes)
    {
        foreach (var n in nodes)
            _steps.Add(new PlanStep { Op = PlanStep.Deallocate, Inputs = [_ids[n]], Attributes = new Dictionary<string, string> { ["force"] = "false" } });
    }

    public DevicePlan Build(string graph, params Node[] outputs)
    {
        var byKind = _steps.GroupBy(s => s.Op).ToDictionary(g => g.Key, g => g.Count());
        return new DevicePlan
        {
            Target = target,
            Model = "a hand-built test plan",
            ModelHash = "0123456789abcdef",
            Graph = graph,
            Bucket = Batch == 1 ? new Dictionary<string, int> { ["frames"] = 64 } : new Dictionary<string, int> { ["frames"] = 64, ["batch"] = Batch },
            Options = new Dictionary<string, string> { ["pipeline"] = "(by hand)", ["weights"] = "bf16", ["activations"] = "bf16" },
            Tensors = _tensors,
            Inputs = _inputs,
            Outputs = [.. outputs.Select(o => _ids[o])],
            Steps = _steps,
            Summary = new PlanSummary
            {
                OpsByKind = byKind,
                PeakL1BytesPerCore = 96 * 1024,
                L1BudgetPerCore = 1_300_664,
                DramBytesMoved = 1 << 20,
                Reshards = 1,
                Spills = 0,
                Slices = 0,
                ModeledSeconds = 0.000125,
                RooflineSeconds = 0.00005,
                WeightBytes = _blob.Length,
            },
            Blob = _blob.ToArray(),
        };
    }

    /// <summary>The same computation as a plain graph (for the reference), with the sketch's inputs.</summary>
    public Graph Graph(string name, params Node[] outputs) => IR.Graph.Create(name, _graphInputs, outputs);

    private int Add(Node n, PlanTensorKind kind, long offset = -1, long length = 0, string? key = null, long? seed = null)
    {
        int id = _tensors.Count;
        var name = n.Name ?? (_unnamed++).ToString(CultureInfo.InvariantCulture);
        _tensors.Add(new PlanTensor(id, name, n.Type.ToString(), kind, offset, length, key, null, seed));
        _ids[n] = id;
        return id;
    }
}
