namespace VoxTile.Cli.Demo;

/// <summary>
/// A generated, speech-like voice for the built-in demo: a glottal pulse train with vibrato and declination, shaped by
/// three formant resonators that move through a vowel sequence, in syllable-like bursts. Two settings give two
/// distinct "speakers" (pitch and vocal-tract length). Deterministic, nothing downloaded.
/// </summary>
internal static class DemoVoice
{
    private static readonly double[][] Vowels =
    [
        [730, 1090, 2440], // a
        [270, 2290, 3010], // i
        [300, 870, 2240],  // u
        [530, 1840, 2480], // e
        [570, 840, 2410],  // o
    ];

    /// <param name="pitch">Mean fundamental frequency in Hz.</param>
    /// <param name="tract">Formant scale (1 for an adult male tract, ~1.17 for a shorter one).</param>
    public static float[] Generate(int sampleRate, double seconds, double pitch, double tract, int seed)
    {
        int n = (int)(seconds * sampleRate);
        var rng = new Random(seed);
        var y = new float[n];
        double phase = 0;
        var state = new double[3, 2];
        double syllable = 0.22;
        for (int i = 0; i < n; i++)
        {
            double t = (double)i / sampleRate;
            int s = (int)(t / syllable);
            double inSyl = t / syllable - s;
            double f0 = pitch * (1.0 + 0.08 * Math.Sin(2 * Math.PI * 0.7 * t) + 0.02 * Math.Sin(2 * Math.PI * 5.5 * t)) * (1.0 - 0.1 * t / seconds);
            phase += f0 / sampleRate;
            if (phase >= 1) phase -= 1;
            // Rosenberg-like glottal pulse: open phase 40%, closed otherwise; plus a little breath noise.
            double g = phase < 0.4 ? Math.Sin(Math.PI * phase / 0.4) * Math.Sin(Math.PI * phase / 0.4) : 0;
            double src = g - 0.16 + 0.02 * (rng.NextDouble() - 0.5);
            var v = Vowels[(s * 3 + seed) % Vowels.Length];
            double acc = 0;
            for (int f = 0; f < 3; f++)
            {
                double fc = v[f] * tract, bw = 60 + 30 * f;
                double r = Math.Exp(-Math.PI * bw / sampleRate);
                double a1 = 2 * r * Math.Cos(2 * Math.PI * fc / sampleRate), a2 = -r * r;
                double o = (1 - r) * src + a1 * state[f, 0] + a2 * state[f, 1];
                state[f, 1] = state[f, 0];
                state[f, 0] = o;
                acc += o / (f + 1);
            }
            double env = inSyl < 0.8 ? Math.Sin(Math.PI * inSyl / 0.8) : 0; // a short gap between syllables
            y[i] = (float)(acc * env);
        }
        float peak = y.Max(Math.Abs);
        if (peak > 0) for (int i = 0; i < n; i++) y[i] *= 0.7f / peak;
        return y;
    }
}
