using System.Numerics;
using VoxTile.IR;
using Graph = VoxTile.IR.Ops.Graph;

namespace VoxTile.Models.Audio;

/// <summary>
/// <see cref="Resampler"/> as an IR graph, so that the clone pipeline resamples MeloTTS's 44.1 kHz speech to the
/// converter's 22.05 kHz on the device instead of on the host. The polyphase FIR is one strided conv1d: L output
/// channels (one per phase r of an output block), stride M, channel r holding the phase (r·M) mod L shifted by
/// ⌊r·M/L⌋ taps, so that conv output q of channel r is output sample q·L + r; the input is zero-padded by the
/// table's <see cref="PolyphaseTable.Left"/> in front and enough behind for the last block; a transpose and reshape
/// interleave the phases and a slice keeps ⌈N·L/M⌉ samples. For 44.1 → 22.05 kHz (L = 1, M = 2) that is the padding
/// and one stride-2 conv1d. The kernel is zero-extended to a multiple of M so the framing legalization
/// (LegalizeFramingConv1d) can cut the clip into M-wide frames instead of one sample per device row (when M ≥ 2;
/// upsampling by an integer, M = 1, is a plain one-channel conv1d).
/// Same conventions as the host (length ⌈N·to/from⌉, zero-phase, zero outside the input, DC gain 1) and the same
/// coefficients; only the summation order differs (fp32 rounding).
/// </summary>
public static class ResampleGraph
{
    /// <summary>
    /// The resampled <paramref name="samples"/>: [B, 1, N] (MeloTTS's audio) or [B, N] (a clip, as the converter takes
    /// it) in, [B, 1, ⌈N·to/from⌉] out; the input itself, reshaped, when the rates are equal (as the host returns a copy).
    /// </summary>
    public static Node Build(Node samples, int fromRate, int toRate, ResamplerQuality quality = ResamplerQuality.High)
    {
        if (fromRate <= 0) throw new ArgumentOutOfRangeException(nameof(fromRate), fromRate, "the sample rate must be positive");
        if (toRate <= 0) throw new ArgumentOutOfRangeException(nameof(toRate), toRate, "the sample rate must be positive");
        var s = samples.Shape;
        bool clip = s.Rank == 2, audio = s.Rank == 3 && s[1].IsFixed && s[1].Value == 1;
        if (!(clip || audio) || !s[0].IsFixed || !s[-1].IsFixed || s[-1].Value < 1)
            throw new VoxTileException($"the resampler takes [B, N] or [B, 1, N] samples of a fixed length N ≥ 1, got {samples.Type}");
        int b = s[0].Value, n = s[-1].Value;
        var x = clip ? Nn.Reshape(samples, [b, 1, n]) : samples;
        if (fromRate == toRate) return x;

        int outLen = checked((int)Resampler.OutputLength(n, fromRate, toRate));
        var t = Resampler.ExactTable(fromRate, toRate, quality) ?? throw NoExactTable(fromRate, toRate);
        int up = t.Up, down = t.Down;
        var (kernel, weight) = Filter(t, fromRate, toRate, quality);

        // Blocks of L outputs the conv must produce, and the zeros behind the input that the last block's taps reach.
        int blocks = (outLen + up - 1) / up;
        int right = Math.Max(0, (blocks - 1) * down + kernel - n - t.Left);
        var y = Nn.Conv1d(ZeroPad(x, b, n, t.Left, right), weight, stride: down); // [B, L, Q], Q ≥ blocks
        int q = y.Shape[2].Value;
        if (up > 1) y = Nn.Reshape(Nn.Transpose(y, [0, 2, 1]), [b, 1, q * up]);  // output q·L + r
        return q * up == outLen ? y : Nn.Slice(y, 2, 0, end: outLen);
    }

    /// <summary>
    /// [B, 1, N] zero-padded to [B, 1, left + N + right] as a concat of zero constants along the clip, as
    /// DecomposeSpectrogram pads the STFT's clip: the join happens in TILE on the [B, N] view, where an nn.pad of the
    /// conv's input would be read channels-last, one sample per device row.
    /// </summary>
    private static Node ZeroPad(Node x, int b, int n, int left, int right)
    {
        if (left == 0 && right == 0) return x;
        Node Zeros(int k) => Graph.Weight.Create($"const.zeros_{b}x{k}", new Tensor([b, k]), $"const.zeros_{b}x{k}");
        var parts = new List<Node>();
        if (left > 0) parts.Add(Zeros(left));
        parts.Add(Nn.Reshape(x, [b, n]));
        if (right > 0) parts.Add(Zeros(right));
        return Nn.Reshape(Nn.Concat(parts, 1), [b, 1, left + n + right]);
    }

    /// <summary>The conv weight [L, 1, K]: row r is phase (r·M) mod L, delayed by ⌊r·M/L⌋ taps; K a multiple of M.</summary>
    private static (int Kernel, Node Weight) Filter(PolyphaseTable t, int fromRate, int toRate, ResamplerQuality quality)
    {
        int up = t.Up, down = t.Down;
        int maxShift = (int)((long)(up - 1) * down / up);
        int kernel = (t.Taps + maxShift + down - 1) / down * down;
        var w = new Tensor([up, 1, kernel]);
        for (int r = 0; r < up; r++)
        {
            long rm = (long)r * down;
            t.Row((int)(rm % up)).CopyTo(w.Data.AsSpan(r * kernel + (int)(rm / up), t.Taps));
        }
        string key = $"const.resample_{fromRate}_{toRate}_{quality.ToString().ToLowerInvariant()}";
        return (kernel, Graph.Weight.Create(key, w, key));
    }

    private static VoxTileException NoExactTable(int fromRate, int toRate)
    {
        var g = (int)BigInteger.GreatestCommonDivisor(fromRate, toRate);
        return new VoxTileException(
            $"resampling {fromRate} Hz to {toRate} Hz on the device needs an exact polyphase table, and the ratio {toRate / g}/{fromRate / g} has too many phases for one");
    }
}
