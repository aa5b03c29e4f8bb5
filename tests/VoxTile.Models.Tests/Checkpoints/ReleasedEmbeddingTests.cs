using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Models.Api;
using VoxTile.Testing.Checkpoints;

namespace VoxTile.Models.Tests.Checkpoints;

/// <summary>
/// OpenVoice's released base-speaker embeddings (<c>checkpoints_v2/base_speakers/ses/*.pth</c>, torch.save of one
/// [1, 256, 1] tensor) load as a <see cref="VoiceEmbedding"/>, as an .npy of the same values does.
/// </summary>
public sealed class ReleasedEmbeddingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float[] Values(int n) => [.. Enumerable.Range(0, n).Select(i => MathF.Sin(i * 0.37f) * 0.1f)];

    [Fact]
    public void AReleasedSePthLoadsAsTheNpyOfItsValues()
    {
        var values = Values(256);
        TorchSaveWriter.SaveTensor(_dir.File("en-us.pth"), [1, 256, 1], values);
        Npy.Write(_dir.File("en-us.npy"), new Tensor([1, 256, 1], values));

        var fromPth = VoiceEmbedding.Load(_dir.File("en-us.pth"));
        var fromNpy = VoiceEmbedding.Load(_dir.File("en-us.npy"));

        Assert.Equal(256, fromPth.Channels);
        Assert.Equal([1, 256, 1], fromPth.ToTensor().Shape);
        Assert.Equal(values, fromPth.ToTensor().Data);
        Assert.Equal(fromNpy.ToTensor().Data, fromPth.ToTensor().Data);
    }

    /// <summary>The first bytes decide, not the name: a zip named .npy is read as a checkpoint.</summary>
    [Fact]
    public void TheFormatIsToldByItsBytes()
    {
        var values = Values(8);
        TorchSaveWriter.SaveTensor(_dir.File("se.npy"), [1, 8, 1], values);
        Assert.Equal(values, VoiceEmbedding.Load(_dir.File("se.npy")).ToTensor().Data);
    }

    [Fact]
    public void ATensorThatIsNotOneVectorIsRefused()
    {
        TorchSaveWriter.SaveTensor(_dir.File("matrix.pth"), [2, 4], Values(8));
        var e = Assert.Throws<VoxTileException>(() => VoiceEmbedding.Load(_dir.File("matrix.pth")));
        Assert.Contains("[2, 4]", e.Message);
        Assert.Contains("matrix.pth", e.Message);
    }

    [Fact]
    public void AStateDictIsNotAnEmbedding()
    {
        new TorchSaveWriter().Add("w", new Tensor([1, 4, 1], Values(4))).Save(_dir.File("model.pth"), TorchSaveWriter.Layout.PlainDict);
        var e = Assert.Throws<VoxTileException>(() => VoiceEmbedding.Load(_dir.File("model.pth")));
        Assert.Contains("not a single tensor", e.Message);
    }
}
