using VoxTile.IR;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Device;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.Device;

/// <summary>Shared helpers: the golden converters (loaded once) and a device conversion of a golden case.</summary>
internal static class Goldens
{
    private static readonly Dictionary<string, ToneColorConverter> s_models = [];

    public static ToneColorConverter Model(string name)
    {
        lock (s_models)
        {
            if (!s_models.TryGetValue(name, out var m)) s_models[name] = m = ToneColorConverter.Load(Golden.Case(name)!);
            return m;
        }
    }

    /// <summary>voice_conversion of the case's source with its recorded embeddings and noise; the observed intermediates.</summary>
    public static (float[] Audio, Dictionary<string, Tensor> Seen) Convert(string name, DeviceConverterBackend backend)
    {
        var seen = new Dictionary<string, Tensor>();
        var pipeline = new ToneColorPipeline(Model(name)) { Backend = backend, Observe = (n, t) => seen[n] = t };
        var audio = pipeline.Convert(Golden.Load(name, "source_samples").Data, Golden.Load(name, "se_source"), Golden.Load(name, "se_target"), 0.3f,
            new NoiseSource.Replay(Golden.Load(name, "noise_0")));
        return (audio, seen);
    }
}
