using VoxTile.Fuzz;
using VoxTile.IR;

// voxtile-fuzz: the reader harnesses, run by afl-fuzz through SharpFuzz, by the in-process mutation fuzzer, or over a corpus.
//   voxtile-fuzz afl HARNESS                          (under afl-fuzz; the assemblies instrumented by `sharpfuzz`)
//   voxtile-fuzz mutate HARNESS SECONDS FINDINGS [CORPUS…]
//   voxtile-fuzz replay HARNESS|all FILE|DIR…
//   voxtile-fuzz list
//   voxtile-fuzz seeds plan|npy DIR                   (writes the plan or .npy corpus's seeds)
try
{
    if (args.Length == 0) return Usage();
    switch (args[0])
    {
        case "seeds" when args.Length == 3 && args[1] == "plan":
            PlanSeeds.Write(args[2]);
            return 0;
        case "seeds" when args.Length == 3 && args[1] == "npy":
            NpySeeds.Write(args[2]);
            return 0;
        case "list":
            foreach (var h in ReaderHarnesses.All) Console.WriteLine($"{h.Name}\tcorpus/{h.Corpus}");
            return 0;
        case "afl" when args.Length == 2:
            // No instrumented code may run before Fuzzer.Run maps afl's coverage map (an instrumented module's
            // initializer would write through a null map), so the harness is looked up inside the first run.
            ReaderHarness? harness = null;
            SharpFuzz.Fuzzer.Run(stream =>
            {
                harness ??= Harness(args[1]);
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                harness.Check(buffer.ToArray());
            });
            return 0;
        case "mutate" when args.Length >= 4:
            var target = Harness(args[1]);
            var seconds = double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
            var seeds = Files(args.Length > 4 ? args[4..] : [Path.Combine(AppContext.BaseDirectory, "corpus", target.Corpus)]).Select(File.ReadAllBytes).ToList();
            var fuzzer = new MutationFuzzer(target, seeds, args[3], seed: Environment.ProcessId);
            fuzzer.Run(TimeSpan.FromSeconds(seconds), line => Console.WriteLine($"voxtile-fuzz: {target.Name}: {line}"));
            Console.WriteLine($"voxtile-fuzz: {target.Name}: {fuzzer.Executions} executions in {seconds:F0} s ({fuzzer.Executions / seconds:F0}/s), {fuzzer.Parsed} parsed, {fuzzer.Findings} findings, {seeds.Count} seeds");
            return fuzzer.Findings == 0 ? 0 : 2;
        case "replay" when args.Length >= 3:
            var harnesses = args[1] == "all" ? ReaderHarnesses.All : [Harness(args[1])];
            int bad = 0, runs = 0, parsed = 0;
            foreach (var file in Files(args[2..]))
                foreach (var h in harnesses)
                {
                    runs++;
                    try { parsed += h.Check(File.ReadAllBytes(file)) > 0 ? 1 : 0; }
                    catch (ReaderFinding f)
                    {
                        bad++;
                        Console.WriteLine($"{file}: {f.Message}");
                        Console.WriteLine(f.InnerException);
                    }
                }
            Console.WriteLine($"voxtile-fuzz: replayed {runs} file×reader runs: {parsed} parsed, {runs - parsed - bad} refused in one line, {bad} findings");
            return bad == 0 ? 0 : 2;
        default:
            return Usage();
    }
}
catch (VoxTileException e)
{
    Console.Error.WriteLine($"voxtile-fuzz: error: {e.Message}");
    return 1;
}

static ReaderHarness Harness(string name) => ReaderHarnesses.Named(name)
    ?? throw new VoxTileException($"unknown harness '{name}' (known: {string.Join(", ", ReaderHarnesses.All.Select(h => h.Name))})");

static IEnumerable<string> Files(IEnumerable<string> paths) =>
    paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        : File.Exists(p) ? (IEnumerable<string>)[p] : throw new VoxTileException($"{p}: no such file or folder"));

static int Usage()
{
    Console.Error.WriteLine("usage: voxtile-fuzz afl HARNESS | mutate HARNESS SECONDS FINDINGS [CORPUS…] | replay HARNESS|all FILE|DIR… | list");
    return 1;
}
