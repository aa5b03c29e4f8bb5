using System.Security.Cryptography;
using System.Text;
using VoxTile.IR;
using VoxTile.IR.Ops.Graph;
using VoxTile.Models.MeloTTS;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Device;

/// <summary>
/// A model's identity for the plan cache: SHA-256 of its config and of every weight (key, shape, fp32 bytes) in the
/// order a small graph of the model uses them. It reads the values, not the file name, so a changed checkpoint is a
/// different model and a copied one the same. Computed once per model object (~0.1 s at full size).
/// </summary>
public static class ModelFingerprint
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, string> s_memo = [];

    public static string Of(ToneColorConverter model) => s_memo.GetValue(model, _ =>
        Compute(model.Config.ToJson(), model.BuildConversionGraph(Math.Max(model.MinSamples, model.Config.HopLength * 8), 0.3f, new NoiseSource.Seeded(0))));

    /// <summary>MeloTTS's: its config and every weight inference reads (the forced-durations variant skips the
    /// duration predictors, so the small graph is the predicting one).</summary>
    public static string Of(MeloSynthesizer model) => s_memo.GetValue(model, _ =>
        Compute(model.Config.ToJson(), model.BuildGraph(4, 8, MeloSynthesisOptions.Default, new MeloNoise.Seeded(0))));

    private static string Compute(string config, Graph g)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(Encoding.UTF8.GetBytes(config));
        foreach (var n in g.Nodes)
        {
            if (n.Op is not Weight w || w.Value is not { } v) continue;
            h.AppendData(Encoding.UTF8.GetBytes($"{w.Key}[{string.Join(",", v.Shape)}]"));
            h.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.Data.AsSpan()));
        }
        return Convert.ToHexString(h.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
