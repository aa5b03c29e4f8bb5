using System.IO.Compression;
using VoxTile.IR;
using VoxTile.IR.IO;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// NumPy <c>.npz</c> files: an uncompressed zip with one float32 <c>NAME.npy</c> per tensor (<see cref="Npy"/>), as
/// <c>np.savez</c> writes them; <c>np.load(path)[NAME]</c> reads one back. Entries carry a fixed timestamp, so the
/// same tensors always give the same bytes.
/// </summary>
public static class Npz
{
    private static readonly DateTimeOffset Stamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors) =>
        AtomicFile.Write(path, s => Write(s, tensors));

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var writer = new Writer(stream);
        foreach (var (name, t) in tensors) writer.Add(name, t);
    }

    /// <summary>
    /// Writes <paramref name="path"/> entry by entry as <paramref name="produce"/> hands tensors to its sink, each
    /// written through to the file at once, so a producer of many large tensors (a reference interpreter's
    /// intermediates) holds none of them; through a temporary file, as <see cref="Write(string, IEnumerable{KeyValuePair{string, Tensor}})"/>.
    /// </summary>
    public static T Stream<T>(string path, Func<Action<string, Tensor>, T> produce)
    {
        T result = default!;
        AtomicFile.Write(path, s =>
        {
            using var writer = new Writer(s);
            result = produce(writer.Add);
        });
        return result;
    }

    /// <summary>An .npz being written: each <see cref="Add"/> streams one entry into the archive (the stream is seekable, so nothing is buffered whole).</summary>
    private sealed class Writer(Stream stream) : IDisposable
    {
        private readonly ZipArchive _zip = new(stream, ZipArchiveMode.Create, leaveOpen: true);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public void Add(string name, Tensor t)
        {
            if (!_names.Add(name)) throw new ArgumentException($"two tensors named {name} in one .npz");
            var entry = _zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
            entry.LastWriteTime = Stamp;
            using var e = entry.Open();
            Npy.Write(e, t);
        }

        public void Dispose() => _zip.Dispose();
    }

    /// <summary>Every tensor of an .npz, by name (float32, float64 and integer entries as fp32).</summary>
    public static IReadOnlyDictionary<string, Tensor> Read(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                using var s = entry.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                result[entry.FullName[..^4]] = Npy.Read(ms.ToArray(), $"{path}:{entry.FullName}");
            }
            return result;
        }
        catch (InvalidDataException e) { throw new VoxTileException($"{path}: not an .npz file ({e.Message})"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new VoxTileException($"cannot read {path}: {e.Message}"); }
    }
}
