using VoxTile.IR;
using VoxTile.IR.Ops.Audio;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Device;

/// <summary>
/// The voice_conversion graph the device runs, per chunk of F frames: the model's graph with its spectrogram reading a
/// window of samples, and its sequence mask and posterior noise made inputs. The window is the (F − 1)·hop + n_fft
/// samples the chunk's frames read, cut from the reflect-padded clip with its real neighbours, so chunk edges see the
/// clip and not a chunk-local pad, and the spectrogram (nn.spectrogram with padded = false) runs in the plan. The noise
/// is one draw for the whole clip sliced per chunk (so chunked equals whole), and the mask marks the real frames of a
/// chunk padded up to its bucket: enc_q, the flow and the decoder (which repeats it to each stage's sample rate) see
/// zeros past the end, exactly as in the unpadded model, so a bucketed plan gives the exact-length result.
/// Inputs: samples [B, (F − 1)·hop + n_fft], se_src and se_tgt [B, gin, 1], noise [B, inter, F], mask [B, 1, F];
/// output audio [B, 1, hop·F]. A batch of B holds B chunks of one bucket, each with its own window, embeddings,
/// noise and mask (so its own length): item b is what a batch-1 plan computes from item b's inputs.
/// </summary>
public static class ConversionGraph
{
    public static readonly string[] InputNames = ["samples", "se_src", "se_tgt", "noise", "mask"];

    /// <summary>The model's STFT (OpenVoice's spectrogram_torch settings).</summary>
    public static Spectrogram Stft(ToneColorConverter model) =>
        new() { NFft = model.Config.FilterLength, Hop = model.Config.HopLength, WinLength = model.Config.WinLength };

    /// <summary>Samples of the padded clip that <paramref name="frames"/> frames read.</summary>
    public static int WindowSamples(ToneColorConverter model, int frames) => (frames - 1) * model.Config.HopLength + model.Config.FilterLength;

    public static Graph Build(ToneColorConverter model, int frames, float tau, int batch = 1)
    {
        int samples = model.SamplesForFrames(frames);
        var g = model.BuildConversionGraph(samples, tau, new NoiseSource.Replay(new Tensor([batch, model.Config.InterChannels, frames])), batch);
        var spec = g.Nodes.FirstOrDefault(n => n.Name == "spec") ?? throw new InvalidOperationException("voice_conversion has no %spec");
        var mask = g.Nodes.FirstOrDefault(n => n.Name == "mask") ?? throw new InvalidOperationException("voice_conversion has no %mask");
        var window = Input.Create("samples", TensorType.F32(batch, WindowSamples(model, frames)));
        var stft = Stft(model);
        var specOnWindow = Nn.Spectrogram(window, nFft: stft.NFft, hop: stft.Hop, winLength: stft.WinLength, padded: false, name: "spec");
        var maskIn = Input.Create("mask", mask.Type);
        var map = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance) { [spec] = specOnWindow, [mask] = maskIn };
        foreach (var i in g.Inputs) map[i] = i;
        foreach (var n in g.Nodes)
        {
            if (map.ContainsKey(n)) continue;
            map[n] = n.Inputs.Length == 0 ? n : n.WithInputs([.. n.Inputs.Select(i => map[i])]);
        }
        var byName = g.Inputs.ToDictionary(i => i.Name!, StringComparer.Ordinal);
        return Graph.Create("voice_conversion", [window, byName["se_src"], byName["se_tgt"], byName["noise"], maskIn], g.Outputs.Select(o => map[o]));
    }
}
