using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Testing;
using Xunit.Abstractions;

namespace VoxTile.Models.Tests.OpenVoice;

/// <summary>
/// Parity of the reference path with PyTorch on the golden converter cases: the released checkpoint layout read from
/// disk, the embeddings of source and reference, and voice_conversion replaying the recorded posterior draw.
/// Bar: every tensor PCC ≥ 0.99999 and max abs error ≤ 1e-3 × max |golden|.
/// </summary>
public sealed class ConverterGoldenTests(ITestOutputHelper output)
{
    [GoldenTheory]
    [InlineData("converter-tiny")]
    [InlineData("converter-small")]
    public void VoiceConversionMatchesPyTorch(string name)
    {
        var dir = Golden.Case(name)!;
        var model = ToneColorConverter.Load(dir);
        var seen = new Dictionary<string, Tensor>();
        var pipeline = new ToneColorPipeline(model) { Observe = (n, t) => seen[n] = t };
        var source = Golden.Load(name, "source_samples").Data;
        var reference = Golden.Load(name, "reference_samples").Data;
        float tau = 0.3f;

        var seSrc = pipeline.ExtractSegment(source);
        Check(name, "spec_source", seen["spec"]);
        Check(name, "se_source", seSrc);
        var seTgt = pipeline.ExtractSegment(reference);
        Check(name, "spec_reference", seen["spec"]);
        Check(name, "se_target", seTgt);

        // Convert with the golden embeddings so that each stage is compared on the same inputs as PyTorch's.
        var audio = pipeline.Convert(source, Golden.Load(name, "se_source"), Golden.Load(name, "se_target"), tau,
            new NoiseSource.Replay(Golden.Load(name, "noise_0")));
        Check(name, "spec_source", seen["spec"]);
        Check(name, "z", seen["z"]);
        Check(name, "z_p", seen["z_p"]);
        Check(name, "z_hat", seen["z_hat"]);
        var golden = Golden.Load(name, "audio");
        Check(name, "audio", new Tensor(golden.Shape, audio));
    }

    private void Check(string name, string tensor, Tensor actual)
    {
        var golden = Golden.Load(name, tensor);
        var (pcc, err) = Compare.AssertClose(actual.Reshape(golden.Shape), golden, $"{name}/{tensor}");
        output.WriteLine($"{name,-16} {tensor,-15} PCC {pcc:F9} (1−PCC {1 - pcc:E1})  max abs err {err:E2}  (bar {1e-3 * Compare.MaxAbs(golden.Data):E2})");
    }
}
