using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Tests.Support;
using Tt = VoxTile.IR.Ttnn;

namespace VoxTile.IR.Tests.Ops.Ttnn;

public sealed class TtnnConv1dTests
{
    /// <param name="Form">0: [N, L, 1, C]; 1: flattened [1, 1, N·L, C]; 2: [N, L, C].</param>
    public sealed record Case(int Batch, int CinPerGroup, int CoutPerGroup, int Groups, int Kernel, int Stride, int PadLeft, int PadRight,
        bool OnePad, int Dilation, int Length, bool Bias, int Form, int Seed)
    {
        public int Cin => CinPerGroup * Groups;
        public int Cout => CoutPerGroup * Groups;
        public int Right => OnePad ? PadLeft : PadRight;
        public int OutLength => (Length + PadLeft + Right - Dilation * (Kernel - 1) - 1) / Stride + 1;
    }

    internal static Gen<Case> Cases =>
        from groups in Gen.Choose(1, 3)
        from cing in Gen.Choose(1, 3)
        from coutg in Gen.Choose(1, 3)
        from k in Gen.Choose(1, 5)
        from stride in Gen.Choose(1, 3)
        from dilation in Gen.Choose(1, 3)
        from pl in Gen.Choose(0, 3)
        from pr in Gen.Choose(0, 3)
        from one in Gen.Elements(false, true)
        from extra in Gen.Choose(0, 8)
        from batch in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        from form in Gen.Choose(0, 2)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        let right = one ? pl : pr
        select new Case(batch, cing, coutg, groups, k, stride, pl, pr, one, dilation, Math.Max(1, dilation * (k - 1) + 1 - pl - right) + extra, bias, form, seed);

    internal static Conv1d Op(Case c) => new()
    {
        BatchSize = c.Batch, InChannels = c.Cin, OutChannels = c.Cout, InputLength = c.Length, KernelSize = c.Kernel,
        Stride = c.Stride, Padding = c.OnePad ? [c.PadLeft] : [c.PadLeft, c.PadRight], Dilation = c.Dilation, Groups = c.Groups,
    };

    /// <summary>
    /// What the lowering writes for nn.conv1d: [N, C, L] permuted to channels-last and reshaped to [N, L, 1, C], the
    /// bias to [1, 1, 1, O], ttnn.conv1d, then its [1, 1, N·L_out, O] back to [N, O, L_out]. It equals nn.conv1d.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property EqualsNnConv1dAroundTheChannelsLastLayout() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal(c.Batch, c.Cin, c.Length);
        var w = rng.Normal(c.Cout, c.CinPerGroup, c.Kernel);
        var b = rng.Normal(c.Cout);
        Tensor[] values = c.Bias ? [x, w, b] : [x, w];
        var want = TtnnCheck.Run(n => Nn.Conv1d(n[0], n[1], bias: c.Bias ? n[2] : null, stride: c.Stride, padding: c.PadLeft, paddingRight: c.Right,
            dilation: c.Dilation, groups: c.Groups), TtnnCheck.F32Types(values), values);
        var got = TtnnCheck.Run(n =>
        {
            var nlc = Tt.Permute(n[0], [0, 2, 1]);
            var input = c.Form switch
            {
                0 => Tt.Reshape(nlc, [c.Batch, c.Length, 1, c.Cin]),
                1 => Tt.Reshape(nlc, [1, 1, c.Batch * c.Length, c.Cin]),
                _ => nlc,
            };
            var op = Op(c);
            var y = Node.Create(op, c.Bias ? [input, n[1], Tt.Reshape(n[2], [1, 1, 1, c.Cout])] : [input, n[1]]);
            Assert.Equal(new Shape(1, 1, c.Batch * c.OutLength, c.Cout), y.Shape);
            return Tt.Permute(Tt.Reshape(y, [c.Batch, c.OutLength, c.Cout]), [0, 2, 1]);
        }, TtnnCheck.F32Types(values), values);
        TtnnCheck.Close(got, want, 1e-6, c.ToString());
    });

    [Fact]
    public void BuilderTakesTtnnKeywords()
    {
        var x = VoxTile.IR.Ops.Graph.Input.Create("x", TtnnCheck.Of(DType.BF16, 1, 10, 1, 4));
        var w = VoxTile.IR.Ops.Graph.Input.Create("w", TtnnCheck.F32(8, 4, 3));
        var y = Tt.Conv1d(x, w, batchSize: 1, inChannels: 4, inputLength: 10, kernelSize: 3, outChannels: 8, padding: [1]);
        Assert.Equal(TtnnCheck.Of(DType.BF16, 1, 1, 10, 8), y.Type);
        Assert.Null(y.Type.Layout);
        Assert.Null(y.Type.Memory);
    }

    private static Conv1d Make(int batch = 1, int inputLength = 10, int stride = 1, int groups = 1, int[]? padding = null) => new()
    {
        BatchSize = batch, InChannels = 4, OutChannels = 8, InputLength = inputLength, KernelSize = 3, Stride = stride, Groups = groups, Padding = padding ?? [0],
    };

    [Fact]
    public void RejectsBadOperands()
    {
        var op = Make();
        var x = TtnnCheck.F32(1, 10, 1, 4);
        var w = TtnnCheck.F32(8, 4, 3);
        Assert.Contains("input_tensor", BadType.Expect(op, TtnnCheck.F32(1, 4, 10), w)); // NCL is not channels-last
        Assert.Contains("input_tensor", BadType.Expect(op, TtnnCheck.F32(1, 10, 2, 4), w));
        Assert.Contains("input_tensor", BadType.Expect(op, BadType.F32(1, Dim.Sym("T"), 1, 4), w));
        Assert.Contains("input_tensor", BadType.Expect(op, TtnnCheck.Of(DType.U32, 1, 10, 1, 4), w));
        Assert.Contains("weight_tensor", BadType.Expect(op, x, TtnnCheck.F32(8, 4, 5)));
        Assert.Contains("weight_tensor", BadType.Expect(Make(groups: 2), x, w));
        Assert.Contains("groups", BadType.Expect(Make(groups: 3), x, TtnnCheck.F32(8, 1, 3)));
        Assert.Contains("bias_tensor", BadType.Expect(op, x, w, TtnnCheck.F32(8)));
        Assert.Contains("bias_tensor", BadType.Expect(op, x, w, TtnnCheck.F32(1, 1, 1, 4)));
        Assert.Contains("padding", BadType.Expect(Make(padding: [1, 2, 3]), x, w));
        Assert.Contains("padding", BadType.Expect(Make(padding: [-1]), x, w));
        Assert.Contains("stride", BadType.Expect(Make(stride: 0), x, w));
        Assert.Contains("batch_size", BadType.Expect(Make(batch: 0), x, w));
        Assert.Contains("receptive field", BadType.Expect(Make(inputLength: 2), TtnnCheck.F32(1, 2, 1, 4), w));
    }

    [Property(MaxTest = 100)]
    public Property InferenceNeverThrows() => Prop.ForAll(Cases.ToArbitrary(), Gen.Choose(0, 5).ToArbitrary(), (c, mutation) =>
    {
        var ok = Op(c);
        var op = mutation switch
        {
            1 => new Conv1d { BatchSize = ok.BatchSize, InChannels = ok.InChannels, OutChannels = ok.OutChannels, InputLength = ok.InputLength, KernelSize = ok.KernelSize, Stride = 0 },
            2 => new Conv1d { BatchSize = ok.BatchSize, InChannels = ok.InChannels, OutChannels = ok.OutChannels, InputLength = ok.InputLength, KernelSize = ok.KernelSize, Padding = [] },
            3 => new Conv1d { BatchSize = ok.BatchSize, InChannels = ok.InChannels, OutChannels = ok.OutChannels, InputLength = ok.InputLength, KernelSize = ok.KernelSize, Groups = c.Groups + 1 },
            4 => new Conv1d { BatchSize = ok.BatchSize, InChannels = ok.InChannels, OutChannels = ok.OutChannels, InputLength = 1, KernelSize = ok.KernelSize, Dilation = 7 },
            _ => ok,
        };
        var r = BadType.NeverThrows(op, TtnnCheck.F32(c.Batch, c.Length, 1, c.Cin), TtnnCheck.F32(c.Cout, c.CinPerGroup, c.Kernel));
        if (mutation == 0) Assert.True(r.Ok, r.Error);
    });
}
