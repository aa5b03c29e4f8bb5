using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using VoxTile.IR.Text;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

/// <summary>ttnn.typecast, ttnn.to_layout and ttnn.to_memory_config: value identities whose types carry the change.</summary>
public sealed class TtnnPlacementTests
{
    /// <summary>Placements that fit a tensor of <paramref name="rows"/> × <paramref name="width"/> (already padded to tiles for TILE).</summary>
    internal static Gen<MemoryConfig> Placements(int rows, int width, bool tile) =>
        Gen.Elements(
            MemoryConfig.DramInterleaved,
            MemoryConfig.L1Interleaved,
            new MemoryConfig(BufferType.L1, TensorMemoryLayout.HeightSharded, new ShardSpec((rows + 31) / 32, 32, width)),
            new MemoryConfig(BufferType.L1, TensorMemoryLayout.WidthSharded, new ShardSpec((width + 31) / 32, rows, 32)),
            new MemoryConfig(BufferType.L1, TensorMemoryLayout.BlockSharded, new ShardSpec((rows + 31) / 32 * ((width + 31) / 32), 32, 32)),
            new MemoryConfig(BufferType.Dram, TensorMemoryLayout.HeightSharded, tile ? new ShardSpec((rows + 31) / 32, 32, width) : new ShardSpec(12, (rows + 11) / 12, width)));

    public sealed record Case(int[] Shape, Layout From, Layout To, MemoryConfig Memory, DType DType, int Seed)
    {
        public override string ToString() => $"Case({TtnnCheck.Show(Shape)}, {From} → {To}, {Memory}, {DType.Name()}, seed {Seed})";
    }

    /// <summary>Shapes of up to 4 dims with a placement that fits them in the source layout.</summary>
    internal static Gen<Case> Cases =>
        from shape in TtnnCheck.Shape(1, 4, 5)
        from src in Gen.Elements(Layout.RowMajor, Layout.Tile)
        let tile = src == Layout.Tile
        let rows = (int)shape.Take(shape.Length - 1).Select((d, i) => tile && i == shape.Length - 2 ? (d + 31) / 32 * 32 : d).Aggregate(1L, (a, d) => a * d)
        from mem in Placements(tile && shape.Length == 1 ? 32 : rows, tile ? (shape[^1] + 31) / 32 * 32 : shape[^1], tile)
        from dst in Gen.Elements(Layout.RowMajor, Layout.Tile)
        from dtype in Gen.Elements(DType.BF16, DType.F32, DType.U32)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(shape, src, dst, mem, dtype, seed);

    /// <summary>
    /// Both ops return their input unchanged; to_layout sets the type's layout and keeps its placement,
    /// to_memory_config sets the placement and keeps the layout; the graph prints and parses back with those types.
    /// </summary>
    [Property(MaxTest = 100)]
    public Property SetTheTypeAndKeepTheValueAndRoundTrip() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var x = Input.Create("x", new TensorType(c.DType, new Shape(c.Shape), c.From, MemoryConfig.DramInterleaved));
        var placed = ToMemoryConfig.Create(x, c.Memory, "placed");
        Assert.Equal(new TensorType(c.DType, new Shape(c.Shape), c.From, c.Memory), placed.Type);
        var laid = Tt.ToLayout(placed, c.To, name: "laid");
        Assert.Equal(new TensorType(c.DType, new Shape(c.Shape), c.To, c.Memory), laid.Type);
        var back = ToMemoryConfig.Create(laid, MemoryConfig.DramInterleaved);
        var g = IR.Graph.Create("g", [x], [back]);

        var v = new Rng(c.Seed).Normal(c.Shape);
        var y = VoxTile.IR.Interp.Interpreter.Run(g, [v])[0];
        Near.Exact(y, v, c.ToString());

        var text = Printer.Print(g);
        Assert.Contains($"memory_config = \"{c.Memory}\"", text);
        Assert.Contains($"{{{(c.To == Layout.Tile ? "tile" : "row_major")},{c.Memory}}}", text);
        var parsed = Parser.Parse(text);
        Assert.Equal(text, Printer.Print(parsed));
        Assert.Equal(laid.Type, parsed.Nodes.Single(n => n.Name == "laid").Type);
        Assert.Equal(c.Memory, ((ToMemoryConfig)parsed.Nodes.Single(n => n.Name == "placed").Op).Target);
    });

    /// <summary>A float target keeps the fp32 value (rounding is the native runtime's); an integer target truncates and saturates like TTNN's SFPU cast.</summary>
    [Property(MaxTest = 60)]
    public Property TypecastSetsTheDtypeAndCastsLikeTtnn() => Prop.ForAll(Gen.Elements(Enum.GetValues<TtnnDataType>()).ToArbitrary(), Gen.Choose(0, int.MaxValue - 1).ToArbitrary(), (t, seed) =>
    {
        var rng = new Rng(seed);
        var x = rng.Uniform(-10, 10, 3, 5);
        x.Data[0] = 5e9f;
        x.Data[1] = -5e9f;
        x.Data[2] = float.NaN;
        x.Data[3] = -0.7f;
        var ins = Input.Create("x", TtnnCheck.Of(DType.BF16, 3, 5));
        var node = Tt.Typecast(ins, t);
        Assert.Equal(TtnnCheck.Of(t.ToDType(), 3, 5), node.Type);
        var y = VoxTile.IR.Interp.Interpreter.Run(IR.Graph.Create("g", [ins], [node]), [x])[0];
        double Cast(float v) => (float)(t switch
        {
            TtnnDataType.Uint32 => float.IsNaN(v) ? 0 : Math.Clamp(Math.Truncate(v), 0, uint.MaxValue),
            TtnnDataType.Int32 => float.IsNaN(v) ? 0 : Math.Clamp(Math.Truncate(v), -int.MaxValue, int.MaxValue),
            _ => v,
        });
        Near.Exact(y, [3, 5], [.. x.Data.Select(Cast)], t.ToString());
        var text = Printer.Print(IR.Graph.Create("g", [ins], [node]));
        Assert.Equal(text, Printer.Print(Parser.Parse(text)));
    });

    [Fact]
    public void DtypeNamesRoundTripBothWays()
    {
        foreach (var t in Enum.GetValues<TtnnDataType>()) Assert.Equal(t, t.ToDType().ToTtnn());
        foreach (var d in Enum.GetValues<DType>()) Assert.Equal(d, d.ToTtnn().ToDType());
        Assert.Equal("bfloat8_b", AttributeMap.Format(TtnnDataType.Bfloat8B));
        Assert.Equal(TtnnDataType.Bfloat4B, ((Typecast)Parser.Parse("graph @g(%x: bf16[2]) {\n  %y = ttnn.typecast(%x) {dtype = bfloat4_b} : bfp4_b[2]\n  return %y\n}\n").Nodes[0].Op).Dtype);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        Assert.Contains("TILE", BadType.Expect(new ToLayout { Layout = Layout.RowMajor }, TtnnCheck.Of(DType.BFP8_B, 32, 32)));
        Assert.Contains("TILE", BadType.Expect(new Typecast { Dtype = TtnnDataType.Bfloat4B }, new TensorType(DType.BF16, new Shape(32, 32), Layout.RowMajor)));
        Assert.Contains("not a memory config", BadType.Expect(new ToMemoryConfig { MemoryConfig = "sram" }, TtnnCheck.F32(4, 4)));
        Assert.Contains("not a memory config", BadType.Expect(new ToMemoryConfig { MemoryConfig = "l1_height_sharded" }, TtnnCheck.F32(4, 4)));
        Assert.Contains("shard width", BadType.Expect(new ToMemoryConfig { MemoryConfig = "l1_height_sharded<2x32x32>" }, TtnnCheck.F32(64, 64)));
        Assert.Contains("shard height", BadType.Expect(new ToMemoryConfig { MemoryConfig = "l1_width_sharded<2x32x32>" }, TtnnCheck.F32(64, 64)));
        Assert.Contains("do not fit", BadType.Expect(new ToMemoryConfig { MemoryConfig = "l1_block_sharded<3x32x32>" }, TtnnCheck.F32(64, 64)));
        Assert.Contains("whole tiles", BadType.Expect(new ToMemoryConfig { MemoryConfig = "l1_height_sharded<4x16x64>" }, new TensorType(DType.BF16, new Shape(2, 32, 64), Layout.Tile)));
        Assert.True(new ToMemoryConfig { MemoryConfig = "l1_height_sharded<2x32x64>" }.InferType([new TensorType(DType.BF16, new Shape(2, 20, 50), Layout.Tile)]).Ok); // 2 tiles of rows once padded to 32
    }
}
