using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Models.Audio;

namespace VoxTile.Models.Tests.Audio;

public sealed class WavFileProperties
{
    // Samples spread over [-1.25, 1.25] (so clipping is exercised), with exact ±1, 0 and tiny values mixed in.
    private static Gen<float> Sample =>
        Gen.Frequency(
            (8, Gen.Choose(int.MinValue, int.MaxValue).Select(i => (float)(i / 2147483648.0 * 1.25))),
            (1, Gen.Elements(0f, 1f, -1f, 1e-9f, -1e-9f, 32767.5f / 32768, -32768.5f / 32768)),
            (1, Gen.Choose(-1000, 1000).Select(i => i / 65536f)));

    private static Arbitrary<(float[] Samples, WavEncoding Encoding, int Rate)> Signals =>
        Gen.Zip(Gen.Zip(Gen.ArrayOf(Sample), Gen.Elements(Enum.GetValues<WavEncoding>())), Gen.Elements(8000, 16000, 22050, 44100, 48000, 96000))
            .Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property RoundTripIsWithinHalfAQuantisationStep() => Prop.ForAll(Signals, t =>
    {
        var (x, encoding, rate) = t;
        var clip = WavFile.Read(new MemoryStream(WavFile.Encode(x, rate, encoding)), "p.wav");
        if (clip.SampleRate != rate || clip.Channels != 1 || clip.Samples.Length != x.Length) return false;
        double scale = encoding switch { WavEncoding.Pcm16 => 32768.0, WavEncoding.Pcm24 => 8388608.0, WavEncoding.Pcm32 => 2147483648.0, _ => 0 };
        for (int i = 0; i < x.Length; i++)
        {
            if (scale == 0)
            {
                if (BitConverter.SingleToInt32Bits(x[i]) != BitConverter.SingleToInt32Bits(clip.Samples[i])) return false;
                continue;
            }
            double expected = Math.Clamp(x[i], -1.0, (scale - 1) / scale);
            // Half a step of rounding, plus the float rounding of the decoded value (which matters only for 32-bit PCM).
            double tol = 0.5 / scale + Math.Abs(expected) * 6e-8;
            if (Math.Abs(clip.Samples[i] - expected) > tol) return false;
        }
        return true;
    });

    [Property(MaxTest = 100)]
    public Property Int16SamplesDecodeExactlyAndReencodeIdentically() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Choose(short.MinValue, short.MaxValue).Select(i => (short)i)).ToArbitrary(), codes =>
        {
            var bytes = WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 22050, 16)), ("data", WavBytes.Int16(codes)));
            var clip = WavFile.Read(new MemoryStream(bytes), "p.wav");
            for (int i = 0; i < codes.Length; i++)
                if (clip.Samples[i] != codes[i] / 32768f) return false;
            return WavFile.Encode(clip.Samples, 22050).AsSpan().SequenceEqual(bytes);
        });

    [Property(MaxTest = 100)]
    public Property DownmixIsTheMeanOfTheChannels() =>
        Prop.ForAll(Gen.Zip(Gen.Choose(1, 8), Gen.Choose(0, 50)).SelectMany(t =>
                Gen.ArrayOf(Gen.Choose(short.MinValue, short.MaxValue).Select(i => (short)i), t.Item1 * t.Item2).Select(c => (t.Item1, c))).ToArbitrary(),
            t =>
            {
                var (channels, codes) = t;
                var bytes = WavBytes.Riff(("fmt ", WavBytes.Fmt(1, channels, 16000, 16)), ("data", WavBytes.Int16(codes)));
                var clip = WavFile.Read(new MemoryStream(bytes), "p.wav");
                if (clip.Channels != channels || clip.Samples.Length != codes.Length / channels) return false;
                for (int f = 0; f < clip.Samples.Length; f++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) sum += codes[f * channels + c] / 32768.0;
                    if (clip.Samples[f] != (float)(sum / channels)) return false;
                }
                return true;
            });
}
