using VoxTile.Models.Audio;

namespace VoxTile.Server.LoadTest;

/// <summary>
/// A voiced, speech-like WAV for a load test that is given no recording: a pulse train (the glottis) through a moving
/// resonance (a formant), with a little noise — enough for the converter's spectrogram and the voice store's hash to
/// differ by seed; the models behind <c>--demo</c> have random weights, so real speech would sound no better.
/// </summary>
public static class SpeechLikeSignal
{
    public static byte[] Wav(double seconds, int seed, int rate = 22050)
    {
        var rng = new Random(seed);
        var y = new float[(int)(seconds * rate)];
        double pitch = 100 + 20 * (seed % 8), phase = 0, s1 = 0, s2 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double t = (double)i / rate;
            phase += pitch / rate;
            if (phase >= 1) phase -= 1;
            double glottis = (phase < 0.1 ? 1 : 0) + 0.05 * (rng.NextDouble() - 0.5);
            double formant = 500 + 300 * Math.Sin(2 * Math.PI * 2 * t), r = 0.97;
            double o = (1 - r) * glottis + 2 * r * Math.Cos(2 * Math.PI * formant / rate) * s1 - r * r * s2;
            (s2, s1) = (s1, o);
            y[i] = (float)o;
        }
        float peak = y.Length == 0 ? 1 : Math.Max(1e-9f, y.Max(Math.Abs));
        for (int i = 0; i < y.Length; i++) y[i] *= 0.6f / peak;
        return WavFile.Encode(y, rate);
    }
}
