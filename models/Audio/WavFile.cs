using System.Buffers.Binary;
using VoxTile.IR;
using VoxTile.IR.IO;

namespace VoxTile.Models.Audio;

/// <summary>
/// RIFF/WAVE reader and writer. Reading walks the chunk list (so LIST, fact, cue, JUNK and unknown chunks in any order
/// are skipped), honours the pad byte after odd-sized chunks, and decodes PCM 8/16/24/32-bit and IEEE float 32/64-bit,
/// plain or WAVE_FORMAT_EXTENSIBLE. Integer samples are scaled by 2^-(bits-1) exactly (int16 v → v/32768), which is
/// what soundfile and librosa give, so a decoded file matches the PyTorch reference bit for bit.
/// Every problem with the file is a one-line <see cref="VoxTileException"/> naming the file.
/// </summary>
public static class WavFile
{
    private const ushort TagPcm = 1;
    private const ushort TagFloat = 3;
    private const ushort TagExtensible = 0xFFFE;

    // The 14 trailing bytes every KSDATAFORMAT_SUBTYPE_* GUID for a classic format tag shares
    // (xxxxxxxx-0000-0010-8000-00AA00389B71, little-endian in the file); the first two bytes are the tag.
    private static ReadOnlySpan<byte> SubFormatSuffix => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads a WAV file into mono float samples (channels averaged).</summary>
    public static AudioClip Read(string path)
    {
        FileStream fs;
        try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        { throw new VoxTileException($"{path}: file not found"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new VoxTileException($"cannot read {path}: {e.Message}"); }
        using (fs)
        {
            try { return Read(fs, path); }
            catch (IOException e) { throw new VoxTileException($"cannot read {path}: {e.Message}"); }
        }
    }

    /// <summary>Reads WAV data from a seekable stream; <paramref name="name"/> is used in error messages.</summary>
    public static AudioClip Read(Stream stream, string name)
    {
        if (!stream.CanSeek) throw new ArgumentException("the stream must be seekable", nameof(stream));
        var head = new byte[12];
        int got = ReadFully(stream, head);
        if (got < 12 || !head.AsSpan(8, 4).SequenceEqual("WAVE"u8))
            throw new VoxTileException($"{name}: not a WAV file (no RIFF/WAVE header)");
        var riff = head.AsSpan(0, 4);
        if (riff.SequenceEqual("RIFX"u8)) throw new VoxTileException($"{name}: big-endian (RIFX) WAV files are not supported");
        if (riff.SequenceEqual("RF64"u8)) throw new VoxTileException($"{name}: RF64 (64-bit) WAV files are not supported");
        if (!riff.SequenceEqual("RIFF"u8)) throw new VoxTileException($"{name}: not a WAV file (no RIFF/WAVE header)");

        Fmt? fmt = null;
        long dataOffset = -1, dataSize = -1;
        long length = stream.Length;
        long pos = 12;
        var chunkHeader = new byte[8];
        // The RIFF size field is ignored: writers that stream often leave it wrong, and the chunks themselves say enough.
        while (pos + 8 <= length && (fmt is null || dataOffset < 0))
        {
            stream.Position = pos;
            if (ReadFully(stream, chunkHeader) < 8) break;
            var id = chunkHeader.AsSpan(0, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader.AsSpan(4));
            long body = pos + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || size > 1 << 16 || body + size > length)
                    throw new VoxTileException($"{name}: malformed fmt chunk ({size} bytes)");
                var bytes = new byte[size];
                if (ReadFully(stream, bytes) < size) throw new VoxTileException($"{name}: truncated fmt chunk");
                fmt = ParseFmt(bytes, name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                long available = length - body;
                // 0xFFFFFFFF is what streaming writers leave when they never come back to fill in the size.
                if (size == uint.MaxValue) size = available;
                else if (size > available)
                    throw new VoxTileException($"{name}: truncated data (the data chunk declares {size} bytes, the file holds {available})");
                dataOffset = body;
                dataSize = size;
            }
            // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte that its size does not count.
            pos = body + size + (size & 1);
        }
        if (fmt is null) throw new VoxTileException($"{name}: missing fmt chunk");
        if (dataOffset < 0) throw new VoxTileException($"{name}: missing data chunk");
        var f = fmt.Value;

        if (dataSize % f.Stride != 0)
            throw new VoxTileException($"{name}: truncated data ({dataSize} bytes is not a whole number of {f.Stride}-byte frames)");
        long frames = dataSize / f.Stride;
        if (frames > Array.MaxLength) throw new VoxTileException($"{name}: too long ({frames} frames; at most {Array.MaxLength} can be read)");

        var samples = new float[frames];
        stream.Position = dataOffset;
        int framesPerBlock = Math.Max(1, (1 << 16) / f.Stride);
        var buf = new byte[framesPerBlock * f.Stride];
        for (long done = 0; done < frames;)
        {
            int n = (int)Math.Min(framesPerBlock, frames - done);
            int bytes = n * f.Stride;
            if (ReadFully(stream, buf.AsSpan(0, bytes)) < bytes)
                throw new VoxTileException($"{name}: truncated data (the file ended inside the data chunk)");
            Decode(buf.AsSpan(0, bytes), samples.AsSpan((int)done, n), f);
            done += n;
        }
        return new AudioClip(samples, (int)f.SampleRate, f.Channels, f.Describe());
    }

    /// <summary>
    /// Writes mono samples as a WAV file, through a temporary file so that a failure leaves nothing behind.
    /// PCM encodings round to nearest and clip (x ≥ 1 becomes the largest code); non-finite samples are an error,
    /// since they mean the audio is broken and PCM cannot hold them.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<float> samples, int sampleRate, WavEncoding encoding = WavEncoding.Pcm16)
    {
        var bytes = Encode(samples, sampleRate, encoding, path);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The complete bytes of a WAV file (what <see cref="Write"/> stores).</summary>
    public static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate, WavEncoding encoding = WavEncoding.Pcm16, string name = "audio")
    {
        if (sampleRate <= 0) throw new VoxTileException($"cannot write {name}: sample rate {sampleRate} Hz is not positive");
        int width = encoding switch
        {
            WavEncoding.Pcm16 => 2,
            WavEncoding.Pcm24 => 3,
            WavEncoding.Pcm32 or WavEncoding.Float32 => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        };
        for (int i = 0; i < samples.Length; i++)
            if (!float.IsFinite(samples[i]))
                throw new VoxTileException($"cannot write {name}: sample {i} is {samples[i]} (the audio is broken)");

        bool isFloat = encoding == WavEncoding.Float32;
        // Non-PCM formats carry cbSize and a fact chunk (the frame count), as the WAVE spec asks.
        int fmtSize = isFloat ? 18 : 16;
        int factSize = isFloat ? 12 : 0;
        int headerSize = 12 + 8 + fmtSize + factSize + 8;
        long dataBytes = (long)samples.Length * width;
        long padded = dataBytes + (dataBytes & 1);
        if (headerSize + padded - 8 > uint.MaxValue)
            throw new VoxTileException($"cannot write {name}: {samples.Length} samples do not fit in a 4 GiB WAV file");
        if (headerSize + padded > Array.MaxLength)
            throw new VoxTileException($"cannot write {name}: {samples.Length} samples are too many to encode at once");

        var b = new byte[headerSize + padded];
        var s = b.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(b.Length - 8));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)fmtSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], isFloat ? TagFloat : TagPcm);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)((long)sampleRate * width));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], (ushort)(8 * width));
        int at = 36;
        if (isFloat)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(s[at..], 0); // cbSize
            at += 2;
            "fact"u8.CopyTo(s[at..]);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 4)..], 4);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 8)..], (uint)samples.Length);
            at += 12;
        }
        "data"u8.CopyTo(s[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(at + 4)..], (uint)dataBytes);
        var d = s.Slice(at + 8, (int)dataBytes);
        switch (encoding)
        {
            case WavEncoding.Pcm16:
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteInt16LittleEndian(d[(2 * i)..], (short)Quantize(samples[i], 32768.0, short.MinValue, short.MaxValue));
                break;
            case WavEncoding.Pcm24:
                for (int i = 0; i < samples.Length; i++)
                {
                    int v = (int)Quantize(samples[i], 8388608.0, -8388608, 8388607);
                    d[3 * i] = (byte)v;
                    d[3 * i + 1] = (byte)(v >> 8);
                    d[3 * i + 2] = (byte)(v >> 16);
                }
                break;
            case WavEncoding.Pcm32:
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteInt32LittleEndian(d[(4 * i)..], (int)Quantize(samples[i], 2147483648.0, int.MinValue, int.MaxValue));
                break;
            default:
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteSingleLittleEndian(d[(4 * i)..], samples[i]);
                break;
        }
        return b;
    }

    // Round half to even in double (exact for every float times a power of two up to 2^31), then clip.
    private static long Quantize(float x, double scale, long min, long max) =>
        Math.Clamp((long)Math.Round(x * scale, MidpointRounding.ToEven), min, max);

    private enum Kind { U8, S16, S24, S32, F32, F64 }

    private readonly record struct Fmt(Kind Kind, int Channels, uint SampleRate, int Stride, int Bits, bool Extensible)
    {
        public int Width => Kind switch { Kind.U8 => 1, Kind.S16 => 2, Kind.S24 => 3, Kind.S32 or Kind.F32 => 4, _ => 8 };

        public string Describe()
        {
            string s = Kind is Kind.F32 or Kind.F64 ? $"IEEE float {Bits}-bit" : Kind == Kind.U8 ? $"PCM {Bits}-bit unsigned" : $"PCM {Bits}-bit";
            return Extensible ? s + " (extensible)" : s;
        }
    }

    private static Fmt ParseFmt(ReadOnlySpan<byte> c, string name)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(c);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(c[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(c[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(c[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(c[14..]);
        bool extensible = tag == TagExtensible;
        if (extensible)
        {
            if (c.Length < 40 || BinaryPrimitives.ReadUInt16LittleEndian(c[16..]) < 22)
                throw new VoxTileException($"{name}: malformed WAVE_FORMAT_EXTENSIBLE fmt chunk ({c.Length} bytes)");
            var guid = c.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubFormatSuffix))
                throw new VoxTileException($"{name}: unsupported encoding (WAVE_FORMAT_EXTENSIBLE with sub-format {new Guid(guid)})");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            // Here wBitsPerSample is the container size; wValidBitsPerSample (informational) may be smaller,
            // and the samples are left-justified in the container, so scaling by the container is right.
        }
        if (channels == 0) throw new VoxTileException($"{name}: zero channels in the fmt chunk");
        if (rate == 0 || rate > int.MaxValue) throw new VoxTileException($"{name}: invalid sample rate {rate} Hz in the fmt chunk");

        Kind kind;
        if (tag == TagPcm)
        {
            // Odd depths (12-bit, 20-bit) are stored left-justified in whole bytes, so the container decides the scale.
            kind = ((bits + 7) / 8) switch
            {
                1 when bits > 0 => Kind.U8,
                2 => Kind.S16,
                3 => Kind.S24,
                4 => Kind.S32,
                _ => throw new VoxTileException($"{name}: unsupported encoding (PCM {bits}-bit; 8, 16, 24 and 32-bit are supported)"),
            };
        }
        else if (tag == TagFloat)
        {
            kind = bits switch
            {
                32 => Kind.F32,
                64 => Kind.F64,
                _ => throw new VoxTileException($"{name}: unsupported encoding (IEEE float {bits}-bit; 32 and 64-bit are supported)"),
            };
        }
        else throw new VoxTileException($"{name}: unsupported encoding (format tag 0x{tag:X4}{TagName(tag)}; only PCM and IEEE float are supported)");

        var f = new Fmt(kind, channels, rate, 0, bits, extensible);
        int frame = channels * f.Width;
        if (blockAlign != 0 && blockAlign < frame)
            throw new VoxTileException($"{name}: inconsistent fmt chunk (block align {blockAlign} bytes is less than {channels} × {f.Width}-byte samples)");
        // A larger block align means padding after each frame; trust it, as players do.
        return f with { Stride = blockAlign == 0 ? frame : blockAlign };
    }

    private static string TagName(ushort tag) => tag switch
    {
        0x0002 => ", Microsoft ADPCM",
        0x0006 => ", A-law",
        0x0007 => ", µ-law",
        0x0011 => ", IMA ADPCM",
        0x0031 => ", GSM 6.10",
        0x0050 => ", MPEG",
        0x0055 => ", MP3",
        0x00FF => ", AAC",
        0x2000 => ", AC-3",
        _ => "",
    };

    private static void Decode(ReadOnlySpan<byte> src, Span<float> dst, Fmt f)
    {
        int ch = f.Channels, w = f.Width, stride = f.Stride;
        if (ch == 1)
        {
            // Mono keeps one rounding at most: int16/int24 → float is exact, int32 and float64 round once.
            for (int i = 0; i < dst.Length; i++) dst[i] = (float)Sample(src.Slice(i * stride, w), f.Kind);
            return;
        }
        // Downmix: average in double, round once, so the mean of identical channels is the channel itself.
        for (int i = 0; i < dst.Length; i++)
        {
            var frame = src.Slice(i * stride, ch * w);
            double sum = 0;
            for (int c = 0; c < ch; c++) sum += Sample(frame.Slice(c * w, w), f.Kind);
            dst[i] = (float)(sum / ch);
        }
    }

    private static double Sample(ReadOnlySpan<byte> s, Kind kind) => kind switch
    {
        Kind.U8 => (s[0] - 128) / 128.0,
        Kind.S16 => BinaryPrimitives.ReadInt16LittleEndian(s) / 32768.0,
        Kind.S24 => ((s[0] | (s[1] << 8) | (s[2] << 16)) << 8 >> 8) / 8388608.0,
        Kind.S32 => BinaryPrimitives.ReadInt32LittleEndian(s) / 2147483648.0,
        Kind.F32 => BinaryPrimitives.ReadSingleLittleEndian(s),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(s),
    };

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
