using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.Lowering.Costs;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// What the op emitters share while one program is written: the Python name of every plan tensor, the parsed
/// types, and the module-level constants the op lines refer to (sharded memory configs, compute and conv configs,
/// conv call sites), each defined once in order of first use.
/// </summary>
internal sealed class EmitContext
{
    private readonly Dictionary<int, TensorType> _types = [];
    private readonly Dictionary<string, (string Name, string Definition)> _constants = new(StringComparer.Ordinal);
    private readonly List<string> _constantOrder = [];
    private readonly Dictionary<int, string> _weightNames = [];

    public EmitContext(DevicePlan plan)
    {
        if (plan.Target == TargetSpec.Cpu.Name)
            throw new VoxTileException($"a plan for the {plan.Target} target runs on the CPU runtime only (its fused ops are no TTNN calls): compile for a card (--target {string.Join("|", TargetSpec.Tenstorrent.Select(t => t.Name))}) to emit a TTNN program");
        Plan = plan;
        Target = TargetSpec.Tenstorrent.FirstOrDefault(t => t.Name == plan.Target);
        GridX = Target?.GridX ?? 8;
        GridY = Target?.GridY ?? 8;
        Mesh = MeshPlacement.Of(plan, Target);
        // Every name up front, inputs first and then results in step order, so that the program and the reference
        // file (which builds its own context) agree on every name, suffixes included.
        foreach (var i in plan.Inputs) Local(i);
        foreach (var s in plan.Steps)
            if (!s.IsDeallocate) Local(s.Output);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var w in PlanWeights.Of(plan))
        {
            // A weight goes by its plan name when it has one, else by its checkpoint key; the same key in another
            // dtype or layout gets those appended.
            var preferred = PythonNames.IsNamed(w.Name) ? w.Name : w.Key ?? w.Name;
            var name = preferred;
            if (taken.Contains(name))
            {
                var t = TypeOf(w.Id);
                name = $"{preferred}.{t.DType.Name()}{(t.Layout == Layout.Tile ? ".tile" : "")}";
            }
            for (int k = 2; taken.Contains(name); k++) name = $"{preferred}.{k}";
            taken.Add(name);
            _weightNames[w.Id] = name;
        }
    }

    public DevicePlan Plan { get; }
    public TargetSpec? Target { get; }
    public int GridX { get; }
    public int GridY { get; }

    /// <summary>The chips the program opens and how the batch spreads over them.</summary>
    public MeshPlacement Mesh { get; }

    public PythonNames Names { get; } = new();

    /// <summary>
    /// Conv call sites in order: the output's Python name, the host weight and bias (plan names), and the OIHW shape
    /// the host weight is viewed as where a conv1d is called as conv2d (null otherwise).
    /// </summary>
    public List<(string Site, string Weight, string? Bias, int[]? Oihw)> ConvSites { get; } = [];

    public bool UsesSharding { get; private set; }

    /// <summary>The definitions of the constants used so far, in order of first use.</summary>
    public IEnumerable<string> ConstantDefinitions => _constantOrder.Select(k => _constants[k].Definition);

    public TensorType TypeOf(int id)
    {
        if (_types.TryGetValue(id, out var t)) return t;
        var pt = Plan.Tensor(id);
        try { t = Parser.ParseType(pt.Type); }
        catch (VoxTileException e) { throw new VoxTileException($"plan tensor {pt.Name}: unreadable type \"{pt.Type}\" ({e.Message})"); }
        _types[id] = t;
        return t;
    }

    /// <summary>The Python expression for a tensor: a local variable, or <c>W["name"]</c> for a weight.</summary>
    public string Var(int id) => Plan.Tensor(id).Kind == PlanTensorKind.Weight ? $"W[{Py.Str(WeightName(id))}]" : Local(id);

    /// <summary>A weight's name in the program and the weights file: its plan name, or its checkpoint key for an unnamed one; unique.</summary>
    public string WeightName(int id) => _weightNames.TryGetValue(id, out var n) ? n
        : throw new InvalidOperationException($"plan tensor {Plan.Tensor(id).Name} is not a weight any step reads");

    /// <summary>The local variable of an input or activation.</summary>
    public string Local(int id)
    {
        var t = Plan.Tensor(id);
        return Names.Of(t.Name);
    }

    /// <summary>The memory config of <paramref name="t"/> as a Python expression (a ttnn constant, or a module constant for a shard spec).</summary>
    public string MemoryConfig(TensorType t)
    {
        var m = t.Memory ?? throw new InvalidOperationException($"{t} is a host tensor: it has no memory config");
        if (m.Shard is null)
        {
            return m.Buffer == BufferType.Dram ? "ttnn.DRAM_MEMORY_CONFIG" : "ttnn.L1_MEMORY_CONFIG";
        }
        UsesSharding = true;
        var s = m.Shard;
        string layout = TtnnSpelling.MemoryLayout(m.Layout), buffer = TtnnSpelling.Buffer(m.Buffer);
        string prefix = (m.Buffer == BufferType.Dram ? "DRAM_" : "L1_") + m.Layout switch
        {
            TensorMemoryLayout.HeightSharded => "HEIGHT",
            TensorMemoryLayout.WidthSharded => "WIDTH",
            _ => "BLOCK",
        };
        string shard = $"[{s.ShardHeight}, {s.ShardWidth}]";
        if (m.Layout == TensorMemoryLayout.BlockSharded)
        {
            var (x, y) = BlockGrid(t, s);
            return Constant($"{prefix}_{x}x{y}_{s.ShardHeight}x{s.ShardWidth}",
                name => $"{name} = sharded({layout}, {buffer}, core_block({x}, {y}), {shard})  # {m} over a {x}x{y} block of cores");
        }
        return Constant($"{prefix}_{s.Cores}x{s.ShardHeight}x{s.ShardWidth}",
            name => $"{name} = sharded({layout}, {buffer}, first_cores({s.Cores}), {shard})  # {m}");
    }

    /// <summary>
    /// A block-sharded tensor's shards form a grid: shard rows down the cores' y, shard columns along x (ROW_MAJOR
    /// orientation), over the tensor's 2-D view (rows = all dims but the last; TILE pads both to 32).
    /// </summary>
    private static (int X, int Y) BlockGrid(TensorType t, ShardSpec s)
    {
        if (!t.Shape.IsFixed || t.Rank == 0) return (1, s.Cores);
        var dims = t.Shape.ToArray();
        bool tile = t.Layout == Layout.Tile;
        long width = dims[^1], rows = 1;
        for (int i = 0; i < dims.Length - 1; i++) rows *= i == dims.Length - 2 && tile ? (dims[i] + 31) / 32 * 32 : dims[i];
        if (tile)
        {
            if (dims.Length == 1) rows = 32;
            width = (width + 31) / 32 * 32;
        }
        return ((int)((width + s.ShardWidth - 1) / s.ShardWidth), (int)((rows + s.ShardHeight - 1) / s.ShardHeight));
    }

    /// <summary>
    /// The compute kernel config of a matmul or conv reading <paramref name="operands"/>: the cost model's fidelity for
    /// the lowest-precision operand (<see cref="FidelityPolicy"/>), fp32 accumulation at HiFi4.
    /// </summary>
    public string ComputeConfig(IEnumerable<DType> operands)
    {
        var f = FidelityPolicy.For(operands);
        bool fp32Acc = f == MathFidelity.HiFi4;
        return Constant($"COMPUTE_{f.ToString().ToUpperInvariant()}", name =>
            $"{name} = ttnn.WormholeComputeKernelConfig(math_fidelity={TtnnSpelling.Fidelity(f)}, math_approx_mode=False, fp32_dest_acc_en={Py.Bool(fp32Acc)}, packer_l1_acc=False)");
    }

    /// <summary>
    /// A shared <c>ttnn.Conv2dConfig</c> for convs with these weights, output layout, fused activation
    /// (<c>activation=ttnn.UnaryWithParam(ttnn.UnaryOpType.…[, param])</c>, the binding's positional-only form) and
    /// act block height (<c>act_block_h_override</c>, rows; 0 leaves TTNN's default).
    /// </summary>
    public string ConvConfig(DType weights, Layout output, ConvActivation activation = ConvActivation.None, float param = 0, int actBlockH = 0)
    {
        var key = $"CONV_{weights.Name().ToUpperInvariant()}_{(output == Layout.Tile ? "TILE" : "ROW_MAJOR")}";
        string? unary = activation switch
        {
            ConvActivation.None => null,
            ConvActivation.LeakyRelu => $"ttnn.UnaryWithParam(ttnn.UnaryOpType.LEAKY_RELU, {Py.Float(param)})",
            _ when ConvActivations.IsTtnnFusable(activation) => $"ttnn.UnaryWithParam(ttnn.UnaryOpType.{AttributeMap.Format(activation).ToUpperInvariant()})",
            _ => throw new VoxTileException($"a TTNN conv config cannot fuse {AttributeMap.Format(activation)}"),
        };
        if (unary is not null)
            key += "_" + AttributeMap.Format(activation).ToUpperInvariant() + (activation == ConvActivation.LeakyRelu ? "_" + Py.Float(param).Replace('.', '_').Replace('-', 'M') : "");
        if (actBlockH > 0) key += $"_ACT_BLOCK_H{actBlockH}";
        return Constant(key, name =>
            $"{name} = ttnn.Conv2dConfig(weights_dtype={TtnnSpelling.DType(weights)}, output_layout={TtnnSpelling.Layout(output)}"
            + (unary is null ? "" : $", activation={unary}") + (actBlockH > 0 ? $", act_block_h_override={actBlockH}" : "") + ")");
    }

    private string Constant(string name, Func<string, string> define)
    {
        if (_constants.TryGetValue(name, out var c)) return c.Name;
        _constants[name] = (name, define(name));
        _constantOrder.Add(name);
        return name;
    }
}
