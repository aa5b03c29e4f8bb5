using System.Reflection;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.IR.Verify;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>The laws of the dialect as a whole: every ttnn op declares its requirements, kernel and working set; the catalog runs, prints and parses.</summary>
public sealed class TtnnDialectTests
{
    private static readonly TtnnCatalog Catalog = TtnnCatalog.Build();

    private static IEnumerable<string> RegisteredTtnnOps => OpRegistry.Names.Where(n => n.StartsWith("ttnn.", StringComparison.Ordinal));

    /// <summary>The op classes of the IR assembly by their printed name (the generated <c>OpName</c> constant).</summary>
    internal static Dictionary<string, Type> OpTypes { get; } = typeof(Op).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Op)) && !t.IsAbstract && t.GetField("OpName", BindingFlags.Public | BindingFlags.Static) is not null)
        .ToDictionary(t => (string)t.GetField("OpName")!.GetValue(null)!, t => t);

    [Fact]
    public void EveryRegisteredTtnnOpImplementsITtnnOp()
    {
        Assert.NotEmpty(RegisteredTtnnOps);
        foreach (var name in RegisteredTtnnOps)
        {
            Assert.True(OpTypes.TryGetValue(name, out var type), $"{name} is registered but no op class names it");
            Assert.True(typeof(ITtnnOp).IsAssignableFrom(type), $"{name} ({type!.Name}) does not implement ITtnnOp");
        }
    }

    [Fact]
    public void TheCatalogHasOneSampleOfEveryTtnnOp()
    {
        var sampled = Catalog.Samples.Select(n => n.Op.Name).ToList();
        Assert.Equal(sampled.Count, sampled.Distinct().Count());
        Assert.Equal(RegisteredTtnnOps.Order(StringComparer.Ordinal), sampled.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DeallocateIsAPlanStepNotAGraphOp()
    {
        Assert.Equal("ttnn.deallocate", TtnnOps.Deallocate);
        Assert.DoesNotContain(TtnnOps.Deallocate, OpRegistry.Names);
    }

    [Fact]
    public void EveryRegisteredTargetOpNamesItsKernelInTheCAbi()
    {
        // The target dialects: ttnn.* and the cpu target's fused cpu.* ops, what device plans run.
        static bool IsTargetOp(string name) => name.StartsWith("ttnn.", StringComparison.Ordinal) || name.StartsWith("cpu.", StringComparison.Ordinal);
        var declared = typeof(Op).Assembly.GetTypes()
            .Select(t => (Type: t, Op: t.GetCustomAttribute<OpAttribute>()))
            .Where(d => d.Op is not null && IsTargetOp(d.Op.Name))
            .ToList();
        Assert.Equal(OpRegistry.Names.Where(IsTargetOp), declared.Select(d => d.Op!.Name).Order(StringComparer.Ordinal));
        foreach (var (type, op) in declared)
        {
            var kernel = type.GetCustomAttribute<KernelAttribute>();
            Assert.True(kernel is not null, $"{op!.Name} declares no [Kernel]");
            Assert.StartsWith("vt_", kernel.Symbol, StringComparison.Ordinal);
            // A code is an enumerator of the family's op enum: VT_UNARY_OP_TANH for vt_unary.
            if (kernel.Code is { } code) Assert.StartsWith(kernel.Symbol.ToUpperInvariant() + "_OP_", code, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RequirementsNameTheDeclaredOperandsInOrder()
    {
        foreach (var n in Catalog.Samples)
        {
            var op = (ITtnnOp)n.Op;
            Assert.Equal(n.Op.Operands.Select(o => o.Name), op.OperandRequirements.Select(r => r.Operand));
            for (int i = 0; i < n.Inputs.Length; i++)
                Assert.Equal(n.Op.Operands[Math.Min(i, n.Op.Operands.Count - 1)].Name, op.RequirementOf(i).Operand);
            Assert.All(op.OperandRequirements, r => Assert.NotEmpty(r.DTypes));
        }
    }

    /// <summary>Positive for every op, with or without placements; an eltwise op over shards needs no CB of its own (the CBs alias the shards).</summary>
    [Fact]
    public void WorkingSetsArePositiveAndShardingNeverCostsMore()
    {
        foreach (var n in Catalog.Samples)
        {
            var op = (ITtnnOp)n.Op;
            TensorType Place(TensorType t, MemoryConfig? m) => t with { Layout = Layout.Tile, Memory = m };
            var ins = n.Inputs.Select(i => Place(i.Type, MemoryConfig.DramInterleaved)).ToArray();
            long interleaved = op.WorkingSetBytes(ins, Place(n.Type, MemoryConfig.L1Interleaved));
            Assert.True(interleaved > 0, $"{n.Op.Name}: {interleaved} bytes");
            var shard = new MemoryConfig(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec(64, 32, 64));
            long sharded = op.WorkingSetBytes([.. n.Inputs.Select(i => Place(i.Type, shard))], Place(n.Type, shard));
            Assert.True(sharded >= 0, $"{n.Op.Name}: sharded {sharded}");
            if (op is TtnnUnaryOp or TtnnBinaryOp) Assert.Equal(0, sharded);
            Assert.True(op.WorkingSetBytes(n.Inputs.Select(i => i.Type).ToArray(), n.Type) > 0, $"{n.Op.Name} without placements");
        }
    }

    [Fact]
    public void TheCatalogRunsWithInferredShapes()
    {
        var outs = Interpreter.Run(Catalog.Graph, Catalog.Values);
        for (int i = 0; i < outs.Length; i++)
            Assert.True(Catalog.Samples[i].Shape.ToArray().SequenceEqual(outs[i].Shape), $"{Catalog.Samples[i].Op.Name}: {Catalog.Samples[i].Type} vs {outs[i].ShapeString}");
    }

    /// <summary>Every ttnn op prints and parses back to the same text, with placements on the types, and verifies.</summary>
    [Fact]
    public void PrintParsePrintIsStableWithLayoutsAndPlacements()
    {
        MemoryConfig?[] placements = [null, MemoryConfig.DramInterleaved, MemoryConfig.L1Interleaved, new(BufferType.L1, TensorMemoryLayout.WidthSharded, new ShardSpec(8, 64, 32))];
        var placed = Catalog.Samples.Select((n, i) => n.Op is ToLayout or ToMemoryConfig ? n
            : n.WithType(n.Type with { Layout = i % 3 == 0 ? Layout.RowMajor : Layout.Tile, Memory = placements[i % placements.Length] }));
        var g = IR.Graph.Create("placed", Catalog.Inputs, placed);
        var text = Printer.Print(g);
        var parsed = Parser.Parse(text);
        Assert.Equal(text, Printer.Print(parsed));
        Assert.Empty(Verifier.Check(parsed, op => op is ITtnnOp, "in the ttnn dialect"));
        Assert.Contains("dtype = bfloat8_b", text);
        Assert.Contains("memory_config = \"l1_height_sharded<2x32x64>\"", text);
        Assert.Contains("padding = [[0, 0], [0, 0], [0, 0], [0, 32]]", text);
        Assert.Contains("{row_major,l1_width_sharded<8x64x32>}", text);
    }
}
