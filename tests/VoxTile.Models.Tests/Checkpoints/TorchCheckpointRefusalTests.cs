using System.Text;
using VoxTile.IR;
using VoxTile.Models.Checkpoints;
using VoxTile.Testing.Checkpoints;

namespace VoxTile.Models.Tests.Checkpoints;

/// <summary>Everything that is not a plain torch.save state dict fails with one line naming the file.</summary>
public sealed class TorchCheckpointRefusalTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static VoxTileException Refused(string path)
    {
        var e = Assert.Throws<VoxTileException>(() => TorchCheckpoint.Load(path));
        Assert.StartsWith($"checkpoint {path}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private string ZipWithPickle(string name, byte[] pickle)
    {
        var path = _dir.File(name);
        TorchSaveWriter.WriteZip(path, new TorchSaveWriter().Entries(pickle));
        return path;
    }

    [Fact]
    public void RefusesOsSystem()
    {
        // A classic payload: os.system('touch pwned') via GLOBAL + REDUCE.
        var p = new PickleWriter().Global("os", "system").Str("touch pwned").Tuple(1).Reduce().Stop().ToArray();
        var path = ZipWithPickle("os.pth", p);

        var e = Refused(path);

        Assert.Equal($"checkpoint {path}: forbidden pickle global 'os.system' (only tensors may be loaded)", e.Message);
    }

    [Fact]
    public void RefusesBuiltinsEvalThroughStackGlobal()
    {
        var p = new PickleWriter(4).Global("builtins", "eval").Str("1+1").Tuple(1).Reduce().Stop().ToArray();

        var e = Refused(ZipWithPickle("eval.pth", p));

        Assert.Contains("forbidden pickle global 'builtins.eval'", e.Message);
    }

    [Fact]
    public void RefusesAForbiddenGlobalHiddenInsideAValidStateDict()
    {
        // A real-looking checkpoint whose BUILD state smuggles in a call: the scan sees it even though the top level is fine.
        var w = new TorchSaveWriter().Add("a", new Tensor([1], [1]));
        var good = w.Pickle();
        var evil = new PickleWriter().Global("subprocess", "Popen").Str("ls").Tuple(1).Reduce().Op((byte)'0').ToArray();
        // Splice the payload in after the PROTO header; POP keeps the stack balanced, so an unchecked loader would run it.
        var p = good[..2].Concat(evil[2..]).Concat(good[2..]).ToArray();

        var e = Refused(ZipWithPickle("smuggled.pth", p));

        Assert.Contains("'subprocess.Popen'", e.Message);
    }

    [Fact]
    public void RefusesStackGlobalWithComputedOperands()
    {
        // STACK_GLOBAL whose operands are not two plain strings pushed right before it cannot be named, so it is refused.
        var p = new PickleWriter(4).Str("os").Str("sys").Op((byte)'0').Str("system").Op(0x93).Stop().ToArray();

        var e = Refused(ZipWithPickle("computed.pth", p));

        Assert.Contains("forbidden pickle global", e.Message);
    }

    [Fact]
    public void RefusesModelClasses()
    {
        var p = new PickleWriter().Global("openvoice.models", "SynthesizerTrn").EmptyTuple().Reduce().Stop().ToArray();

        Assert.Contains("'openvoice.models.SynthesizerTrn'", Refused(ZipWithPickle("class.pth", p)).Message);
    }

    [Fact]
    public void RefusesTheLegacyFormat()
    {
        var path = _dir.File("legacy.pth");
        byte[] legacy = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e];
        File.WriteAllBytes(path, legacy);

        var e = Refused(path);

        Assert.Contains("legacy", e.Message);
        Assert.Contains("re-save it with torch >= 1.6", e.Message);
    }

    [Fact]
    public void RefusesATruncatedFile()
    {
        var full = _dir.File("full.pth");
        new TorchSaveWriter().Add("a", new Tensor([64], new float[64])).Add("b", new Tensor([64], new float[64])).Save(full);
        var bytes = File.ReadAllBytes(full);
        var path = _dir.File("truncated.pth");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        Assert.Contains("truncated", Refused(path).Message);
    }

    [Fact]
    public void RefusesATextFile()
    {
        var path = _dir.File("config.json");
        File.WriteAllText(path, "{\"model\": {}}\n");

        Assert.Contains("not a PyTorch checkpoint", Refused(path).Message);
    }

    [Fact]
    public void RefusesAnEmptyFileAndAMissingFile()
    {
        var empty = _dir.File("empty.pth");
        File.WriteAllBytes(empty, []);
        Refused(empty);

        var missing = _dir.File("nope.pth");
        Assert.Contains("cannot read", Refused(missing).Message);
    }

    [Fact]
    public void RefusesAZipWithoutDataPkl()
    {
        var path = _dir.File("other.zip");
        TorchSaveWriter.WriteZip(path, [("readme.txt", Encoding.UTF8.GetBytes("hello"))]);

        Assert.Contains("data.pkl", Refused(path).Message);
    }

    [Fact]
    public void RefusesAMissingStorageEntry()
    {
        var w = new TorchSaveWriter().Add("a", new Tensor([4], [1, 2, 3, 4]));
        var path = _dir.File("nostorage.pth");
        TorchSaveWriter.WriteZip(path, w.Entries(w.Pickle()).Where(e => !e.Name.Contains("/data/")));

        var e = Refused(path);

        Assert.Contains("storage '0' is missing", e.Message);
    }

    [Fact]
    public void RefusesAShortStorageAndAViewOutsideIt()
    {
        var shortPath = _dir.File("short.pth");
        new TorchSaveWriter().AddStorage("0", "FloatStorage", new byte[12], 4).AddView("a", "0", 0, [4], [1]).Save(shortPath);
        Assert.Contains("holds 12 bytes", Refused(shortPath).Message);

        var outside = _dir.File("outside.pth");
        new TorchSaveWriter().AddFloatStorage("0", new float[6]).AddView("a", "0", 2, [2, 3], [3, 1]).Save(outside);
        var e = Refused(outside);
        Assert.Contains("tensor 'a'", e.Message);
        Assert.Contains("storage '0'", e.Message);
    }

    [Fact]
    public void RefusesBigEndianCheckpoints()
    {
        var path = _dir.File("big.pth");
        new TorchSaveWriter { ByteOrder = "big" }.Add("a", new Tensor([1], [1])).Save(path);

        Assert.Contains("big-endian", Refused(path).Message);
    }

    [Fact]
    public void RefusesAStateDictWithNonTensorValues()
    {
        var p = new PickleWriter().EmptyDict().Mark().Str("model").EmptyDict().Str("lr").Int(3).SetItem()
            .Str("iteration").Int(0).SetItems().Stop().ToArray();

        Assert.Contains("state dict entry 'lr' is an integer, not a tensor", Refused(ZipWithPickle("lr.pth", p)).Message);
    }

    [Fact]
    public void RefusesATopLevelThatIsNotAStateDict()
    {
        var p = new PickleWriter().EmptyDict().Str("epoch").Int(3).SetItem().Stop().ToArray();

        Assert.Contains("no state dict found", Refused(ZipWithPickle("epoch.pth", p)).Message);
    }

    [Fact]
    public void RefusesGarbagePickleData()
    {
        var e = Refused(ZipWithPickle("garbage.pth", [0x80, 0x02, 0xff, 0x2e]));
        Assert.Contains("unknown opcode", e.Message);

        var cut = new TorchSaveWriter().Add("a", new Tensor([1], [1])).Pickle();
        Assert.Contains("truncated pickle", Refused(ZipWithPickle("cut.pth", cut[..(cut.Length / 2)])).Message);
    }
}
