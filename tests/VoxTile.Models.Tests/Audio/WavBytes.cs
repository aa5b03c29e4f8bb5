using System.Buffers.Binary;

namespace VoxTile.Models.Tests.Audio;

/// <summary>Builds WAV files byte by byte, so tests can make headers no writer of ours would produce.</summary>
public static class WavBytes
{
    /// <summary>RIFF/WAVE around the chunks; odd-sized chunks get their pad byte unless <paramref name="pad"/> is false.</summary>
    public static byte[] Riff(IEnumerable<(string Id, byte[] Body)> chunks, bool pad = true)
    {
        var ms = new MemoryStream();
        ms.Write("RIFF"u8);
        ms.Write(new byte[4]);
        ms.Write("WAVE"u8);
        foreach (var (id, body) in chunks) Chunk(ms, id, body, body.Length, pad);
        var b = ms.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(b.Length - 8));
        return b;
    }

    public static byte[] Riff(params (string Id, byte[] Body)[] chunks) => Riff(chunks.AsEnumerable());

    public static void Chunk(Stream s, string id, byte[] body, long declaredSize, bool pad = true)
    {
        s.Write(System.Text.Encoding.ASCII.GetBytes(id));
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)declaredSize);
        s.Write(size);
        s.Write(body);
        if (pad && (body.Length & 1) == 1) s.WriteByte(0);
    }

    /// <summary>A plain 16-byte fmt chunk body.</summary>
    public static byte[] Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        var b = new byte[16];
        int align = blockAlign ?? channels * ((bits + 7) / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body whose sub-format GUID is the standard one for <paramref name="subTag"/>.</summary>
    public static byte[] FmtExtensible(ushort subTag, int channels, int rate, int containerBits, int validBits, bool standardGuid = true)
    {
        var b = new byte[40];
        Fmt(0xFFFE, channels, rate, containerBits).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), channels == 2 ? 3u : 4u);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(24), subTag);
        byte[] suffix = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        if (!standardGuid) suffix[^1] = 0x72;
        suffix.CopyTo(b, 26);
        return b;
    }

    public static byte[] Int16(params short[] v)
    {
        var b = new byte[2 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), v[i]);
        return b;
    }

    public static byte[] Int24(params int[] v)
    {
        var b = new byte[3 * v.Length];
        for (int i = 0; i < v.Length; i++) { b[3 * i] = (byte)v[i]; b[3 * i + 1] = (byte)(v[i] >> 8); b[3 * i + 2] = (byte)(v[i] >> 16); }
        return b;
    }

    public static byte[] Int32(params int[] v)
    {
        var b = new byte[4 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4 * i), v[i]);
        return b;
    }

    public static byte[] Float32(params float[] v)
    {
        var b = new byte[4 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), v[i]);
        return b;
    }

    public static byte[] Float64(params double[] v)
    {
        var b = new byte[8 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), v[i]);
        return b;
    }
}
