using VoxTile.IR;
using VoxTile.Models.MeloTTS;

namespace VoxTile.Models.Pipelines;

/// <summary>A cloned utterance and how long each stage of <see cref="ClonePipeline.Clone"/> took.</summary>
/// <param name="Audio">the converted speech at <paramref name="SampleRate"/> (the converter's rate).</param>
/// <param name="Speech">MeloTTS's result in the base voice (its <see cref="MeloResult.Resampled"/> is what was converted).</param>
/// <param name="SourceEmbedding">the base speaker's embedding the conversion used, [1, gin, 1].</param>
public sealed record CloneResult(float[] Audio, int SampleRate, MeloResult Speech, Tensor SourceEmbedding,
    double SynthesisSeconds, double EmbeddingSeconds, double ConversionSeconds);
