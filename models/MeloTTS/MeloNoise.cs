using VoxTile.IR;
using VoxTile.IR.Ops.Random;

namespace VoxTile.Models.MeloTTS;

/// <summary>
/// Where MeloTTS's two standard-normal draws come from: a seed (explicit nn.randn_like in the graph), or recorded
/// tensors to replay (the goldens' noise_0 and noise_1).
/// </summary>
public abstract record MeloNoise
{
    /// <summary>
    /// Both draws from one seed (the duration noise from <c>Seed</c>, the prior's from <c>Seed + 1</c>). The draws are
    /// laid out token by token and frame by frame, so a token's or a frame's noise does not depend on the buckets the
    /// graph was built for. In a batch every item draws from this seed, as its own run with the seed would.
    /// </summary>
    public sealed record Seeded(long Seed) : MeloNoise;

    /// <summary>A batch's draws item by item: item b's are the draws <c>Items[b]</c> gives a single run.</summary>
    public sealed record PerItem(IReadOnlyList<MeloNoise> Items) : MeloNoise;

    /// <summary>
    /// The seed of each of <paramref name="batch"/> items, or null when any item replays recorded draws (then the
    /// graph takes the draws as inputs).
    /// </summary>
    public long[]? SeedsFor(int batch) => this switch
    {
        Seeded s => [.. Enumerable.Repeat(s.Seed, batch)],
        PerItem p when p.Items.Count != batch => throw new VoxTileException($"{p.Items.Count} noise sources for a batch of {batch}"),
        PerItem p when p.Items.All(i => i is Seeded) => [.. p.Items.Select(i => ((Seeded)i).Seed)],
        _ => null,
    };

    /// <summary>The source of item <paramref name="index"/> of a batch.</summary>
    public MeloNoise Item(int index) => this is PerItem p ? p.Items[index] : this;

    /// <param name="Durations">the stochastic duration predictor's draw [1, 2, Tx] (noise_0).</param>
    /// <param name="Prior">the prior sample's draw [1, inter, T] (noise_1), T at least the utterance's frames; zero-padded to the bucket.</param>
    public sealed record Replay(Tensor Durations, Tensor Prior) : MeloNoise;

    /// <summary>
    /// The draws a graph of <paramref name="phonemes"/> tokens and <paramref name="frames"/> frames takes from this
    /// source, as tensors: a seeded source gives exactly the values its in-graph nn.randn_like would (so a backend fed
    /// tensors matches the reference's seeded graph); a replayed one is returned as it is.
    /// </summary>
    public Replay Draw(int phonemes, int frames, int interChannels)
    {
        if (this is Replay r) return r;
        if (this is PerItem) throw new InvalidOperationException("a batch's draws are drawn item by item (Item)");
        var seed = ((Seeded)this).Seed;
        var byToken = new float[2L * phonemes];
        RandnLike.Fill(byToken, seed);
        var durations = new Tensor([1, 2, phonemes]);
        for (int t = 0; t < phonemes; t++)
            for (int c = 0; c < 2; c++) durations.Data[(long)c * phonemes + t] = byToken[2L * t + c];
        var byFrame = new float[(long)frames * interChannels];
        RandnLike.Fill(byFrame, seed + 1);
        var prior = new Tensor([1, interChannels, frames]);
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < interChannels; c++) prior.Data[(long)c * frames + t] = byFrame[(long)t * interChannels + c];
        return new Replay(durations, prior);
    }
}
