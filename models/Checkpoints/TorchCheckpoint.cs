using System.Collections;
using VoxTile.IR;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// Reads the released PyTorch checkpoints (<c>torch.save</c> zip format, torch ≥ 1.6) without Python. Reading never runs
/// anything the file names: the pickle's globals are checked against an allow-list of tensor-rebuilding functions first,
/// and every failure is a one-line <see cref="VoxTileException"/> naming the file.
/// </summary>
public static class TorchCheckpoint
{
    // torch.save's legacy (pre-1.6) format starts with the pickled magic number 0x1950a86a20f9469cfc6c:
    // PROTO 2, LONG1 with 10 little-endian bytes.
    private static ReadOnlySpan<byte> LegacyMagic => [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>
    /// Load the state dict of a checkpoint: <c>ckpt['model']</c> when present (VITS/OpenVoice training layout), else the
    /// top-level dict when it maps names to tensors. Weight-norm pairs are folded (see <see cref="StateDict"/>).
    /// </summary>
    public static StateDict Load(string path)
    {
        var what = $"checkpoint {path}";
        var (top, zip) = ReadTop(path, what);
        using var _ = zip;
        var materializer = new TensorMaterializer(zip);
        Hashtable dict = top switch
        {
            Hashtable h when h["model"] is Hashtable model => model,
            Hashtable h when h.ContainsKey("model") => throw new VoxTileException($"{what}: 'model' is not a dict of tensors"),
            Hashtable h when h.Values.Cast<object?>().All(v => v is PickledTensor) => h,
            Hashtable h => throw new VoxTileException(
                $"{what}: no state dict found (expected a 'model' entry or a dict of tensors; top-level keys: {string.Join(", ", h.Keys.Cast<object>().Select(k => $"'{FileText.Printable($"{k}")}'").Order(StringComparer.Ordinal))})"),
            PickledTensor => throw new VoxTileException($"{what}: holds a single tensor, not a state dict"),
            _ => throw new VoxTileException($"{what}: the pickle holds {Describe(top)}, not a dict of tensors"),
        };
        var tensors = new List<KeyValuePair<string, Tensor>>(dict.Count);
        foreach (var key in OrderedKeys(dict))
        {
            if (key is not string name)
                throw new VoxTileException($"{what}: state dict key {FileText.Printable($"{key}")} is not a string");
            if (dict[key] is not PickledTensor t)
                throw new VoxTileException($"{what}: state dict entry '{FileText.Printable(name)}' is {Describe(dict[key])}, not a tensor");
            tensors.Add(new(name, materializer.Materialize(name, t)));
        }
        return StateDict.Create(tensors, what);
    }

    /// <summary>Load a checkpoint that holds one tensor (torch.save(tensor), like OpenVoice's tone-color <c>se.pth</c> files).</summary>
    public static Tensor LoadTensor(string path)
    {
        var what = $"checkpoint {path}";
        var (top, zip) = ReadTop(path, what);
        using var _ = zip;
        return top is PickledTensor t
            ? new TensorMaterializer(zip).Materialize("<root>", t)
            : throw new VoxTileException($"{what}: holds {Describe(top)}, not a single tensor");
    }

    /// <summary>Check the container and the pickle and unpickle it; the caller owns the open zip (tensors are read lazily).</summary>
    private static (object? Top, TorchZip Zip) ReadTop(string path, string what)
    {
        CheckContainer(path, what);
        var zip = TorchZip.Open(path, what);
        try
        {
            var pickle = zip.ReadPickle();
            PickleGlobalScanner.EnsureOnlyAllowed(pickle, what);
            // Razorvine's constructor table is process-wide: make sure ours are the ones it will call.
            if (!CheckpointUnpickler.OwnsConstructors)
                throw new InvalidOperationException("Razorvine's constructors for torch checkpoints were replaced by other code in this process");
            try
            {
                using var unpickler = new CheckpointUnpickler(zip);
                return (unpickler.loads(pickle), zip);
            }
            catch (Exception e) when (e is not VoxTileException and not OutOfMemoryException)
            {
                var inner = e is Razorvine.Pickle.PickleException { InnerException: { } ie } ? ie : e;
                throw new VoxTileException($"{what}: malformed pickle data ({TorchZip.OneLine(inner.Message)})", e);
            }
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    private static void CheckContainer(string path, string what)
    {
        Span<byte> head = stackalloc byte[16];
        int n;
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VoxTileException($"{what}: cannot read the file ({TorchZip.OneLine(e.Message)})", e);
        }
        head = head[..n];
        if (head.StartsWith(LegacyMagic))
            throw new VoxTileException($"{what}: legacy (pre-1.6) torch.save format is not supported; re-save it with torch >= 1.6 (torch.save(torch.load(p), p))");
        if (head.Length > 0 && head[0] == 0x80)
            throw new VoxTileException($"{what}: a bare pickle, not a torch.save zip checkpoint");
        if (!head.StartsWith("PK\x03\x04"u8))
            throw new VoxTileException($"{what}: not a PyTorch checkpoint (expected the zip archive torch.save writes)");
    }

    private static IEnumerable<object> OrderedKeys(Hashtable dict) =>
        dict is PickledOrderedDict od
            ? od.OrderedKeys()
            // A plain dict lost its order in Razorvine's Hashtable; tensors were created in file order.
            : dict.Keys.Cast<object>().OrderBy(k => dict[k] is PickledTensor t ? t.Sequence : long.MaxValue).ThenBy(k => k.ToString(), StringComparer.Ordinal);

    private static string Describe(object? o) => o switch
    {
        null => "None",
        string => "a string",
        int or long or System.Numerics.BigInteger => "an integer",
        double => "a float",
        bool => "a bool",
        Hashtable => "a dict",
        ArrayList => "a list",
        object[] => "a tuple",
        PickledTensor => "a tensor",
        _ => "a " + o.GetType().Name,
    };
}
