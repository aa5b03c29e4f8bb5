using System.Buffers.Binary;
using VoxTile.IR;
using VoxTile.Models.Audio;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.Audio;

public sealed class WavFileTests
{
    private static AudioClip ReadBytes(byte[] bytes, string name = "t.wav") => WavFile.Read(new MemoryStream(bytes), name);

    private static string Error(byte[] bytes, string name = "t.wav") =>
        Assert.Throws<VoxTileException>(() => ReadBytes(bytes, name)).Message;

    private static void AssertOneLine(string message) => Assert.DoesNotContain('\n', message);

    [GoldenFact("converter-tiny")]
    public void GoldenSourceAndReferenceDecodeBitExactly()
    {
        var dir = Golden.Case("converter-tiny")!;
        foreach (var name in new[] { "source", "reference" })
        {
            var clip = WavFile.Read(Path.Combine(dir, name + ".wav"));
            var golden = Golden.Load("converter-tiny", name + "_samples").Data;
            Assert.Equal(golden.Length, clip.Samples.Length);
            Assert.Equal(1, clip.Channels);
            Assert.Equal("PCM 16-bit", clip.Format);
            for (int i = 0; i < clip.Samples.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(golden[i]) == BitConverter.SingleToInt32Bits(clip.Samples[i]),
                    $"{name}.wav sample {i}: {clip.Samples[i]} vs golden {golden[i]}");
        }
    }

    [Fact]
    public void Pcm16DecodesAsValueOver32768()
    {
        var clip = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 22050, 16)), ("data", WavBytes.Int16(0, 1, -1, 16384, short.MaxValue, short.MinValue))));
        Assert.Equal([0f, 1f / 32768, -1f / 32768, 0.5f, 32767f / 32768, -1f], clip.Samples);
        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(1, clip.Channels);
        Assert.Equal("PCM 16-bit", clip.Format);
    }

    [Fact]
    public void Pcm8IsUnsignedAroundMidScale()
    {
        var clip = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 8)), ("data", new byte[] { 0, 64, 128, 255 })));
        Assert.Equal([-1f, -0.5f, 0f, 127f / 128], clip.Samples);
        Assert.Equal("PCM 8-bit unsigned", clip.Format);
    }

    [Fact]
    public void Pcm24And32ScaleByTheirFullRange()
    {
        var c24 = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 48000, 24)), ("data", WavBytes.Int24(-8388608, 8388607, 1, -1, 4194304))));
        Assert.Equal([-1f, 8388607f / 8388608, 1f / 8388608, -1f / 8388608, 0.5f], c24.Samples);
        var c32 = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 48000, 32)), ("data", WavBytes.Int32(int.MinValue, 1 << 30, -(1 << 29), 1))));
        Assert.Equal([-1f, 0.5f, -0.25f, (float)(1 / 2147483648.0)], c32.Samples);
        Assert.Equal("PCM 32-bit", c32.Format);
    }

    [Fact]
    public void FloatSamplesAreReadAsStored()
    {
        float[] v = [0.1f, -0.7f, 1.5f, -3e-9f];
        var f32 = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(3, 1, 44100, 32)), ("data", WavBytes.Float32(v))));
        Assert.Equal(v, f32.Samples);
        Assert.Equal("IEEE float 32-bit", f32.Format);
        var f64 = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(3, 1, 44100, 64)), ("data", WavBytes.Float64(0.1, -0.7, 1e-300))));
        Assert.Equal([0.1f, -0.7f, 0f], f64.Samples);
        Assert.Equal("IEEE float 64-bit", f64.Format);
    }

    [Fact]
    public void MultichannelIsDownmixedByAveraging()
    {
        var stereo = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 2, 44100, 16)), ("data", WavBytes.Int16(16384, -8192, 100, 100, short.MinValue, short.MaxValue))));
        Assert.Equal(2, stereo.Channels);
        Assert.Equal([0.125f, 100f / 32768, -0.5f / 32768], stereo.Samples);
        var six = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.Fmt(3, 6, 48000, 32)), ("data", WavBytes.Float32(1, 1, 1, 1, -1, -1.5f))));
        Assert.Equal(6, six.Channels);
        Assert.Equal([0.25f], six.Samples);
    }

    [Fact]
    public void ExtensibleHeadersWithPcmAndFloatSubformats()
    {
        var pcm24 = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.FmtExtensible(1, 2, 96000, 24, 24)), ("data", WavBytes.Int24(4194304, 0, -8388608, -8388608))));
        Assert.Equal([0.25f, -1f], pcm24.Samples);
        Assert.Equal("PCM 24-bit (extensible)", pcm24.Format);
        Assert.Equal(96000, pcm24.SampleRate);
        // 20 valid bits left-justified in a 32-bit container: the container decides the scale.
        var pcm20in32 = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.FmtExtensible(1, 1, 48000, 32, 20)), ("data", WavBytes.Int32(1 << 30))));
        Assert.Equal([0.5f], pcm20in32.Samples);
        var fl = ReadBytes(WavBytes.Riff(("fmt ", WavBytes.FmtExtensible(3, 1, 48000, 32, 32)), ("data", WavBytes.Float32(0.3f, -0.6f))));
        Assert.Equal([0.3f, -0.6f], fl.Samples);
        Assert.Equal("IEEE float 32-bit (extensible)", fl.Format);
    }

    [Fact]
    public void ChunkWalkSkipsListJunkOddChunksAndTrailingData()
    {
        var bytes = WavBytes.Riff(
            ("JUNK", new byte[3]),                               // odd size: a pad byte follows
            ("LIST", "INFOISFT\u0005\0\0\0abcde"u8.ToArray()),   // odd-sized LIST
            ("fmt ", WavBytes.Fmt(1, 1, 16000, 16)),
            ("fact", WavBytes.Int32(3)),
            ("data", WavBytes.Int16(1000, -1000, 7)),
            ("id3 ", new byte[7]));
        var clip = ReadBytes(bytes);
        Assert.Equal([1000f / 32768, -1000f / 32768, 7f / 32768], clip.Samples);
    }

    [Fact]
    public void OddSizedDataChunkIsFollowedByItsPadByte()
    {
        // 8-bit mono with 3 samples: the data chunk has an odd size and the fmt chunk comes after it.
        var clip = ReadBytes(WavBytes.Riff(("data", new byte[] { 128, 192, 64 }), ("fmt ", WavBytes.Fmt(1, 1, 8000, 8))));
        Assert.Equal([0f, 0.5f, -0.5f], clip.Samples);
    }

    [Fact]
    public void StreamingPlaceholderDataSizeReadsToTheEnd()
    {
        var ms = new MemoryStream();
        ms.Write("RIFF"u8); ms.Write(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }); ms.Write("WAVE"u8);
        WavBytes.Chunk(ms, "fmt ", WavBytes.Fmt(1, 1, 16000, 16), 16);
        WavBytes.Chunk(ms, "data", WavBytes.Int16(1, 2, 3), uint.MaxValue);
        Assert.Equal([1f / 32768, 2f / 32768, 3f / 32768], ReadBytes(ms.ToArray()).Samples);
    }

    [Fact]
    public void NotAWavFile()
    {
        using var dir = new TempDir();
        var txt = dir.File("x.txt");
        File.WriteAllText(txt, "hello, this is text and not audio");
        var e = Assert.Throws<VoxTileException>(() => WavFile.Read(txt));
        Assert.Equal($"{txt}: not a WAV file (no RIFF/WAVE header)", e.Message);
        Assert.Equal("x.txt: not a WAV file (no RIFF/WAVE header)", Error("hello"u8.ToArray(), "x.txt"));
        Assert.Equal("x.txt: not a WAV file (no RIFF/WAVE header)", Error([], "x.txt"));
        var avi = WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 8)));
        "AVI "u8.CopyTo(avi.AsSpan(8));
        Assert.Contains("not a WAV file", Error(avi));
    }

    [Fact]
    public void MissingFileIsAOneLineError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<VoxTileException>(() => WavFile.Read(dir.File("nope.wav")));
        Assert.Equal($"{dir.File("nope.wav")}: file not found", e.Message);
    }

    [Theory]
    [InlineData((ushort)2, 4, "format tag 0x0002, Microsoft ADPCM")]
    [InlineData((ushort)7, 8, "format tag 0x0007, µ-law")]
    [InlineData((ushort)0x55, 16, "format tag 0x0055, MP3")]
    [InlineData((ushort)0x1234, 16, "format tag 0x1234;")]
    [InlineData((ushort)1, 48, "PCM 48-bit")]
    [InlineData((ushort)1, 0, "PCM 0-bit")]
    [InlineData((ushort)3, 16, "IEEE float 16-bit")]
    [InlineData((ushort)3, 24, "IEEE float 24-bit")]
    public void UnsupportedEncodingsNameTheFormat(ushort tag, int bits, string expected)
    {
        var msg = Error(WavBytes.Riff(("fmt ", WavBytes.Fmt(tag, 1, 8000, bits, blockAlign: 2)), ("data", new byte[4])));
        Assert.StartsWith("t.wav: unsupported encoding (", msg);
        Assert.Contains(expected, msg);
        AssertOneLine(msg);
    }

    [Fact]
    public void ExtensibleWithAForeignSubformatIsUnsupported()
    {
        var msg = Error(WavBytes.Riff(("fmt ", WavBytes.FmtExtensible(1, 1, 8000, 16, 16, standardGuid: false)), ("data", new byte[4])));
        Assert.StartsWith("t.wav: unsupported encoding (WAVE_FORMAT_EXTENSIBLE with sub-format", msg);
        var shortExt = WavBytes.FmtExtensible(1, 1, 8000, 16, 16)[..18];
        BinaryPrimitives.WriteUInt16LittleEndian(shortExt.AsSpan(0), 0xFFFE);
        Assert.Contains("malformed WAVE_FORMAT_EXTENSIBLE", Error(WavBytes.Riff(("fmt ", shortExt), ("data", new byte[4]))));
    }

    [Fact]
    public void TruncatedData()
    {
        // The data chunk says 100 bytes, the file ends after 6.
        var ms = new MemoryStream();
        ms.Write("RIFF"u8); ms.Write(new byte[4]); ms.Write("WAVE"u8);
        WavBytes.Chunk(ms, "fmt ", WavBytes.Fmt(1, 1, 16000, 16), 16);
        WavBytes.Chunk(ms, "data", WavBytes.Int16(1, 2, 3), 100);
        Assert.Equal("t.wav: truncated data (the data chunk declares 100 bytes, the file holds 6)", Error(ms.ToArray()));
        // A partial last frame: 5 bytes of 16-bit stereo.
        var partial = Error(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 2, 16000, 16)), ("data", new byte[5])));
        Assert.Equal("t.wav: truncated data (5 bytes is not a whole number of 4-byte frames)", partial);
    }

    [Fact]
    public void ZeroChannelsAndZeroRate()
    {
        Assert.Equal("t.wav: zero channels in the fmt chunk",
            Error(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 0, 16000, 16, blockAlign: 2)), ("data", new byte[4]))));
        Assert.Equal("t.wav: invalid sample rate 0 Hz in the fmt chunk",
            Error(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 0, 16)), ("data", new byte[4]))));
    }

    [Fact]
    public void MissingChunks()
    {
        Assert.Equal("t.wav: missing fmt chunk", Error(WavBytes.Riff(("data", new byte[4]))));
        Assert.Equal("t.wav: missing data chunk", Error(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 16000, 16)), ("LIST", new byte[4]))));
        Assert.Equal("t.wav: missing fmt chunk", Error(WavBytes.Riff()));
        Assert.Equal("t.wav: malformed fmt chunk (12 bytes)", Error(WavBytes.Riff(("fmt ", new byte[12]), ("data", new byte[4]))));
    }

    [Fact]
    public void BlockAlignSmallerThanAFrameIsInconsistent()
    {
        var msg = Error(WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 2, 16000, 16, blockAlign: 2)), ("data", new byte[8])));
        Assert.StartsWith("t.wav: inconsistent fmt chunk (block align 2 bytes", msg);
    }

    [Fact]
    public void BigEndianAndRf64AreNamed()
    {
        var b = WavBytes.Riff(("fmt ", WavBytes.Fmt(1, 1, 8000, 16)), ("data", new byte[2]));
        "RIFX"u8.CopyTo(b);
        Assert.Contains("RIFX", Error(b));
        "RF64"u8.CopyTo(b);
        Assert.Contains("RF64", Error(b));
    }

    [Fact]
    public void Pcm16WriteRoundsToNearestAndClips()
    {
        float[] x = [0f, 0.5f, -0.5f, 1f, -1f, 1.5f, -2f, 0.4f / 32768, 0.6f / 32768, -0.6f / 32768, 2.5f / 32768, 32767.4f / 32768];
        var bytes = WavFile.Encode(x, 22050);
        Assert.Equal(44 + 2 * x.Length, bytes.Length);
        var codes = new short[x.Length];
        for (int i = 0; i < x.Length; i++) codes[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + 2 * i));
        Assert.Equal(new short[] { 0, 16384, -16384, 32767, -32768, 32767, -32768, 0, 1, -1, 2, 32767 }, codes);
    }

    [Fact]
    public void HeadersAreWhatOtherReadersExpect()
    {
        var pcm = WavFile.Encode([0.25f, -0.25f], 16000, WavEncoding.Pcm24);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(pcm, 0, 4));
        Assert.Equal((uint)(pcm.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(pcm.AsSpan(4)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(pcm.AsSpan(20)));          // PCM
        Assert.Equal(48000u, BinaryPrimitives.ReadUInt32LittleEndian(pcm.AsSpan(28)));    // byte rate
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(pcm.AsSpan(32)));          // block align
        Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(pcm.AsSpan(40)));         // data size
        var odd = WavFile.Encode([0.25f], 16000, WavEncoding.Pcm24);
        Assert.Equal(0, odd.Length % 2);                                                   // padded to a word
        var fl = WavFile.Encode([0.25f, -0.25f, 1f], 16000, WavEncoding.Float32);
        Assert.Equal(3, BinaryPrimitives.ReadUInt16LittleEndian(fl.AsSpan(20)));           // IEEE float
        Assert.Equal("fact", System.Text.Encoding.ASCII.GetString(fl, 38, 4));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(fl.AsSpan(46)));
        var back = ReadBytes(fl);
        Assert.Equal([0.25f, -0.25f, 1f], back.Samples);
        Assert.Equal("IEEE float 32-bit", back.Format);
    }

    [Theory]
    [InlineData(WavEncoding.Pcm16, "PCM 16-bit")]
    [InlineData(WavEncoding.Pcm24, "PCM 24-bit")]
    [InlineData(WavEncoding.Pcm32, "PCM 32-bit")]
    [InlineData(WavEncoding.Float32, "IEEE float 32-bit")]
    public void WriteThenReadFromDisk(WavEncoding encoding, string format)
    {
        using var dir = new TempDir();
        var path = dir.File("out.wav");
        float[] x = [0f, 0.5f, -0.75f, 0.125f, -1f];
        WavFile.Write(path, x, 24000, encoding);
        var clip = WavFile.Read(path);
        Assert.Equal(x, clip.Samples);
        Assert.Equal(24000, clip.SampleRate);
        Assert.Equal(format, clip.Format);
        Assert.Equal(["out.wav"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void FailedWritesLeaveNoFile()
    {
        using var dir = new TempDir();
        var path = dir.File("out.wav");
        var e = Assert.Throws<VoxTileException>(() => WavFile.Write(path, [0.1f, float.NaN], 22050));
        Assert.Equal($"cannot write {path}: sample 1 is NaN (the audio is broken)", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));

        WavFile.Write(path, [0.5f], 22050);
        var before = File.ReadAllBytes(path);
        Assert.Throws<VoxTileException>(() => WavFile.Write(path, [float.PositiveInfinity], 22050, WavEncoding.Float32));
        Assert.Equal(before, File.ReadAllBytes(path));                                     // the old file is untouched
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));

        var missing = Path.Combine(dir.Path, "no-such-folder", "x.wav");
        Assert.StartsWith($"cannot write {missing}: folder", Assert.Throws<VoxTileException>(() => WavFile.Write(missing, [0f], 22050)).Message);
        Assert.Contains("not positive", Assert.Throws<VoxTileException>(() => WavFile.Write(path, [0f], 0)).Message);
    }

    [Fact]
    public void EmptyAudioRoundTrips()
    {
        var clip = ReadBytes(WavFile.Encode([], 22050));
        Assert.Empty(clip.Samples);
        Assert.Equal(0, clip.Duration);
    }
}
