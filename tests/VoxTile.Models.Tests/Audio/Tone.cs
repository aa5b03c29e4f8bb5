namespace VoxTile.Models.Tests.Audio;

/// <summary>Sine-tone measurements for the resampler: gain (least-squares fit), SNR against the ideal tone, leakage.</summary>
public static class Tone
{
    public const double Phase = 0.3;

    public static float[] Sine(double freq, int rate, int length, double amplitude = 0.5)
    {
        var x = new float[length];
        for (int n = 0; n < length; n++) x[n] = (float)(amplitude * Math.Sin(2 * Math.PI * freq * n / rate + Phase));
        return x;
    }

    /// <summary>Fitted amplitude / expected amplitude, in dB, over the steady middle of <paramref name="y"/>.</summary>
    public static double GainDb(float[] y, double freq, int rate, double amplitude, int margin)
    {
        double w = 2 * Math.PI * freq / rate;
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int k = margin; k < y.Length - margin; k++)
        {
            double s = Math.Sin(w * k), c = Math.Cos(w * k);
            ss += s * s; cc += c * c; sc += s * c; ys += y[k] * s; yc += y[k] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
        return 20 * Math.Log10(Math.Sqrt(a * a + b * b) / amplitude);
    }

    /// <summary>Power of the ideal tone (same amplitude and phase: a delay counts as error) over the error power, in dB.</summary>
    public static double SnrDb(float[] y, double freq, int rate, double amplitude, int margin)
    {
        double sig = 0, err = 0;
        for (int k = margin; k < y.Length - margin; k++)
        {
            double ideal = amplitude * Math.Sin(2 * Math.PI * freq * k / rate + Phase);
            sig += ideal * ideal;
            err += (y[k] - ideal) * (y[k] - ideal);
        }
        return 10 * Math.Log10(sig / Math.Max(err, 1e-300));
    }

    /// <summary>Output RMS relative to the input tone's RMS, in dB (for tones the output cannot represent).</summary>
    public static double LeakageDb(float[] y, double amplitude, int margin)
    {
        double p = 0;
        int count = 0;
        for (int k = margin; k < y.Length - margin; k++) { p += (double)y[k] * y[k]; count++; }
        return 10 * Math.Log10(Math.Max(p / count, 1e-300) / (amplitude * amplitude / 2));
    }
}
