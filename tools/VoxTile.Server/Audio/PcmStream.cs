using System.Buffers.Binary;

namespace VoxTile.Server.Audio;

/// <summary>
/// Audio written as it is made: 16-bit little-endian mono PCM, after a WAV header whose sizes are 0xFFFFFFFF (the
/// length is not known when the first sentence leaves; readers take the data to the end of the stream).
/// </summary>
internal static class PcmStream
{
    public const uint UnknownSize = uint.MaxValue;

    public static byte[] StreamingWavHeader(int sampleRate)
    {
        var h = new byte[44];
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), UnknownSize);
        "WAVEfmt "u8.CopyTo(h.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(20), 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(22), 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(28), sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(h.AsSpan(34), 16);
        "data"u8.CopyTo(h.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(40), UnknownSize);
        return h;
    }

    /// <summary>Samples in [-1, 1] as 16-bit PCM (clipped, rounded), followed by <paramref name="silence"/> zero samples.</summary>
    public static byte[] Pcm16(ReadOnlySpan<float> samples, int silence = 0)
    {
        var bytes = new byte[(samples.Length + silence) * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            float s = float.IsNaN(samples[i]) ? 0 : Math.Clamp(samples[i], -1f, 1f);
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)MathF.Round(s * short.MaxValue));
        }
        return bytes;
    }
}
