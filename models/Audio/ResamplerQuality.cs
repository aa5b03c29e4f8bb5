namespace VoxTile.Models.Audio;

/// <summary>
/// Filter designs for <see cref="Resampler"/>. All are Kaiser-windowed sinc kernels whose half-length is given in
/// samples of the lower of the two rates; the measured figures are in <see cref="Resampler.Quality"/> and
/// <see cref="Resampler.Describe"/> (and asserted by the tests).
/// </summary>
public enum ResamplerQuality
{
    /// <summary>
    /// Default. Half-length 64 samples at the lower rate, cutoff 0.95 × the lower Nyquist, Kaiser β = 10:
    /// flat (≤ 0.0001 dB) to 0.9 × Nyquist and ≥ 98 dB down from Nyquist up; 136 multiply-adds per output sample
    /// when upsampling, 136 × from/to when downsampling.
    /// </summary>
    High,

    /// <summary>
    /// Half-length 16 samples, cutoff 0.85 × Nyquist, Kaiser β = 8.555 (the parameters of resampy's kaiser_fast):
    /// about 4× cheaper, with a wide transition band: flat (≤ 0.001 dB) only to 0.6 × Nyquist and ≥ 85 dB down only
    /// from 1.1 × Nyquist, so it lets a little energy just above Nyquist alias back.
    /// </summary>
    Fast,
}
