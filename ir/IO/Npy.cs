using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VoxTile.IR.IO;

/// <summary>
/// NumPy .npy v1/v2/v3 reader and v1 writer. Reads little-endian float32, float64, float16, int64, int32, int16,
/// uint8 and bool arrays in C order into fp32 tensors; writes float32.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static Tensor Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new VoxTileException($"cannot read {path}: {e.Message}"); }
        return Read(bytes, path);
    }

    public static Tensor Read(ReadOnlySpan<byte> bytes, string what = "npy data")
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new VoxTileException($"{what}: not a NumPy .npy file");
        int major = bytes[6];
        int headerLen, start;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]); start = 10; }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12) throw new VoxTileException($"{what}: truncated .npy header");
            headerLen = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])); start = 12;
        }
        else throw new VoxTileException($"{what}: unsupported .npy version {major}");
        if (start + headerLen > bytes.Length) throw new VoxTileException($"{what}: truncated .npy header");
        var header = Encoding.Latin1.GetString(bytes.Slice(start, headerLen));
        var descr = DescrRe().Match(header);
        var order = OrderRe().Match(header);
        var shapeM = ShapeRe().Match(header);
        if (!descr.Success || !order.Success || !shapeM.Success)
            throw new VoxTileException($"{what}: malformed .npy header '{header.Trim()}'");
        if (order.Groups[1].Value == "True")
            throw new VoxTileException($"{what}: Fortran-order arrays are not supported");
        var shape = shapeM.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long count = Tensor.Count(shape);
        var data = new float[count];
        var body = bytes[(start + headerLen)..];
        string d = descr.Groups[1].Value;
        int size = d switch
        {
            "<f4" => 4, "<f8" => 8, "<f2" => 2, "<i8" => 8, "<i4" => 4, "<i2" => 2, "|u1" => 1, "|b1" => 1, "|i1" => 1,
            _ => throw new VoxTileException($"{what}: unsupported dtype '{d}' (little-endian float or int expected)"),
        };
        if (body.Length < count * size)
            throw new VoxTileException($"{what}: truncated data ({body.Length} bytes for {count} values of {size} bytes)");
        for (long i = 0; i < count; i++)
        {
            var s = body.Slice((int)(i * size), size);
            data[i] = d switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(s),
                "<f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(s),
                "<f2" => (float)BinaryPrimitives.ReadHalfLittleEndian(s),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(s),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(s),
                "<i2" => BinaryPrimitives.ReadInt16LittleEndian(s),
                "|i1" => (sbyte)s[0],
                _ => s[0],
            };
        }
        return new Tensor(shape, data);
    }

    /// <summary>Writes float32 .npy; through a temporary file so a failure never leaves a partial file.</summary>
    public static void Write(string path, Tensor t) => AtomicFile.Write(path, stream => Write(stream, t));

    public static void Write(Stream stream, Tensor t)
    {
        var shape = t.Rank == 1 ? $"({t.Shape[0]},)" : "(" + string.Join(", ", t.Shape) + ")";
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        stream.Write(Magic);
        stream.WriteByte(1); stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        stream.Write(len);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var buf = new byte[4 * 4096];
        for (long i = 0; i < t.Length; i += 4096)
        {
            int n = (int)Math.Min(4096, t.Length - i);
            for (int j = 0; j < n; j++) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(4 * j), t.Data[i + j]);
            stream.Write(buf, 0, 4 * n);
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")] private static partial Regex DescrRe();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex OrderRe();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRe();
}
