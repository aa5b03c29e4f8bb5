using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Runtime.Backends;

/// <summary>
/// The voice_conversion graph the device runs, per chunk of spectrogram frames: the model's graph with its
/// spectrogram, sequence mask and posterior noise made inputs. The spectrogram is computed once for the whole clip
/// on the host (so chunk edges see the clip's real neighbours, not a chunk-local reflect pad), the noise is one
/// draw for the whole clip sliced per chunk (so chunked equals whole), and the mask marks the real frames of a
/// chunk padded up to its bucket (so enc_q and the flow see zeros past the end, exactly as in the unpadded model).
/// Inputs: spec [1, C, F], se_src and se_tgt [1, gin, 1], noise [1, inter, F], mask [1, 1, F]; output audio [1, 1, hop·F].
/// </summary>
public static class ConversionGraph
{
    public static readonly string[] InputNames = ["spec", "se_src", "se_tgt", "noise", "mask"];

    public static Graph Build(ToneColorConverter model, int frames, float tau)
    {
        int hop = model.Config.HopLength;
        int samples = Math.Max(model.MinSamples, frames * hop);
        while (model.FrameCount(samples) > frames) samples--;
        while (model.FrameCount(samples) < frames) samples++;
        var g = model.BuildConversionGraph(samples, tau, new NoiseSource.Replay(new Tensor([1, model.Config.InterChannels, frames])));
        var spec = g.Nodes.FirstOrDefault(n => n.Name == "spec") ?? throw new InvalidOperationException("voice_conversion has no %spec");
        var mask = g.Nodes.FirstOrDefault(n => n.Name == "mask") ?? throw new InvalidOperationException("voice_conversion has no %mask");
        var specIn = Input.Create("spec", spec.Type);
        var maskIn = Input.Create("mask", mask.Type);
        var map = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance) { [spec] = specIn, [mask] = maskIn };
        foreach (var i in g.Inputs) map[i] = i;
        foreach (var n in g.Nodes)
        {
            if (map.ContainsKey(n)) continue;
            map[n] = n.Inputs.Length == 0 ? n : n.WithInputs([.. n.Inputs.Select(i => map[i])]);
        }
        var byName = g.Inputs.ToDictionary(i => i.Name!, StringComparer.Ordinal);
        return Graph.Create("voice_conversion", [specIn, byName["se_src"], byName["se_tgt"], byName["noise"], maskIn], g.Outputs.Select(o => map[o]));
    }
}
