using VoxTile.IR;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// The tone-colour extractor (ref_enc): the spectrogram as a one-channel image [1, 1, T, S], LayerNorm over the
/// frequency axis, six 3×3 stride-2 conv2d + ReLU (32, 32, 64, 64, 128, 128 channels), the frames as a sequence of
/// 128·F₆ features, a GRU with 128 hidden units whose final state is projected to gin channels.
/// </summary>
internal static class ReferenceEncoder
{
    private static readonly int[] Channels = [1, 32, 32, 64, 64, 128, 128];
    public const int GruHidden = 128;

    public static Node Build(WeightNodes w, string prefix, Node spec, int specChannels, int ginChannels)
    {
        var x = Nn.Transpose(spec, [0, 2, 1]);
        int frames = x.Shape[1].IsFixed ? x.Shape[1].Value : throw new InvalidOperationException("ref_enc needs a fixed frame count");
        x = Nn.Reshape(x, [1, 1, frames, specChannels]);
        x = Nn.LayerNorm(x, w.Get(prefix + ".layernorm.weight", [specChannels], WeightInit.Ones),
            w.Get(prefix + ".layernorm.bias", [specChannels], WeightInit.Zeros), axis: -1);
        for (int i = 0; i < 6; i++)
        {
            var weight = w.Get($"{prefix}.convs.{i}.weight", [Channels[i + 1], Channels[i], 3, 3]);
            var bias = w.Get($"{prefix}.convs.{i}.bias", [Channels[i + 1]], fanIn: Channels[i] * 9);
            x = Nn.Relu(Nn.Conv2d(x, weight, bias: bias, stride: [2, 2], padding: [1, 1]));
        }
        int steps = x.Shape[2].Value, freq = x.Shape[3].Value;
        x = Nn.Transpose(x, [0, 2, 1, 3]);
        x = Nn.Reshape(x, [1, steps, Channels[6] * freq]);
        int h = GruHidden;
        var seq = Nn.Gru(x,
            w.Get(prefix + ".gru.weight_ih_l0", [3 * h, Channels[6] * freq], fanIn: h),
            w.Get(prefix + ".gru.weight_hh_l0", [3 * h, h], fanIn: h),
            w.Get(prefix + ".gru.bias_ih_l0", [3 * h], fanIn: h),
            w.Get(prefix + ".gru.bias_hh_l0", [3 * h], fanIn: h));
        var last = Nn.Reshape(Nn.Slice(seq, 1, steps - 1, end: steps), [1, h]);
        var g = Layers.Linear(w, prefix + ".proj", last, h, ginChannels);
        return Nn.Reshape(g, [1, ginChannels, 1]);
    }

    /// <summary>Frequency bins after the six ceil-halvings (513 → 9, 65 → 2).</summary>
    public static int ReducedBins(int bins)
    {
        for (int i = 0; i < 6; i++) bins = (bins - 1) / 2 + 1;
        return bins;
    }
}
