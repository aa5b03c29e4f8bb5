using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using VoxTile.IR;
using VoxTile.IR.IO;

namespace VoxTile.Lowering.Plan;

/// <summary>
/// The <c>.vtp</c> file: magic <c>VOXTPLAN</c>, a little-endian u32 format version, a u64 header length, the header
/// (the plan as UTF-8 JSON without its blob), the blob of packed weights, then a SHA-256 of everything before it.
/// A wrong magic, another format version or a checksum mismatch is a one-line error naming the file.
/// </summary>
public static class PlanFile
{
    private static ReadOnlySpan<byte> Magic => "VOXTPLAN"u8;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(string path, DevicePlan plan) => AtomicFile.Write(path, s => Write(s, plan));

    public static void Write(Stream stream, DevicePlan plan)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(plan with { Blob = [] }, Json);
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)plan.Format);
        buffer.Write(u32);
        Span<byte> u64 = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(u64, (ulong)header.Length);
        buffer.Write(u64);
        buffer.Write(header);
        buffer.Write(plan.Blob);
        var hash = SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        buffer.Write(hash);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    public static DevicePlan Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new VoxTileException($"cannot read plan {path}: {e.Message}"); }
        return Read(bytes, path);
    }

    public static DevicePlan Read(byte[] bytes, string what)
    {
        if (bytes.Length < 8 || !bytes.AsSpan(0, 8).SequenceEqual(Magic)) throw new VoxTileException($"{what}: not a VoxTile device plan");
        if (bytes.Length < 20 + 32) throw new VoxTileException($"{what}: truncated device plan");
        uint format = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (format != DevicePlan.CurrentFormat)
            throw new VoxTileException($"{what}: plan format {format}, this VoxTile reads format {DevicePlan.CurrentFormat}; recompile it with `voxtile compile`");
        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new VoxTileException($"{what}: checksum mismatch (the plan file is corrupted or truncated)");
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        if (headerLen > (ulong)(body.Length - 20)) throw new VoxTileException($"{what}: corrupted plan header");
        DevicePlan plan;
        try
        {
            plan = JsonSerializer.Deserialize<DevicePlan>(bytes.AsSpan(20, (int)headerLen), Json)
                ?? throw new VoxTileException($"{what}: empty plan header");
        }
        catch (JsonException e) { throw new VoxTileException($"{what}: unreadable plan header ({Printable(e.Message)})"); }
        CheckComplete(plan, what);
        var blob = bytes.AsSpan(20 + (int)headerLen, body.Length - 20 - (int)headerLen).ToArray();
        foreach (var t in plan.Tensors)
            if (t.BlobOffset >= 0 && t.BlobOffset + t.BlobLength > blob.Length)
                throw new VoxTileException($"{what}: tensor {t.Name} points outside the weight blob");
        return plan with { Blob = blob };
    }

    // JSON can say null where the plan needs a list or a name; refused here, so no reader meets a null.
    private static void CheckComplete(DevicePlan plan, string what)
    {
        if (plan.Target is null || plan.Tensors is null || plan.Inputs is null || plan.Outputs is null || plan.Steps is null)
            throw new VoxTileException($"{what}: corrupted plan header (target, tensors, inputs, outputs or steps missing)");
        if (plan.Tensors.Any(t => t is null || t.Type is null || t.Name is null))
            throw new VoxTileException($"{what}: corrupted plan header (a tensor without a name or a type)");
        if (plan.Steps.Any(s => s is null || s.Op is null || s.Inputs is null || s.Attributes is null))
            throw new VoxTileException($"{what}: corrupted plan header (a step without an op, inputs or attributes)");
    }

    // A parser's message quotes the text it choked on, which can hold anything: one line, at most 160 characters.
    private static string Printable(string text)
    {
        var line = new string([.. text.Take(160).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 160 ? line + "…" : line;
    }

    /// <summary>A short hex digest for cache keys and model hashes.</summary>
    public static string Digest(params byte[][] parts)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in parts) h.AppendData(p);
        return Convert.ToHexString(h.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
