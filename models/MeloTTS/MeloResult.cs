using VoxTile.IR;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// A synthesis trimmed to the utterance: <paramref name="Frames"/> = y_len frames, hop·y_len samples. The tensors
/// carry the goldens' shapes: durations [Tx], attn [frames, Tx], m_p / logs_p / z_p / z [1, inter, frames].
/// </summary>
/// <param name="Bucket">the frame bucket of the graph that produced it.</param>
public sealed record MeloResult(float[] Audio, int SampleRate, int Frames, int Bucket, Tensor Durations, Tensor Attn,
    Tensor MP, Tensor LogsP, Tensor ZP, Tensor Z)
{
    /// <summary>The audio resampled inside the graph (<see cref="MeloPipeline.OutputRate"/>), ⌈hop·frames·rate/SampleRate⌉ samples; null without.</summary>
    public float[]? Resampled { get; init; }

    public int? ResampledRate { get; init; }
}
