using VoxTile.IR;

namespace VoxTile.Models.OpenVoice;

/// <summary>
/// An executor of voice_conversion other than the reference interpreter (the device runtime's, in
/// VoxTile.Models.Device), plugged into <see cref="ToneColorPipeline"/>. It gets what the pipeline's own path
/// gets: model-rate samples, the two embeddings, tau and the noise source, and returns hop·frames samples; and it
/// extracts the tone color embedding of a segment (the pipeline splits and averages the references). The
/// interface keeps the pipeline (what OpenVoice computes) apart from how a plan is compiled and run.
/// </summary>
public interface IConverterBackend
{
    /// <summary>How the backend is named in messages ("device bf16 on wormhole_n150").</summary>
    string Name { get; }

    /// <param name="observe">Called with named intermediates (spec, z, z_p, z_hat) the backend can show, each [1, C, frames].</param>
    float[] Convert(ToneColorConverter model, float[] source, Tensor seSource, Tensor seTarget, float tau, NoiseSource noise,
        Action<string, Tensor>? observe, IProgress<double>? progress);

    /// <summary><see cref="Convert"/> as a stream of consecutive pieces of the output, each as soon as it is computed.</summary>
    IEnumerable<float[]> ConvertInChunks(ToneColorConverter model, float[] source, Tensor seSource, Tensor seTarget, float tau, NoiseSource noise,
        Action<string, Tensor>? observe, IProgress<double>? progress);

    /// <summary>extract_se on one segment of model-rate samples: the embedding [1, gin, 1].</summary>
    Tensor ExtractSegment(ToneColorConverter model, float[] samples);
}
