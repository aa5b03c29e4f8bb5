using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Parameters;

namespace VoxTile.Models.MeloTTS;

/// <summary>dp: the deterministic log-duration predictor (two k3 convs of width 256 with ReLU and channel LayerNorm, then a 1×1 to one channel).</summary>
internal static class DurationPredictor
{
    public const int Filter = 256, Kernel = 3;

    /// <returns>logw [1, 1, Tx].</returns>
    public static Node Build(WeightNodes w, Node x, Node mask, Node g, int hidden, int ginChannels)
    {
        const string p = "dp";
        x = Nn.Add(x, Layers.Conv1d(w, p + ".cond", g, ginChannels, hidden, 1));
        x = Layers.Conv1d(w, p + ".conv_1", Nn.Mul(x, mask), hidden, Filter, Kernel);
        x = MeloLayers.ChannelNorm(w, p + ".norm_1", Nn.Relu(x), Filter);
        x = Layers.Conv1d(w, p + ".conv_2", Nn.Mul(x, mask), Filter, Filter, Kernel);
        x = MeloLayers.ChannelNorm(w, p + ".norm_2", Nn.Relu(x), Filter);
        x = Layers.Conv1d(w, p + ".proj", Nn.Mul(x, mask), Filter, 1, 1);
        return Nn.Mul(x, mask);
    }
}
