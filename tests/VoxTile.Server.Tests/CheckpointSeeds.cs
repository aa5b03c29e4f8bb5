using VoxTile.IR;
using VoxTile.Testing.Checkpoints;

namespace VoxTile.Server.Tests;

/// <summary>
/// The checkpoint reader's fuzz seeds, written when the tests run rather than kept as .pth files in the repository (no
/// model or tensor file is tracked): the same five scripts/fuzz_seeds.py writes for scripts/fuzz.sh.
/// </summary>
internal static class CheckpointSeeds
{
    // A fuzzer's finding kept byte for byte: a zip whose entry name holds a newline (names are now quoted printable).
    private const string EntryNameNewline =
        "UEsDBBQAAAAAACp4hl2R1fvlIQAAACEAAAAQAAAAYXJjaGkAAAAAAACAAQAAAABhcmNoaXZ5c3RlbQpxAFgEAAAAdHJ1ZXEBhXECUnEDLlBLAwQUAAAAAAAqeIZd0Z5nVQIAAAACAAAADwAAAGFyY2hpdmUvdmVyc2lvbjMKUEsBAhQDFAAAAAAAKniGXZHV++UhAAAAIQAAABAAAAAAAHZlL2RhdGEucGtsgAJjb3MKc2UvZGF0YS5wa2xQSwECFAMUAAAAAAAqeIZd0Z5nVWQAAAACAAAADwAAAAAAAAAAAAAAgAFPAAAAYXJjaGl2ZS92ZXJzaW9uUEsFBgAAAAACAAIAewAAAH4AAAAAAA==";

    public static void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        float[] Line(int n) => [.. Enumerable.Range(0, n).Select(i => -1f + 2f * i / Math.Max(1, n - 1))];
        new TorchSaveWriter().Add("enc.weight", new Tensor([2, 3], Line(6))).Add("enc.bias", new Tensor([2], [0.5f, -0.5f]))
            .Save(Path.Combine(dir, "vits-model.pth"));
        new TorchSaveWriter { Root = "checkpoint" }.Add("enc.weight", new Tensor([3, 2], Line(6)))
            .Save(Path.Combine(dir, "plain-dict.pth"), TorchSaveWriter.Layout.PlainDict);
        // one bare tensor, as OpenVoice's released se .pth files hold
        TorchSaveWriter.SaveTensor(Path.Combine(dir, "se.pth"), [1, 8, 1], Line(8));
        // a pickle naming a global outside the allow-list (os.system): refused before anything is unpickled
        var evil = new PickleWriter().Global("os", "system").Str("true").Tuple(1).Reduce().Stop().ToArray();
        TorchSaveWriter.WriteZip(Path.Combine(dir, "forbidden-global.pth"), new TorchSaveWriter().Entries(evil));
        File.WriteAllBytes(Path.Combine(dir, "regression-entry-name-newline.pth"), Convert.FromBase64String(EntryNameNewline));
    }
}
