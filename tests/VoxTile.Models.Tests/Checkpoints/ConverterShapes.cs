using VoxTile.Models.Config;

namespace VoxTile.Models.Tests.Checkpoints;

/// <summary>
/// Every key of the converter state dict (weight norm folded) with the shape the config implies, following the sizing
/// rules of spec §1.1 ("Sizes for configs other than the released one"). The fixed numbers there (16 and 4 WN layers,
/// WN kernel 5, ref_enc channels, GRU width 128) do not scale with the config.
/// </summary>
internal static class ConverterShapes
{
    public static IEnumerable<(string Key, int[] Shape)> Expected(ConverterConfig c)
    {
        int s = c.SpecChannels, h = c.HiddenChannels, i = c.InterChannels, g = c.GinChannels, c0 = c.UpsampleInitialChannel;

        foreach (var e in Conv("dec.conv_pre", c0, i, 7)) yield return e;
        int ch = c0;
        for (int stage = 0; stage < c.UpsampleRates.Count; stage++)
        {
            // ConvTranspose1d weights are [in, out, k].
            yield return ($"dec.ups.{stage}.bias", [ch / 2]);
            yield return ($"dec.ups.{stage}.weight", [ch, ch / 2, c.UpsampleKernelSizes[stage]]);
            ch /= 2;
        }
        ch = c0;
        for (int stage = 0; stage < c.UpsampleRates.Count; stage++)
        {
            ch /= 2;
            for (int j = 0; j < c.ResblockKernelSizes.Count; j++)
                foreach (var convs in new[] { "convs1", "convs2" })
                    for (int n = 0; n < 3; n++)
                        foreach (var e in Conv($"dec.resblocks.{c.ResblockKernelSizes.Count * stage + j}.{convs}.{n}", ch, ch, c.ResblockKernelSizes[j]))
                            yield return e;
        }
        yield return ("dec.conv_post.weight", [1, ch, 7]);
        foreach (var e in Conv("dec.cond", c0, g, 1)) yield return e;

        foreach (var e in Conv("enc_q.pre", h, s, 1)) yield return e;
        foreach (var e in Wn("enc_q.enc", h, g, 16)) yield return e;
        foreach (var e in Conv("enc_q.proj", 2 * i, h, 1)) yield return e;

        for (int f = 0; f < 8; f += 2)
        {
            foreach (var e in Conv($"flow.flows.{f}.pre", h, i / 2, 1)) yield return e;
            foreach (var e in Wn($"flow.flows.{f}.enc", h, g, 4)) yield return e;
            foreach (var e in Conv($"flow.flows.{f}.post", i / 2, h, 1)) yield return e;
        }

        int[] filters = [1, 32, 32, 64, 64, 128, 128];
        for (int n = 0; n < 6; n++)
        {
            yield return ($"ref_enc.convs.{n}.bias", [filters[n + 1]]);
            yield return ($"ref_enc.convs.{n}.weight", [filters[n + 1], filters[n], 3, 3]);
        }
        int f6 = s;
        for (int n = 0; n < 6; n++) f6 = (f6 + 1) / 2;
        yield return ("ref_enc.gru.weight_ih_l0", [384, 128 * f6]);
        yield return ("ref_enc.gru.weight_hh_l0", [384, 128]);
        yield return ("ref_enc.gru.bias_ih_l0", [384]);
        yield return ("ref_enc.gru.bias_hh_l0", [384]);
        yield return ("ref_enc.proj.weight", [g, 128]);
        yield return ("ref_enc.proj.bias", [g]);
        yield return ("ref_enc.layernorm.weight", [s]);
        yield return ("ref_enc.layernorm.bias", [s]);
    }

    private static IEnumerable<(string, int[])> Conv(string name, int cout, int cin, int k)
    {
        yield return ($"{name}.weight", [cout, cin, k]);
        yield return ($"{name}.bias", [cout]);
    }

    private static IEnumerable<(string, int[])> Wn(string name, int h, int g, int layers)
    {
        for (int n = 0; n < layers; n++)
            foreach (var e in Conv($"{name}.in_layers.{n}", 2 * h, h, 5)) yield return e;
        for (int n = 0; n < layers; n++)
            foreach (var e in Conv($"{name}.res_skip_layers.{n}", n < layers - 1 ? 2 * h : h, h, 1)) yield return e;
        foreach (var e in Conv($"{name}.cond_layer", 2 * h * layers, g, 1)) yield return e;
    }
}
