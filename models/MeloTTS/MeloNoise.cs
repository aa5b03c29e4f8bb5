using VoxTile.IR;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// Where MeloTTS's two standard-normal draws come from: a seed (explicit nn.randn_like in the graph), or recorded
/// tensors to replay (the goldens' noise_0 and noise_1).
/// </summary>
public abstract record MeloNoise
{
    /// <summary>
    /// Both draws from one seed (the duration noise from <c>Seed</c>, the prior's from <c>Seed + 1</c>). The prior's
    /// draw is laid out frame by frame, so a frame's noise does not depend on the frame bucket the graph was built for.
    /// </summary>
    public sealed record Seeded(long Seed) : MeloNoise;

    /// <param name="Durations">the stochastic duration predictor's draw [1, 2, Tx] (noise_0).</param>
    /// <param name="Prior">the prior sample's draw [1, inter, T] (noise_1), T at least the utterance's frames; zero-padded to the bucket.</param>
    public sealed record Replay(Tensor Durations, Tensor Prior) : MeloNoise;
}
