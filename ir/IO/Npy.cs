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
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            if (length > bytes.Length) throw new VoxTileException($"{what}: truncated .npy header");
            headerLen = (int)length; start = 12;
        }
        else throw new VoxTileException($"{what}: unsupported .npy version {major}");
        if ((long)start + headerLen > bytes.Length) throw new VoxTileException($"{what}: truncated .npy header");
        var header = Encoding.Latin1.GetString(bytes.Slice(start, headerLen));
        var descr = DescrRe().Match(header);
        var order = OrderRe().Match(header);
        var shapeM = ShapeRe().Match(header);
        if (!descr.Success || !order.Success || !shapeM.Success)
            throw new VoxTileException($"{what}: malformed .npy header '{Printable(header.Trim())}'");
        if (order.Groups[1].Value == "True")
            throw new VoxTileException($"{what}: Fortran-order arrays are not supported");
        var shape = Shape(shapeM.Groups[1].Value, what);
        var body = bytes[(start + headerLen)..];
        string d = descr.Groups[1].Value;
        int size = d switch
        {
            "<f4" => 4, "<f8" => 8, "<f2" => 2, "<i8" => 8, "<i4" => 4, "<i2" => 2, "|u1" => 1, "|b1" => 1, "|i1" => 1,
            _ => throw new VoxTileException($"{what}: unsupported dtype '{Printable(d)}' (little-endian float or int expected)"),
        };
        // The size the header claims is checked against the bytes there before anything is allocated for it.
        long count = 1;
        foreach (var dim in shape) count = Math.Min(count * dim, int.MaxValue + 1L); // capped past any array: never overflows
        if (count * size > body.Length)
            throw new VoxTileException($"{what}: truncated data ({body.Length} bytes for {(count > int.MaxValue ? $"shape ({string.Join(", ", shape)})" : $"{count} values")} of {size} bytes)");
        var data = new float[count];
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

    // The dims of a header's shape tuple: "3, 4" or "5," (a 1-d shape) or "" (a scalar).
    private static int[] Shape(string tuple, string what)
    {
        var dims = tuple.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new VoxTileException($"{what}: the .npy shape ({Printable(tuple)}) is not a tuple of sizes");
        return shape;
    }

    // Header text quoted in a message: one line (control characters as '?'), at most 80 characters.
    private static string Printable(string text)
    {
        var line = new string([.. text.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 80 ? line + "…" : line;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")] private static partial Regex DescrRe();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex OrderRe();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRe();
}
