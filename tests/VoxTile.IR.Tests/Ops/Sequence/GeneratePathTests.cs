using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Tests.Support;
using Xunit.Abstractions;

namespace VoxTile.IR.Tests.Ops.Sequence;

/// <summary>
/// MeloTTS's generate_path (spec §4.4) written with nn ops only — cumsum, a comparison against 0…Ty−1, a shifted
/// difference along the phonemes, sequence_mask for the frame mask — checked against the definition and PyTorch.
/// </summary>
public sealed class GeneratePathTests(ITestOutputHelper output)
{
    /// <summary>
    /// path[b, 0, j, i] = 1 when cum[i−1] ≤ j &lt; cum[i] (cum = cumsum of the durations w[b, 0, :], cum[−1] = 0),
    /// masked by x_mask[b, 0, i] and by j &lt; y_len[b] = max(1, Σ w[b]).
    /// </summary>
    internal static Node Build(Node w, Node xMask, int ty)
    {
        int b = w.Shape[0].Value, tx = w.Shape[2].Value;
        var cum = Nn.Cumsum(w, axis: -1, name: "cum");                                            // [B, 1, Tx]
        var frames = Nn.Scale(Nn.Cumsum(Nn.Full(value: 1f, shape: [ty]), axis: 0), offset: -1f);  // 0 … Ty−1
        var p = Nn.Less(frames, Nn.Transpose(cum, perm: [0, 2, 1]), name: "p");                    // [B, Tx, Ty]: j < cum[i]
        var shifted = Nn.Concat([Nn.Full(value: 0f, shape: [b, 1, ty]), Nn.Slice(p, axis: 1, start: 0, end: tx - 1)], axis: 1);
        var path = Nn.Transpose(Nn.Sub(p, shifted), perm: [0, 2, 1]);                               // [B, Ty, Tx]
        var yLen = Nn.Maximum(Nn.Reshape(Nn.Slice(cum, axis: -1, start: -1), shape: [b]), Nn.Full(value: 1f, shape: [1]));
        var yMask = Nn.SequenceMask(yLen, p);                                                       // [B, 1, Ty]
        var attnMask = Nn.Mul(Nn.Transpose(yMask, perm: [0, 2, 1]), xMask);                         // [B, Ty, Tx]
        return Nn.Reshape(Nn.Mul(path, attnMask), shape: [b, 1, ty, tx], name: "attn");
    }

    internal static Tensor Run(Tensor w, Tensor xMask, int ty)
    {
        var wi = Input.Create("w", TensorType.F32(w.Shape));
        var mi = Input.Create("x_mask", TensorType.F32(xMask.Shape));
        var g = IR.Graph.Create("generate_path", [wi, mi], [Build(wi, mi, ty)]);
        return OneNode.Run(g, w, xMask)[0];
    }

    public sealed record Case(int Batch, int Phonemes, int[] Durations, int[] Lengths, int ExtraFrames)
    {
        public override string ToString() => $"Case(B {Batch}, Tx {Phonemes}, durations {Nd.Show(Durations)}, lengths {Nd.Show(Lengths)}, extra {ExtraFrames})";
    }

    internal static Gen<Case> Cases =>
        from batch in Gen.Choose(1, 3)
        from tx in Gen.Choose(1, 9)
        from durations in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(1, 4))).ArrayOf(batch * tx)
        from lengths in Gen.Choose(0, tx).ArrayOf(batch)
        from extra in Gen.Choose(0, 2)
        select new Case(batch, tx, durations, lengths, extra);

    [Property(MaxTest = 80)]
    public Property MatchesTheDefinition() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        int b = c.Batch, tx = c.Phonemes;
        var mask = new Tensor([b, 1, tx]);
        var w = new Tensor([b, 1, tx]);
        for (int bi = 0; bi < b; bi++)
            for (int i = 0; i < tx; i++)
            {
                mask.Data[bi * tx + i] = i < c.Lengths[bi] ? 1 : 0;
                w.Data[bi * tx + i] = c.Durations[bi * tx + i] * mask.Data[bi * tx + i]; // w = ceil(exp(logw)·x_mask)
            }
        var yLen = Enumerable.Range(0, b).Select(bi => Math.Max(1, w.Data.Skip(bi * tx).Take(tx).Sum())).ToArray();
        int ty = (int)yLen.Max() + c.ExtraFrames;
        var path = Run(w, mask, ty);
        Near.Exact(path, [b, 1, ty, tx], Nd.Map([b, 1, ty, tx], ix =>
        {
            int bi = ix[0], j = ix[2], i = ix[3];
            double before = w.Data.Skip(bi * tx).Take(i).Sum(), upTo = before + w.Data[bi * tx + i];
            return before <= j && j < upTo && mask.Data[bi * tx + i] == 1 && j < yLen[bi] ? 1 : 0;
        }), c.ToString());
    });

    [Fact]
    public void TheSpecExample()
    {
        // Durations (2, 0, 3): frames 0, 1 → phone 0; frames 2, 3, 4 → phone 2.
        var path = Run(new Tensor([1, 1, 3], [2, 0, 3]), Tensor.Full([1, 1, 3], 1), 5);
        Assert.Equal([1f, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1], path.Data);
    }

    [Fact]
    public void MatchesPyTorchGoldenExactly()
    {
        if (!GoldenOps.Available(output)) return;
        var golden = GoldenOps.Load("path_y");
        var path = Run(GoldenOps.Load("path_durations"), GoldenOps.Load("path_x_mask"), golden.Shape[2]);
        Near.Exact(path, golden, "generate_path");
        output.WriteLine($"generate_path {path.ShapeString}: {path.Data.Count(v => v == 1)} ones, equal to the golden");
    }
}
