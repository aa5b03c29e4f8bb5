using VoxTile.IR;
using VoxTile.IR.Interp;
using VoxTile.IR.Ops.Graph;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Legalize;
using VoxTile.Lowering.Tests.Rules.Decompose;
using VoxTile.Models.Audio;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Rules.Legalize;

/// <summary>
/// The clone pipeline's 44.1 → 22.05 kHz resampler (<see cref="ResampleGraph"/>: a pad and one stride-2 conv1d)
/// through <c>decompose,fold-constants,legalize-ttnn</c>: only device ops, the strided conv framed (no one-sample
/// rows), and the same samples as the nn graph (ttnn ops evaluated in fp32).
/// </summary>
public sealed class ResampleLegalizationTests(ITestOutputHelper output)
{
    private const string Pipeline = "decompose,fold-constants,legalize-ttnn";

    [Theory]
    [InlineData(220500)] // 5 s
    [InlineData(301)]    // shorter than a 256-tap kernel's padded reach on both sides
    [InlineData(7)]
    public void HalvingLegalizesToDeviceOpsOnly(int n)
    {
        var input = Input.Create("samples", TensorType.F32(1, 1, n));
        var g = Graph.Create("resample", [input], [ResampleGraph.Build(input, 44100, 22050)]);
        var t = Lower(g);
        var conv = Assert.Single(t.Nodes, v => v.Op is Conv1d);
        Assert.Equal(2, ((Conv1d)conv.Op).InChannels); // the clip cut into 2-sample frames, not one sample per row
        Assert.Equal(0, LegalizeCheck.Count(t, "ttnn.permute"));
        output.WriteLine($"{n} samples: {LegalizeCheck.Census(t)}");

        Check(g, t, n, 44100, 22050);
    }

    /// <summary>The other ratios the pipelines see (phases interleaved by a transpose and reshape) are legal too.</summary>
    [Theory]
    [InlineData(22050, 44100, 1001)] // M = 1: a plain one-channel conv1d with two phases
    [InlineData(48000, 22050, 3001)] // L = 147, M = 320: framed by 320
    [InlineData(24000, 22050, 301)]  // L = 147, M = 160, shorter than the kernel
    public void OtherRatiosLegalizeToDeviceOpsOnly(int from, int to, int n)
    {
        var input = Input.Create("samples", TensorType.F32(1, 1, n));
        var g = Graph.Create("resample", [input], [ResampleGraph.Build(input, from, to)]);
        var t = Lower(g);
        Assert.Single(t.Nodes, v => v.Op is Conv1d);
        output.WriteLine($"{from} → {to}, {n} samples: {LegalizeCheck.Census(t)}");
        Check(g, t, n, from, to);
    }

    private static Graph Lower(Graph g)
    {
        var t = PassRegistry.Parse(Pipeline).Run(g, RuleCheck.Context());
        LegalizeTtnnPass.AssertLegal(t);
        Assert.All(t.Nodes, v => Assert.True(v.Op is Weight || v.Op is ITtnnOp, $"{v} is not a device op"));
        return t;
    }

    private void Check(Graph g, Graph t, int n, int from, int to)
    {
        var x = new CaseRng(n).Uniform(-1, 1, 1, 1, n);
        var expected = Interpreter.Run(g, [x])[0];
        var actual = LegalizeCheck.Run(t, [x])[0];
        var host = Resampler.Resample(x.Data, from, to);
        var (pcc, err) = Compare.AssertClose(actual, expected, "resampled", minPcc: 0.9999999, relTol: 1e-5);
        double hostErr = Compare.MaxAbsError(actual.Data, host);
        output.WriteLine($"legalized vs nn graph: PCC {pcc:F9}, max abs err {err:E2}; vs host resampler: max abs err {hostErr:E2}");
        Assert.True(hostErr <= 1e-5, $"max abs error against the host resampler {hostErr:E3}");
    }
}
