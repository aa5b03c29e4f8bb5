namespace VoxTile.Models.Config;

/// <summary>
/// The HiFi-GAN decoder settings both released configs share (converter and MeloTTS), checked once: ResBlock1 only,
/// matching list lengths, rates whose product is the hop and, where asked, stages that map L frames to exactly L·rate.
/// </summary>
internal static class HifiGanChecks
{
    public static void Validate(Action<string> fail, string resblock, IReadOnlyList<int> resblockKernels,
        IReadOnlyList<IReadOnlyList<int>> resblockDilations, IReadOnlyList<int> upsampleRates, IReadOnlyList<int> upsampleKernels,
        int initialChannel, int hopLength, bool exactStages)
    {
        void Positive(int value, string key) { if (value <= 0) fail($"{key} must be positive (found {value})"); }

        if (resblock != "1") fail($"model.resblock is '{resblock}', but only ResBlock1 (\"1\") is supported");
        if (resblockKernels.Count == 0) fail("model.resblock_kernel_sizes is empty");
        if (resblockKernels.Count != resblockDilations.Count)
            fail($"model.resblock_kernel_sizes has {resblockKernels.Count} entries but model.resblock_dilation_sizes has {resblockDilations.Count}");
        foreach (var k in resblockKernels) Positive(k, "model.resblock_kernel_sizes entry");
        foreach (var d in resblockDilations)
        {
            if (d.Count != 3) fail($"model.resblock_dilation_sizes entries must have 3 dilations for ResBlock1 (found {d.Count})");
            foreach (var x in d) Positive(x, "model.resblock_dilation_sizes entry");
        }
        if (upsampleRates.Count == 0) fail("model.upsample_rates is empty");
        if (upsampleRates.Count != upsampleKernels.Count)
            fail($"model.upsample_rates has {upsampleRates.Count} entries but model.upsample_kernel_sizes has {upsampleKernels.Count}");
        for (int i = 0; i < upsampleRates.Count; i++)
        {
            int u = upsampleRates[i], k = upsampleKernels[i];
            Positive(u, "model.upsample_rates entry");
            Positive(k, "model.upsample_kernel_sizes entry");
            // With padding (k − u)/2 a stage maps L frames to exactly L·u only when k − u is even and non-negative;
            // MeloTTS's frame masks at a static length rely on it (the converter, like PyTorch, runs other stages too).
            if (exactStages && (k < u || (k - u) % 2 != 0))
                fail($"upsampling stage {i} has kernel {k} and rate {u}; the kernel must be the rate plus an even number so that the stage maps L to L·{u}");
        }
        long product = 1;
        foreach (var u in upsampleRates) product *= u;
        if (product != hopLength)
            fail($"the product of model.upsample_rates [{string.Join(",", upsampleRates)}] is {product}, but data.hop_length is {hopLength}");
        // Stage i has upsample_initial_channel / 2^(i+1) output channels; none may vanish.
        if ((initialChannel >> upsampleRates.Count) < 1)
            fail($"model.upsample_initial_channel ({initialChannel}) is too small for {upsampleRates.Count} upsampling stages");
    }
}
