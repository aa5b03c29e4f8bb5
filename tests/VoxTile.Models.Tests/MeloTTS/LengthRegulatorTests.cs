using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.MeloTTS;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.MeloTTS;

/// <summary>Durations → y_len, y_mask and the alignment path inside a static frame bucket (spec §4.4).</summary>
public sealed class LengthRegulatorTests
{
    private static (float[] Length, float[] Mask, Tensor Path) Run(float[] durations, float[] xMask, int frames)
    {
        int tx = durations.Length;
        var d = Input.Create("d", TensorType.F32(1, 1, tx));
        var m = Input.Create("m", TensorType.F32(1, 1, tx));
        var r = LengthRegulator.FromDurations(d, m, frames);
        var outs = Interpreter.Run(IR.Graph.Create("lr", [d, m], [r.Length, r.FrameMask, r.Path]),
            [new Tensor([1, 1, tx], durations), new Tensor([1, 1, tx], xMask)]);
        return (outs[0].Data, outs[1].Data, outs[2].Reshape(frames, tx));
    }

    [Fact]
    public void ZeroDurationsGetNoFramesAndFramesPastTheEndNoPhone()
    {
        // The spec's example: durations (2, 0, 3) give frames 0, 1 → phone 0 and 2, 3, 4 → phone 2; frames 5.. are padding.
        var (length, mask, path) = Run([2, 0, 3], [1, 1, 1], 8);
        Assert.Equal([5f], length);
        Assert.Equal([1f, 1, 1, 1, 1, 0, 0, 0], mask);
        int[] phoneOf = [0, 0, 2, 2, 2, -1, -1, -1];
        for (int j = 0; j < 8; j++)
            for (int i = 0; i < 3; i++) Assert.Equal(phoneOf[j] == i ? 1f : 0f, path[j, i]);
    }

    [Fact]
    public void AllZeroDurationsStillGiveOneFrame()
    {
        var (length, mask, path) = Run([0, 0], [1, 1], 4);
        Assert.Equal([1f], length);
        Assert.Equal([1f, 0, 0, 0], mask);
        Assert.All(path.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OnePhoneFillsItsFrames()
    {
        var (length, _, path) = Run([3], [1], 4);
        Assert.Equal([3f], length);
        Assert.Equal([1f, 1, 1, 0], path.Data);
    }

    [Fact]
    public void AnUtteranceLongerThanTheBucketIsCutButReportsItsLength()
    {
        var (length, mask, path) = Run([4, 4], [1, 1], 6);
        Assert.Equal([8f], length);
        Assert.All(mask, v => Assert.Equal(1f, v));
        Assert.Equal([1f, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1], path.Data);
    }

    [GoldenFact("ops")]
    public void PathMatchesGeneratePath()
    {
        // PyTorch's commons.generate_path on a batch of two, the second with masked phonemes; its y_mask is each item's Σ durations.
        var durations = Golden.Load("ops", "path_durations");
        var xMask = Golden.Load("ops", "path_x_mask");
        var golden = Golden.Load("ops", "path_y");
        int tx = durations.Shape[2], ty = golden.Shape[2];
        for (int b = 0; b < durations.Shape[0]; b++)
        {
            var (_, _, path) = Run(durations.Data.AsSpan(b * tx, tx).ToArray(), xMask.Data.AsSpan(b * tx, tx).ToArray(), ty);
            Assert.Equal(golden.Data.AsSpan(b * ty * tx, ty * tx).ToArray(), path.Data);
        }
    }
}
