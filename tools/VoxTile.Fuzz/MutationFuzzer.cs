using System.Diagnostics;

namespace VoxTile.Fuzz;

/// <summary>
/// An in-process random-mutation fuzzer for one harness, for machines without afl-fuzz: it takes a corpus file, applies
/// one to eight of afl's havoc mutations (bit flips, interesting values, byte runs inserted, deleted, copied or spliced
/// from another seed, lengths truncated), and checks the reader keeps its rule. Every finding, and every input that
/// runs longer than <see cref="HangSeconds"/> (the watchdog ends the process then, as afl's -t would), is saved to the
/// findings folder under its SHA-256. Not coverage-guided: it only mutates the seeds.
/// </summary>
public sealed class MutationFuzzer(ReaderHarness harness, IReadOnlyList<byte[]> seeds, string findings, int seed)
{
    public const double HangSeconds = 10;
    private static readonly int[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, unchecked((int)0x80000000), -1, 16, 32, 64, 100, 1000, 4096];
    private readonly Random _rng = new(seed);

    public long Executions { get; private set; }
    public int Findings { get; private set; }
    public int Parsed { get; private set; }

    public void Run(TimeSpan duration, Action<string> log)
    {
        if (seeds.Count == 0) throw new IR.VoxTileException($"{harness.Name}: the corpus is empty");
        Directory.CreateDirectory(findings);
        var clock = Stopwatch.StartNew();
        byte[] current = [];
        long started = 0;
        using var watchdog = new Timer(_ =>
        {
            if (Volatile.Read(ref started) is var t && t > 0 && Stopwatch.GetElapsedTime(t).TotalSeconds > HangSeconds)
            {
                var path = Save(Volatile.Read(ref current), "hang");
                log($"hang: an input ran over {HangSeconds} s: {path}");
                Environment.Exit(3);
            }
        }, null, 1000, 1000);
        var seen = new HashSet<string>();
        while (clock.Elapsed < duration)
        {
            var input = Mutate(seeds[_rng.Next(seeds.Count)]);
            Volatile.Write(ref current, input);
            Volatile.Write(ref started, Stopwatch.GetTimestamp());
            try { Parsed += harness.Check(input) > 0 ? 1 : 0; }
            catch (ReaderFinding f)
            {
                // One report per kind of failure (the message up to its first digit varies least), every input kept.
                var path = Save(input, "crash");
                Findings++;
                var kind = new string(f.Message.TakeWhile(c => !char.IsDigit(c)).ToArray());
                if (seen.Add(kind)) log($"finding: {f.Message} ({path}) at {f.InnerException?.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            }
            finally { Volatile.Write(ref started, 0L); }
            Executions++;
        }
    }

    private string Save(byte[] input, string kind)
    {
        var path = Path.Combine(findings, $"{kind}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(input))[..16].ToLowerInvariant()}");
        File.WriteAllBytes(path, input);
        return path;
    }

    private byte[] Mutate(byte[] seed)
    {
        var data = new List<byte>(seed);
        int rounds = 1 << _rng.Next(4);
        for (int r = 0; r < rounds; r++) Once(data);
        return [.. data];
    }

    private void Once(List<byte> d)
    {
        int At() => _rng.Next(Math.Max(1, d.Count));
        switch (_rng.Next(d.Count == 0 ? 1 : 9))
        {
            case 0: // insert a run of random or repeated bytes
                var run = new byte[1 + _rng.Next(32)];
                if (_rng.Next(2) == 0) _rng.NextBytes(run); else Array.Fill(run, (byte)_rng.Next(256));
                d.InsertRange(Math.Min(At(), d.Count), run);
                break;
            case 1: d[At()] ^= (byte)(1 << _rng.Next(8)); break;
            case 2: d[At()] = (byte)_rng.Next(256); break;
            case 3: Write(d, At(), Interesting[_rng.Next(Interesting.Length)], 1 << _rng.Next(3)); break;
            case 4: Write(d, At(), ReadInt(d, At()) + _rng.Next(-35, 36), 4); break; // arithmetic on a 32-bit field
            case 5: // delete a run
                int from = At();
                d.RemoveRange(from, Math.Min(d.Count - from, 1 + _rng.Next(64)));
                break;
            case 6: // copy a run within the input
                int src = At(), len = Math.Min(d.Count - src, 1 + _rng.Next(64));
                d.InsertRange(At(), d.GetRange(src, len));
                break;
            case 7: // splice in part of another seed
                var other = seeds[_rng.Next(seeds.Count)];
                if (other.Length == 0) break;
                int o = _rng.Next(other.Length);
                d.InsertRange(Math.Min(At(), d.Count), other.AsSpan(o, Math.Min(other.Length - o, 1 + _rng.Next(256))).ToArray());
                break;
            default: // truncate
                int cut = At();
                d.RemoveRange(cut, d.Count - cut);
                break;
        }
    }

    private static int ReadInt(List<byte> d, int at)
    {
        int v = 0;
        for (int i = 0; i < 4 && at + i < d.Count; i++) v |= d[at + i] << (8 * i);
        return v;
    }

    private void Write(List<byte> d, int at, int value, int width)
    {
        bool bigEndian = _rng.Next(4) == 0;
        for (int i = 0; i < width && at + i < d.Count; i++)
            d[at + i] = (byte)(value >> (8 * (bigEndian ? width - 1 - i : i)));
    }
}
