using System.IO.Compression;
using System.Text;
using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// The zip container torch.save writes since torch 1.6: <c>&lt;root&gt;/data.pkl</c>, <c>&lt;root&gt;/data/&lt;key&gt;</c>
/// (raw storages), <c>&lt;root&gt;/version</c> and, from torch 2, <c>&lt;root&gt;/byteorder</c>. The root folder is the
/// file name the checkpoint was first saved under ("archive" in recent torch), so it is found, not assumed.
/// </summary>
internal sealed class TorchZip : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    private TorchZip(ZipArchive zip, string what)
    {
        _zip = zip;
        What = what;
        foreach (var e in zip.Entries) _entries.TryAdd(e.FullName.Replace('\\', '/'), e);
        var pickles = _entries.Keys.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length).ToList();
        if (pickles.Count == 0)
            throw new VoxTileException($"{what}: no <root>/data.pkl entry in the zip (not a torch.save checkpoint)");
        if (pickles.Count > 1)
            throw new VoxTileException($"{what}: several data.pkl entries ({FileText.Printable(string.Join(", ", pickles.Order(StringComparer.Ordinal)))})");
        Root = pickles[0][..^"data.pkl".Length];
        if (_entries.TryGetValue(Root + "byteorder", out var order))
        {
            var text = Encoding.ASCII.GetString(ReadEntry(order)).Trim();
            if (text == "big")
                throw new VoxTileException($"{what}: the checkpoint was saved on a big-endian machine; re-save it on a little-endian one");
            if (text != "little")
                throw new VoxTileException($"{what}: unknown byteorder '{FileText.Printable(text)}'");
        }
    }

    public string What { get; }

    /// <summary>The archive folder with its trailing slash, e.g. "checkpoint/".</summary>
    public string Root { get; }

    public static TorchZip Open(string path, string what)
    {
        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
            try { return new TorchZip(zip, what); }
            catch { zip.Dispose(); throw; }
        }
        catch (InvalidDataException e)
        {
            stream?.Dispose();
            throw new VoxTileException($"{what}: not a readable zip archive, the file may be truncated or damaged ({OneLine(e.Message)})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            throw new VoxTileException($"{what}: cannot read the file ({OneLine(e.Message)})", e);
        }
    }

    public byte[] ReadPickle() => ReadEntry(_entries[Root + "data.pkl"]);

    /// <summary>The storage <paramref name="key"/>: its entry must exist and hold at least numel elements.</summary>
    public StorageRef Storage(string key, StorageDType dtype, long numel)
    {
        var name = Root + "data/" + key;
        if (!_entries.TryGetValue(name, out var entry))
            throw new VoxTileException($"{What}: storage '{FileText.Printable(key)}' is missing (no zip entry {FileText.Printable(name)})");
        int element = TorchStorageType.ElementSize(dtype);
        if (numel < 0 || numel > entry.Length / element)
            throw new VoxTileException($"{What}: storage '{FileText.Printable(key)}' holds {entry.Length} bytes but the pickle says {numel} elements of {TorchStorageType.ElementSize(dtype)} bytes (truncated?)");
        return new StorageRef(key, name, dtype, numel, entry.Length);
    }

    public byte[] ReadStorage(StorageRef storage) => ReadEntry(_entries[storage.EntryName]);

    private byte[] ReadEntry(ZipArchiveEntry entry)
    {
        try
        {
            if (entry.Length > Array.MaxLength)
                throw new VoxTileException($"{What}: zip entry {FileText.Printable(entry.FullName)} is too large ({entry.Length} bytes)");
            var bytes = new byte[entry.Length];
            using var s = entry.Open();
            s.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new VoxTileException($"{What}: cannot read zip entry {FileText.Printable(entry.FullName)}, the file may be truncated or damaged ({OneLine(e.Message)})", e);
        }
    }

    internal static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    public void Dispose() => _zip.Dispose();
}
