using System.Text.Json;

namespace VoxTile.Models.Config;

/// <summary>
/// The HiFi-GAN decoder keys of a VITS <c>model</c> section that both released configs share (converter and MeloTTS), as
/// a view of the config's properties: written back in the released order, checked once (ResBlock1 only, matching list
/// lengths, rates whose product is the hop and, where asked, stages that map L frames to exactly L·rate) and compared
/// element by element. The configs read these keys in their own object initializers, in file order, so that a config
/// with several faults names the same first one whichever config reads it.
/// </summary>
internal sealed record HifiGanDecoder(
    string Resblock,
    IReadOnlyList<int> ResblockKernelSizes,
    IReadOnlyList<IReadOnlyList<int>> ResblockDilationSizes,
    IReadOnlyList<int> UpsampleRates,
    int UpsampleInitialChannel,
    IReadOnlyList<int> UpsampleKernelSizes,
    int GinChannels)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteString("resblock", Resblock);
        w.WriteInts("resblock_kernel_sizes", ResblockKernelSizes);
        w.WriteStartArray("resblock_dilation_sizes");
        foreach (var d in ResblockDilationSizes) w.WriteInts(null, d);
        w.WriteEndArray();
        w.WriteInts("upsample_rates", UpsampleRates);
        w.WriteNumber("upsample_initial_channel", UpsampleInitialChannel);
        w.WriteInts("upsample_kernel_sizes", UpsampleKernelSizes);
        w.WriteNumber("gin_channels", GinChannels);
    }

    /// <summary>The channel counts must be positive (checked with the config's other sizes, before <see cref="Validate"/>).</summary>
    public void CheckChannels(ConfigCheck check)
    {
        check.Positive(UpsampleInitialChannel, "model.upsample_initial_channel");
        check.Positive(GinChannels, "model.gin_channels");
    }

    /// <summary>
    /// The structure of the decoder for a spectrogram hop of <paramref name="hopLength"/>; <paramref name="exactStages"/>
    /// also requires every stage to map L frames to exactly L·rate.
    /// </summary>
    public void Validate(ConfigCheck check, int hopLength, bool exactStages)
    {
        if (Resblock != "1") check.Fail($"model.resblock is '{Resblock}', but only ResBlock1 (\"1\") is supported");
        if (ResblockKernelSizes.Count == 0) check.Fail("model.resblock_kernel_sizes is empty");
        if (ResblockKernelSizes.Count != ResblockDilationSizes.Count)
            check.Fail($"model.resblock_kernel_sizes has {ResblockKernelSizes.Count} entries but model.resblock_dilation_sizes has {ResblockDilationSizes.Count}");
        foreach (var k in ResblockKernelSizes) check.Positive(k, "model.resblock_kernel_sizes entry");
        foreach (var d in ResblockDilationSizes)
        {
            if (d.Count != 3) check.Fail($"model.resblock_dilation_sizes entries must have 3 dilations for ResBlock1 (found {d.Count})");
            foreach (var x in d) check.Positive(x, "model.resblock_dilation_sizes entry");
        }
        if (UpsampleRates.Count == 0) check.Fail("model.upsample_rates is empty");
        if (UpsampleRates.Count != UpsampleKernelSizes.Count)
            check.Fail($"model.upsample_rates has {UpsampleRates.Count} entries but model.upsample_kernel_sizes has {UpsampleKernelSizes.Count}");
        for (int i = 0; i < UpsampleRates.Count; i++)
        {
            int u = UpsampleRates[i], k = UpsampleKernelSizes[i];
            check.Positive(u, "model.upsample_rates entry");
            check.Positive(k, "model.upsample_kernel_sizes entry");
            // With padding (k − u)/2 a stage maps L frames to exactly L·u only when k − u is even and non-negative;
            // MeloTTS's frame masks at a static length rely on it (the converter, like PyTorch, runs other stages too).
            if (exactStages && (k < u || (k - u) % 2 != 0))
                check.Fail($"upsampling stage {i} has kernel {k} and rate {u}; the kernel must be the rate plus an even number so that the stage maps L to L·{u}");
        }
        long product = 1;
        foreach (var u in UpsampleRates) product *= u;
        if (product != hopLength)
            check.Fail($"the product of model.upsample_rates [{string.Join(",", UpsampleRates)}] is {product}, but data.hop_length is {hopLength}");
        // Stage i has upsample_initial_channel / 2^(i+1) output channels; none may vanish.
        if ((UpsampleInitialChannel >> UpsampleRates.Count) < 1)
            check.Fail($"model.upsample_initial_channel ({UpsampleInitialChannel}) is too small for {UpsampleRates.Count} upsampling stages");
    }

    public bool Equals(HifiGanDecoder? other) =>
        other is not null
        && Resblock == other.Resblock
        && ResblockKernelSizes.SequenceEqual(other.ResblockKernelSizes)
        && ResblockDilationSizes.Count == other.ResblockDilationSizes.Count
        && ResblockDilationSizes.Zip(other.ResblockDilationSizes).All(p => p.First.SequenceEqual(p.Second))
        && UpsampleRates.SequenceEqual(other.UpsampleRates) && UpsampleInitialChannel == other.UpsampleInitialChannel
        && UpsampleKernelSizes.SequenceEqual(other.UpsampleKernelSizes) && GinChannels == other.GinChannels;

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Resblock); h.Add(UpsampleInitialChannel); h.Add(GinChannels);
        foreach (var u in UpsampleRates) h.Add(u);
        return h.ToHashCode();
    }
}
