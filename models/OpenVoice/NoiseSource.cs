using VoxTile.IR;

namespace VoxTile.Models.OpenVoice;

/// <summary>Where the posterior sample's standard-normal draw comes from: a seed (an explicit nn.randn_like), or a recorded tensor to replay.</summary>
public abstract record NoiseSource
{
    public sealed record Seeded(long Seed) : NoiseSource;

    public sealed record Replay(Tensor Noise) : NoiseSource;
}
