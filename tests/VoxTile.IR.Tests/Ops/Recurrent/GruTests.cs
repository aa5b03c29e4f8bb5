using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Recurrent;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Recurrent;

public sealed class GruTests(ITestOutputHelper output)
{
    public sealed record Case(int Batch, int Steps, int In, int Hidden, bool H0, int Seed);

    internal static Gen<Case> Cases =>
        from batch in Gen.Choose(1, 3)
        from steps in Gen.Choose(1, 50)
        from input in Gen.Choose(1, 8)
        from hidden in Gen.Choose(1, 8)
        from h0 in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue - 1)
        select new Case(batch, steps, input, hidden, h0, seed);

    /// <summary>torch.nn.GRU (gate order r, z, n), one step at a time in double.</summary>
    internal static double[] Naive(Tensor x, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, Tensor? h0)
    {
        int b = x.Shape[0], steps = x.Shape[1], inSize = x.Shape[2], h = whh.Shape[1];
        var y = new double[b * steps * h];
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        for (int bi = 0; bi < b; bi++)
        {
            var state = new double[h];
            if (h0 is not null) for (int j = 0; j < h; j++) state[j] = h0.Data[bi * h + j];
            for (int t = 0; t < steps; t++)
            {
                double Wx(int row)
                {
                    double s = bih.Data[row];
                    for (int i = 0; i < inSize; i++) s += (double)wih.Data[row * inSize + i] * x.Data[(bi * steps + t) * inSize + i];
                    return s;
                }
                double Wh(int row)
                {
                    double s = bhh.Data[row];
                    for (int i = 0; i < h; i++) s += whh.Data[row * h + i] * state[i];
                    return s;
                }
                var next = new double[h];
                for (int j = 0; j < h; j++)
                {
                    double r = Sigmoid(Wx(j) + Wh(j));
                    double z = Sigmoid(Wx(h + j) + Wh(h + j));
                    double n = Math.Tanh(Wx(2 * h + j) + r * Wh(2 * h + j));
                    next[j] = (1 - z) * n + z * state[j];
                }
                state = next;
                for (int j = 0; j < h; j++) y[(bi * steps + t) * h + j] = state[j];
            }
        }
        return y;
    }

    [Property(MaxTest = 60)]
    public Property MatchesNaiveDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var rng = new Rng(c.Seed);
        var x = rng.Normal(c.Batch, c.Steps, c.In);
        var wih = rng.Uniform(-0.6, 0.6, 3 * c.Hidden, c.In);
        var whh = rng.Uniform(-0.6, 0.6, 3 * c.Hidden, c.Hidden);
        var bih = rng.Uniform(-0.5, 0.5, 3 * c.Hidden);
        var bhh = rng.Uniform(-0.5, 0.5, 3 * c.Hidden);
        var h0 = c.H0 ? rng.Normal(c.Batch, c.Hidden) : null;
        var y = h0 is null
            ? OneNode.Run(n => Nn.Gru(n[0], n[1], n[2], n[3], n[4]), x, wih, whh, bih, bhh)
            : OneNode.Run(n => Nn.Gru(n[0], n[1], n[2], n[3], n[4], h0: n[5]), x, wih, whh, bih, bhh, h0);
        Near.Tensor(y, [c.Batch, c.Steps, c.Hidden], Naive(x, wih, whh, bih, bhh, h0), 1e-5, c.ToString());
    });

    [Fact]
    public void KeepsSymbolicBatchAndTime()
    {
        var r = BadType.NeverThrows(new Gru(), BadType.F32(Dim.Sym("B"), Dim.Sym("T"), 128), TensorType.F32(384, 128), TensorType.F32(384, 128), TensorType.F32(384), TensorType.F32(384));
        Assert.Equal(new Shape([Dim.Sym("B"), Dim.Sym("T"), 128]), r.Type!.Shape);
    }

    [Fact]
    public void RejectsBadOperands()
    {
        TensorType x = TensorType.F32(2, 5, 4), wih = TensorType.F32(9, 4), whh = TensorType.F32(9, 3), b = TensorType.F32(9);
        Assert.Contains("input", BadType.Expect(new Gru(), TensorType.F32(5, 4), wih, whh, b, b));
        Assert.Contains("weights", BadType.Expect(new Gru(), x, TensorType.F32(9, 4, 1), whh, b, b));
        Assert.Contains("multiple of 3", BadType.Expect(new Gru(), x, TensorType.F32(8, 4), TensorType.F32(8, 3), TensorType.F32(8), TensorType.F32(8)));
        Assert.Contains("weight_hh", BadType.Expect(new Gru(), x, wih, TensorType.F32(9, 4), b, b));
        Assert.Contains("input size", BadType.Expect(new Gru(), TensorType.F32(2, 5, 6), wih, whh, b, b));
        Assert.Contains("biases", BadType.Expect(new Gru(), x, wih, whh, TensorType.F32(3), b));
        Assert.Contains("h0", BadType.Expect(new Gru(), x, wih, whh, b, b, TensorType.F32(2, 4)));
        Assert.Contains("h0", BadType.Expect(new Gru(), x, wih, whh, b, b, TensorType.F32(2, 3, 1)));
        Assert.Contains("h0", BadType.Expect(new Gru(), x, wih, whh, b, b, TensorType.F32(3, 3)));
    }

    [Fact]
    public void MatchesPyTorchGolden()
    {
        if (!GoldenOps.Available(output)) return;
        var x = GoldenOps.Load("gru_x");
        var y = OneNode.Run(n => Nn.Gru(n[0], n[1], n[2], n[3], n[4]), x,
            GoldenOps.Load("gru_weight_ih_l0"), GoldenOps.Load("gru_weight_hh_l0"), GoldenOps.Load("gru_bias_ih_l0"), GoldenOps.Load("gru_bias_hh_l0"));
        GoldenOps.AssertClose(y, GoldenOps.Load("gru_y"), "gru sequence output", output);

        // The final state is the last step of the sequence output: y[:, T−1, :] as [1, B, H].
        var h = GoldenOps.Load("gru_h");
        int b = y.Shape[0], steps = y.Shape[1], hidden = y.Shape[2];
        var last = new Tensor([1, b, hidden]);
        for (int bi = 0; bi < b; bi++) Array.Copy(y.Data, (bi * steps + steps - 1) * hidden, last.Data, bi * hidden, hidden);
        GoldenOps.AssertClose(last, h, "gru final state", output);
    }
}
