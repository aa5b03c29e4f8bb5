using System.Text;

namespace VoxTile.Fuzz;

/// <summary>
/// The .npy corpus, written rather than tracked (no tensor file is kept in the repository): one seed per path of the
/// reader (each dtype it takes or refuses, Fortran order, big-endian, a scalar, an empty array, a version 2.0 header),
/// as numpy's <c>np.save</c> lays them out, and the inputs a fuzzer found, byte for byte, each the test of a fix.
/// <c>voxtile-fuzz seeds npy DIR</c> writes them for scripts/fuzz.sh; ReaderCorpusTests writes them for its replay.
/// </summary>
public static class NpySeeds
{
    // What the fuzzer found (README "Fuzzing"): headers with newlines, shapes with letters, negatives, overflow, a v2 header length of 2³¹.
    private static readonly Dictionary<string, string> Regressions = new()
    {
        ["regression-dtype-newline.npy"] = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0DSwgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLAAAACAgICAgIN8gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAFICAgICAgICAgICAgICAgIAo=",
        ["regression-header-newline.npy"] = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWyAAA0AJ3MAAHBlJzo8KDBLIDMpLBAAIBogICAgICAgQiAgICA7ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgOiBGYWyAAAAAJ2x4AAQAAAAnc3ggICAgICAgVU1QWQEAICAgICAgICAgICAgCgAAAQACAGFhICAgICAgIAo=",
        ["regression-huge-shape.npy"] = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEwMDAwMCwgMTAwMDAwLCAxMDAwMDApLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAA==",
        ["regression-negative-dimension.npy"] = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwMJwFOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJyAgICAgICAsICdzaGFwZSc6ICgwLC0zKSwgfSA6IEZhbHM=",
        ["regression-shape-not-a-digit.npy"] = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKM8sIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAA/yAgICAgICAgICAgIAo=",
        ["regression-shape-not-a-number.npy"] = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAAAAgAgICAgICksIH0gICAgICAgICAgICAgICAgICAgIAo=",
        ["regression-shape-overflow.npy"] = "k05VTVBZAgCenp6enp6enp6enp6enp6enp6enp52AHsnZGVzY3InOCAnPGk0Jzd9ICAgICAgAAAAAAAAAAAAICAgICAgICAgICAgICAgICAgICAgICAgESAgICAgICAgICAgICAgICAgICBjcic6ICc8AQAAAAIAAAADAAAA",
        ["regression-v2-header-length-2g.npy"] = "k05VTVBZAgDw////e30=",
    };

    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        void Put(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(folder, name), bytes);
        Put("f32-se.npy", Npy("<f4", "(1, 16, 1)", Floats(16, i => (float)(-1.0 + 2.0 * i / 15))));
        Put("f64-2d.npy", Npy("<f8", "(2, 3)", Values(6, 8, (s, i) => BitConverter.TryWriteBytes(s, (double)i))));
        Put("f16.npy", Npy("<f2", "(5,)", Values(5, 2, (s, i) => BitConverter.TryWriteBytes(s, (Half)i))));
        Put("i64.npy", Npy("<i8", "(4,)", Values(4, 8, (s, i) => BitConverter.TryWriteBytes(s, (long)i))));
        Put("i32.npy", Npy("<i4", "(4,)", Values(4, 4, (s, i) => BitConverter.TryWriteBytes(s, i))));
        Put("i16.npy", Npy("<i2", "(4,)", Values(4, 2, (s, i) => BitConverter.TryWriteBytes(s, (short)i))));
        Put("u8.npy", Npy("|u1", "(4,)", [0, 1, 2, 3]));
        Put("bool.npy", Npy("|b1", "(3,)", [1, 0, 1]));
        Put("scalar.npy", Npy("<f4", "()", BitConverter.GetBytes(3.5f)));
        Put("empty.npy", Npy("<f4", "(0, 3)", []));
        Put("fortran.npy", Npy("<f4", "(2, 3)", Floats(6, i => i % 2 * 3 + i / 2), fortran: true)); // [[0,1,2],[3,4,5]] column by column
        Put("big-endian.npy", Npy(">f4", "(3,)", Values(3, 4, (s, i) => { BitConverter.TryWriteBytes(s, (float)i); s.Reverse(); return true; })));
        // Version 2.0: a 4-byte header length, as numpy writes when the header is long.
        var v1 = Npy("<f4", "(3,)", Floats(3, i => i));
        Put("v2.npy", [0x93, .. "NUMPY"u8, 2, 0, v1[8], v1[9], 0, 0, .. v1[10..]]);
        foreach (var (name, base64) in Regressions) Put(name, Convert.FromBase64String(base64));
    }

    /// <summary>A version 1.0 .npy file: magic, header dict padded with spaces to a 64-byte boundary, the data.</summary>
    private static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - 10 - 1) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, (byte)(header.Length >> 8), .. Encoding.ASCII.GetBytes(header), .. data];
    }

    private static byte[] Floats(int n, Func<int, float> value) => Values(n, 4, (s, i) => BitConverter.TryWriteBytes(s, value(i)));

    private static byte[] Values(int n, int size, Func<Span<byte>, int, bool> write)
    {
        var bytes = new byte[n * size];
        for (int i = 0; i < n; i++) write(bytes.AsSpan(i * size, size), i);
        return bytes;
    }
}
