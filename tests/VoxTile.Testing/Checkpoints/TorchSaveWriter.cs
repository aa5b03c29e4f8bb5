using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using VoxTile.IR;

namespace VoxTile.Testing.Checkpoints;

/// <summary>
/// Writes checkpoint files the way torch.save (zip format) lays them out: a pickle of
/// <c>{'model': OrderedDict(name → _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())),
/// 'iteration': 0}</c> with <c>_metadata</c> attached by BUILD, plus one stored zip entry per storage.
/// </summary>
public sealed class TorchSaveWriter
{
    public enum Layout { VitsModel, OrderedDict, PlainDict }

    private sealed record Storage(string Key, string Type, byte[] Bytes, long Numel);
    private sealed record Entry(string Name, string StorageKey, long Offset, long[] Size, long[] Stride, string? AliasOf);

    private readonly List<Storage> _storages = [];
    private readonly List<Entry> _entries = [];

    public string Root { get; init; } = "archive";
    public string? ByteOrder { get; init; } = "little";
    public int Protocol { get; init; } = 2;
    /// <summary>Write each tensor as an nn.Parameter (a state dict saved with keep_vars=True).</summary>
    public bool AsParameters { get; init; }

    public TorchSaveWriter AddStorage(string key, string type, byte[] bytes, long numel)
    {
        _storages.Add(new Storage(key, type, bytes, numel));
        return this;
    }

    public TorchSaveWriter AddFloatStorage(string key, float[] values) =>
        AddStorage(key, "FloatStorage", MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), values.Length);

    /// <summary>A contiguous fp32 tensor in a storage of its own.</summary>
    public TorchSaveWriter Add(string name, Tensor t)
    {
        var key = _storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        AddFloatStorage(key, t.Data);
        return AddView(name, key, 0, t.Shape.Select(d => (long)d).ToArray(), Tensor.Strides(t.Shape));
    }

    public TorchSaveWriter AddView(string name, string storageKey, long offset, long[] size, long[] stride)
    {
        _entries.Add(new Entry(name, storageKey, offset, size, stride, null));
        return this;
    }

    /// <summary>The same tensor object under a second name: CPython writes a memo fetch, not a second rebuild.</summary>
    public TorchSaveWriter AddAlias(string name, string existing)
    {
        _entries.Add(new Entry(name, "", 0, [], [], existing));
        return this;
    }

    public byte[] Pickle(Layout layout = Layout.VitsModel)
    {
        var w = new PickleWriter(Protocol);
        switch (layout)
        {
            case Layout.VitsModel:
                w.EmptyDict().Mark().Str("model");
                WriteOrderedDict(w);
                w.Str("iteration").Int(0).SetItems();
                break;
            case Layout.OrderedDict:
                WriteOrderedDict(w);
                break;
            case Layout.PlainDict:
                w.EmptyDict();
                WriteItems(w);
                break;
        }
        return w.Stop().ToArray();
    }

    private void WriteOrderedDict(PickleWriter w)
    {
        w.Global("collections", "OrderedDict").EmptyTuple().Reduce();
        WriteItems(w);
        // state: {'_metadata': OrderedDict([('', {'version': 1})])}
        w.EmptyDict().Str("_metadata").Global("collections", "OrderedDict").EmptyTuple().Reduce()
            .Str("").EmptyDict().Str("version").Int(1).SetItem().SetItem()
            .SetItem().Build();
    }

    /// <summary>CPython's _batch_setitems: batches of 1000, MARK … SETITEMS, or a lone SETITEM for a batch of one.</summary>
    private void WriteItems(PickleWriter w)
    {
        var memoOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in _entries.Chunk(1000))
        {
            if (batch.Length > 1) w.Mark();
            foreach (var e in batch)
            {
                w.Str(e.Name);
                if (e.AliasOf is not null) w.Get(memoOf[e.AliasOf]);
                else memoOf[e.Name] = WriteTensor(w, e);
            }
            if (batch.Length > 1) w.SetItems(); else w.SetItem();
        }
    }

    private int WriteTensor(PickleWriter w, Entry e)
    {
        var s = _storages.First(x => x.Key == e.StorageKey);
        if (AsParameters) w.Global("torch._utils", "_rebuild_parameter");
        w.Global("torch._utils", "_rebuild_tensor_v2").Mark();
        w.Mark().Str("storage").Global("torch", s.Type).Str(s.Key).Str("cpu").Int(s.Numel).Tuple(5).BinPersId();
        w.Int(e.Offset);
        WriteInts(w, e.Size);
        WriteInts(w, e.Stride);
        w.False().Global("collections", "OrderedDict").EmptyTuple().Reduce();
        // CPython memoises what it rebuilt; a second reference to the same tensor is a memo fetch of that index.
        w.Tuple(6).Reduce(out int index);
        // _rebuild_parameter(data, requires_grad, backward_hooks)
        if (AsParameters) w.Op(0x88).Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple(3).Reduce(out index);
        return index;
    }

    private static void WriteInts(PickleWriter w, long[] values)
    {
        if (values.Length > 3) w.Mark();
        foreach (var v in values) w.Int(v);
        w.Tuple(values.Length);
    }

    public void Save(string path, Layout layout = Layout.VitsModel) => WriteZip(path, Entries(Pickle(layout)));

    /// <summary>The zip entries torch.save writes, around the given pickle.</summary>
    public IEnumerable<(string Name, byte[] Data)> Entries(byte[] pickle)
    {
        yield return ($"{Root}/data.pkl", pickle);
        if (ByteOrder is not null) yield return ($"{Root}/byteorder", Encoding.ASCII.GetBytes(ByteOrder));
        foreach (var s in _storages) yield return ($"{Root}/data/{s.Key}", s.Bytes);
        yield return ($"{Root}/version", "3\n"u8.ToArray());
    }

    public static void WriteZip(string path, IEnumerable<(string Name, byte[] Data)> entries)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, data) in entries)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
            using var s = entry.Open();
            s.Write(data);
        }
    }

    /// <summary>torch.save(tensor) of a contiguous fp32 tensor, as the released se files are written.</summary>
    public static void SaveTensor(string path, int[] shape, float[] values)
    {
        var strides = Tensor.Strides(shape);
        var w = new TorchSaveWriter().AddFloatStorage("0", values);
        var p = new PickleWriter();
        p.Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().Str("storage").Global("torch", "FloatStorage").Str("0").Str("cpu").Int(values.Length).Tuple(5).BinPersId()
            .Int(0);
        foreach (var d in shape) p.Int(d);
        p.Tuple(shape.Length);
        foreach (var s in strides) p.Int((int)s);
        p.Tuple(shape.Length)
            .False().Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple(6).Reduce().Stop();
        TorchSaveWriter.WriteZip(path, w.Entries(p.ToArray()));
    }
}
