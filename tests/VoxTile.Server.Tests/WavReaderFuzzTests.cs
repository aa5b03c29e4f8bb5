using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Models.Audio;

namespace VoxTile.Server.Tests;

/// <summary>
/// The WAV reader faces every upload: random bytes, and valid WAVs of every encoding with bytes flipped, cut short or
/// spliced, must either read or be refused with one <see cref="VoxTileException"/> line, never another exception.
/// </summary>
public sealed class WavReaderFuzzTests
{
    private static readonly WavEncoding[] Encodings = Enum.GetValues<WavEncoding>();

    private static readonly Gen<byte[]> Valid =
        from encoding in Gen.Elements(Encodings)
        from rate in Gen.Elements(8000, 16000, 22050, 44100)
        from n in Gen.Choose(1, 300)
        from seed in Gen.Choose(0, 1 << 20)
        select Encode(encoding, rate, n, seed);

    private static readonly Gen<byte[]> Mutated =
        from wav in Valid
        from kind in Gen.Choose(0, 3)
        from at in Gen.Choose(0, 1 << 16)
        from value in Gen.Choose(0, 255)
        from count in Gen.Choose(1, 8)
        select Mutate(wav, kind, at % Math.Max(wav.Length, 1), (byte)value, count);

    private static readonly Gen<byte[]> Random =
        from n in Gen.Choose(0, 200)
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n)
        select (byte[])[.. "RIFF"u8.ToArray(), .. bytes];

    [Property(MaxTest = 400)]
    public Property MutatedWavsReadOrAreRefusedInOneLine() => Prop.ForAll(Gen.OneOf(Mutated, Random, Valid).ToArbitrary(), ReadsOrRefuses);

    [Property(MaxTest = 100)]
    public Property ValidWavsRead() => Prop.ForAll(Valid.ToArbitrary(), wav =>
    {
        var clip = WavFile.Read(new MemoryStream(wav), "valid.wav");
        return clip.SampleRate > 0 && clip.Samples.All(float.IsFinite);
    });

    /// <summary>The speech endpoint's streamed WAV (sizes 0xFFFFFFFF) reads back with this reader: the data runs to the end.</summary>
    [Fact]
    public void AStreamedWavReadsBack()
    {
        float[] samples = [0.5f, -0.25f, 0f, 0.125f];
        var bytes = (byte[])[.. Audio.PcmStream.StreamingWavHeader(16000), .. Audio.PcmStream.Pcm16(samples, silence: 2)];
        var clip = WavFile.Read(new MemoryStream(bytes), "streamed.wav");
        Assert.Equal(16000, clip.SampleRate);
        Assert.Equal(6, clip.Samples.Length);
        Assert.Equal(0.5f, clip.Samples[0], 3);
        Assert.Equal(0f, clip.Samples[5]);
    }

    private static bool ReadsOrRefuses(byte[] bytes)
    {
        try
        {
            var clip = WavFile.Read(new MemoryStream(bytes), "upload.wav");
            return clip.SampleRate > 0;
        }
        catch (VoxTileException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            return true;
        }
    }

    private static byte[] Encode(WavEncoding encoding, int rate, int n, int seed)
    {
        var rng = new System.Random(seed);
        var samples = new float[n];
        for (int i = 0; i < n; i++) samples[i] = (float)(rng.NextDouble() * 2 - 1);
        return WavFile.Encode(samples, rate, encoding);
    }

    // 0: overwrite bytes, 1: cut short, 2: duplicate a span, 3: flip a header byte.
    private static byte[] Mutate(byte[] wav, int kind, int at, byte value, int count)
    {
        var b = wav.ToList();
        switch (kind)
        {
            case 0: for (int i = at; i < Math.Min(b.Count, at + count); i++) b[i] = value; break;
            case 1: b.RemoveRange(at, b.Count - at); break;
            case 2: b.InsertRange(at, b.Skip(at).Take(count * 4).ToList()); break;
            default: if (b.Count > 0) b[at % Math.Min(b.Count, 64)] ^= value; break;
        }
        return [.. b];
    }
}
