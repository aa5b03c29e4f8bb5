namespace VoxTile.Models.Audio;

/// <summary>
/// The exact polyphase table of a <see cref="Resampler"/> (ratio to/from = <see cref="Up"/>/<see cref="Down"/> in
/// lowest terms): output sample k is
/// <c>y[k] = Σₘ Rows[(k·M) mod L, m] · x[⌊k·M/L⌋ − Left + m]</c>, m = 0 … Taps − 1, x zero outside the input.
/// It is what <see cref="Resampler.Process"/> computes, less the columns that are zero in every phase (the host pads
/// its rows to whole SIMD vectors), so it does not depend on the machine's vector width: a device graph built from it
/// (<see cref="ResampleGraph"/>) is the same on every host.
/// </summary>
/// <param name="Up">L: output samples per <see cref="Down"/> input samples, and the number of phases (rows).</param>
/// <param name="Down">M: input samples per <see cref="Up"/> output samples.</param>
/// <param name="Left">How many input samples before ⌊k·M/L⌋ the first tap reaches.</param>
/// <param name="Taps">Coefficients per phase.</param>
/// <param name="Rows">L × Taps coefficients, phase-major (a copy: the caller may keep or change it).</param>
public sealed record PolyphaseTable(int Up, int Down, int Left, int Taps, float[] Rows)
{
    /// <summary>The coefficients of phase <paramref name="p"/>.</summary>
    public ReadOnlySpan<float> Row(int p) => Rows.AsSpan(p * Taps, Taps);
}
