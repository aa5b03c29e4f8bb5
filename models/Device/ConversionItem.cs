using VoxTile.IR;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Device;

/// <summary>One conversion of a batch: model-rate source samples, the source and target embeddings [1, gin, 1], and its posterior draw.</summary>
public sealed record ConversionItem(float[] Source, Tensor SeSource, Tensor SeTarget, NoiseSource Noise);
