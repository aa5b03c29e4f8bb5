using VoxTile.IR;
using VoxTile.Models.Checkpoints;

namespace VoxTile.Models.Tests.Checkpoints;

public sealed class StateDictTests
{
    private static StateDict Sample() => StateDict.FromTensors(new Dictionary<string, Tensor>
    {
        ["enc_q.pre.weight"] = new([192, 512, 1]),
        ["enc_q.pre.bias"] = new([192]),
        ["dec.ups.0.bias"] = new([2]),
        ["dec.ups.0.weight_g"] = new([3, 1, 1], [1, 1, 1]),
        ["dec.ups.0.weight_v"] = new([3, 2, 4], Enumerable.Repeat(1f, 24).ToArray()),
        ["dec.ups.1.weight_g"] = new([3, 1, 1], [1, 1, 1]),
        ["foo.bar"] = new([1]),
    });

    [Fact]
    public void FoldsPairsAndKeepsOrder()
    {
        var sd = Sample();

        Assert.Equal(["enc_q.pre.weight", "enc_q.pre.bias", "dec.ups.0.bias", "dec.ups.0.weight", "dec.ups.1.weight_g", "foo.bar"], sd.Keys);
        Assert.True(sd.Contains("dec.ups.0.weight"));
        Assert.False(sd.Contains("dec.ups.0.weight_v"));
        Assert.All(sd.Get("dec.ups.0.weight", 3, 2, 4).Data, x => Assert.Equal(1 / Math.Sqrt(8), x, 6));
    }

    [Fact]
    public void FoldsTheParametrizationForm()
    {
        var sd = StateDict.FromTensors(new Dictionary<string, Tensor>
        {
            ["conv.parametrizations.weight.original0"] = new([1, 1, 1], [3]),
            ["conv.parametrizations.weight.original1"] = new([1, 1, 2], [0, -2]),
        });

        Assert.Equal(["conv.weight"], sd.Keys);
        Assert.Equal([0f, -3f], sd.Get("conv.weight", 1, 1, 2).Data);
    }

    [Fact]
    public void MissingKey()
    {
        var e = Assert.Throws<VoxTileException>(() => Sample().Get("dec.conv_post.weight"));
        Assert.Equal("checkpoint: missing key 'dec.conv_post.weight'", e.Message);
    }

    [Fact]
    public void MissingHalfOfAWeightNormPairIsNamed()
    {
        var e = Assert.Throws<VoxTileException>(() => Sample().Get("dec.ups.1.weight", 3, 2, 4));
        Assert.Equal("checkpoint: missing key 'dec.ups.1.weight_v'", e.Message);
    }

    [Fact]
    public void WrongShape()
    {
        var e = Assert.Throws<VoxTileException>(() => Sample().Get("enc_q.pre.weight", 192, 513, 1));
        Assert.Equal("checkpoint: 'enc_q.pre.weight' has shape [192,512,1] but the config implies [192,513,1]", e.Message);
    }

    [Fact]
    public void UnexpectedKeyIsTheFirstUnreadInSortedOrder()
    {
        var sd = Sample();
        sd.Get("enc_q.pre.weight", 192, 512, 1);
        sd.Get("enc_q.pre.bias", 192);

        var e = Assert.Throws<VoxTileException>(() => sd.EnsureAllUsed("foo."));
        Assert.Equal("checkpoint: unexpected key 'dec.ups.0.bias' (not used by the model)", e.Message);

        sd.Get("dec.ups.0.bias", 2);
        sd.Get("dec.ups.0.weight");
        e = Assert.Throws<VoxTileException>(() => sd.EnsureAllUsed());
        Assert.Equal("checkpoint: unexpected key 'dec.ups.1.weight_g' (not used by the model)", e.Message);

        sd.EnsureAllUsed("foo.", "dec.ups.1.");
    }

    [Fact]
    public void AFailedGetDoesNotCountAsUse()
    {
        var sd = StateDict.FromTensors(new Dictionary<string, Tensor> { ["a"] = new([2]) });
        Assert.Throws<VoxTileException>(() => sd.Get("a", 3));
        Assert.Throws<VoxTileException>(() => sd.EnsureAllUsed());
    }

    [Fact]
    public void RejectsAWeightAlongsideItsPair()
    {
        var e = Assert.Throws<VoxTileException>(() => StateDict.FromTensors(new Dictionary<string, Tensor>
        {
            ["c.weight"] = new([1, 1]),
            ["c.weight_g"] = new([1, 1]),
            ["c.weight_v"] = new([1, 1]),
        }));
        Assert.Contains("'c.weight'", e.Message);
    }

    [Fact]
    public void RejectsAMismatchedPair()
    {
        var e = Assert.Throws<VoxTileException>(() => StateDict.FromTensors(new Dictionary<string, Tensor>
        {
            ["c.weight_g"] = new([4, 1, 1]),
            ["c.weight_v"] = new([3, 2, 1]),
        }));
        Assert.Equal("state dict: 'c.weight_g' has shape [4,1,1] but 'c.weight_v' has shape [3,2,1] (weight norm needs one g per slice along axis 0)", e.Message);
    }
}
