using VoxTile.Models.Config;
using VoxTile.Models.OpenVoice;

namespace VoxTile.Models.Device;

/// <summary>
/// How many spectrogram frames on each side an output frame of voice_conversion depends on: the context a chunk
/// needs so that its kept frames equal the whole clip's. Each stage is a stack of convolutions whose radii add:
/// <list type="bullet">
/// <item>enc_q: 16 WaveNet layers of kernel 5, dilation 1: 16 · 2 = 32 frames (the 1×1 pre/proj add nothing);</item>
/// <item>flow, forward then reverse: 4 couplings × 4 WaveNet layers × 2 frames, twice: 64 frames;</item>
/// <item>decoder: conv_pre (kernel 7: 3 frames); per upsampling stage a transposed conv (⌈k/u⌉ input samples) and
/// the widest ResBlock1 (Σ over dilations d of (k−1)/2·(d+1) samples at that stage's rate, ÷ the upsampling so
/// far); conv_post (3 samples at the audio rate).</item>
/// </list>
/// For the released V2 config: 32 + 64 + 3 + (2 + 7.5) + (0.25 + 0.94) + (0.03 + 0.47) + (0.02 + 0.23) + 0.01 ≈ 110.5,
/// so 111 frames (converter-tiny, upsampling 4·4·2: 123); <see cref="Frames"/> rounds up. The chunked-vs-whole test on converter-tiny checks it.
/// </summary>
public static class ReceptiveField
{
    public static int Frames(ConverterConfig c)
    {
        double half = (ToneColorConverter.WnKernel - 1) / 2.0;
        double r = ToneColorConverter.EncoderWnLayers * half;                                    // enc_q
        r += 2 * ToneColorConverter.FlowCouplings * ToneColorConverter.FlowWnLayers * half;       // flow, both ways
        r += 3;                                                                                   // dec.conv_pre
        double up = 1;
        for (int i = 0; i < c.UpsampleRates.Count; i++)
        {
            int u = c.UpsampleRates[i], k = c.UpsampleKernelSizes[i];
            r += Math.Ceiling((double)k / u) / up;                                                 // ups.i, in its input's rate
            up *= u;
            double widest = 0;
            for (int j = 0; j < c.ResblockKernelSizes.Count; j++)
            {
                double kh = (c.ResblockKernelSizes[j] - 1) / 2.0;
                widest = Math.Max(widest, c.ResblockDilationSizes[j].Sum(d => kh * (d + 1)));
            }
            r += widest / up;                                                                      // resblocks
        }
        r += 3 / up;                                                                               // conv_post
        return (int)Math.Ceiling(r);
    }
}
