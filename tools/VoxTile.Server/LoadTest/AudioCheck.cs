using System.Buffers.Binary;

namespace VoxTile.Server.LoadTest;

/// <summary>
/// Whether a response body is whole audio, or what is wrong with it: a WAV's header must be 16-bit mono PCM at the rate
/// the server named, its sizes either both exact (a WAV sent whole) or both 0xFFFFFFFF (streamed, data to the end), and
/// the data whole samples; a converted clip must last as long as its source. Null means the audio is complete.
/// </summary>
public static class AudioCheck
{
    public const int HeaderBytes = 44;

    /// <summary>The problem with <paramref name="body"/> as a WAV (<paramref name="rate"/> from X-Sample-Rate, if sent), or null.</summary>
    public static string? Wav(ReadOnlySpan<byte> body, int? rate, out int samples, out int sampleRate)
    {
        samples = 0;
        sampleRate = 0;
        if (body.Length < HeaderBytes) return $"{body.Length} bytes: shorter than a WAV header";
        if (!body[..4].SequenceEqual("RIFF"u8) || !body.Slice(8, 4).SequenceEqual("WAVE"u8)) return "no RIFF/WAVE header";
        if (!body.Slice(12, 4).SequenceEqual("fmt "u8) || BinaryPrimitives.ReadInt32LittleEndian(body[16..]) != 16) return "no 16-byte fmt chunk first";
        if (BinaryPrimitives.ReadInt16LittleEndian(body[20..]) != 1) return "not PCM";
        if (BinaryPrimitives.ReadInt16LittleEndian(body[22..]) != 1) return "not mono";
        if (BinaryPrimitives.ReadInt16LittleEndian(body[34..]) != 16) return "not 16-bit";
        sampleRate = BinaryPrimitives.ReadInt32LittleEndian(body[24..]);
        if (sampleRate <= 0) return $"sample rate {sampleRate}";
        if (rate is { } named && named != sampleRate) return $"header rate {sampleRate} Hz, X-Sample-Rate {named}";
        if (BinaryPrimitives.ReadInt32LittleEndian(body[28..]) != sampleRate * 2 || BinaryPrimitives.ReadInt16LittleEndian(body[32..]) != 2)
            return "byte rate or block align does not match 16-bit mono";
        if (!body.Slice(36, 4).SequenceEqual("data"u8)) return "no data chunk after fmt";
        uint riff = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]), data = BinaryPrimitives.ReadUInt32LittleEndian(body[40..]);
        long dataBytes = body.Length - HeaderBytes;
        bool streamed = riff == Audio.PcmStream.UnknownSize && data == Audio.PcmStream.UnknownSize;
        if (!streamed && (riff != body.Length - 8 || data != dataBytes))
            return $"header sizes (RIFF {riff}, data {data}) do not match the {body.Length} bytes received";
        return Pcm(body[HeaderBytes..], out samples);
    }

    /// <summary>The problem with <paramref name="pcm"/> as 16-bit samples, or null.</summary>
    public static string? Pcm(ReadOnlySpan<byte> pcm, out int samples)
    {
        samples = pcm.Length / 2;
        if (pcm.Length % 2 != 0) return $"{pcm.Length} bytes of 16-bit PCM: a sample cut in half";
        return samples == 0 ? "no audio" : null;
    }

    /// <summary>A converted clip lasts as long as its source, to within one 50 ms frame (the converter's hop rounds it).</summary>
    public static string? SameLength(double seconds, double sourceSeconds) =>
        Math.Abs(seconds - sourceSeconds) <= 0.05 ? null : $"{seconds:F3} s of audio for a {sourceSeconds:F3} s source";
}
