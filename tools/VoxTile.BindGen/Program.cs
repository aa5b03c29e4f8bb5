using VoxTile.BindGen;

// voxtile-bindgen [--check] [--root DIR]
// Regenerates runtime/Native/VoxTileKernels.g.cs from kernels/include/voxtile_kernels.h; --check only compares and
// exits 1 when the checked-in file is stale (what CI runs).
var check = false;
string? root = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--check": check = true; break;
        case "--root" when i + 1 < args.Length: root = args[++i]; break;
        default:
            Console.Error.WriteLine($"voxtile-bindgen: unknown argument '{args[i]}' (usage: voxtile-bindgen [--check] [--root DIR])");
            return 2;
    }
}
try
{
    root ??= Generator.FindRepositoryRoot(Directory.GetCurrentDirectory());
    if (check)
    {
        var problem = Generator.Check(root);
        if (problem is null)
        {
            Console.WriteLine($"voxtile-bindgen: {Generator.OutputPath} is up to date");
            return 0;
        }
        Console.Error.WriteLine($"voxtile-bindgen: {problem}; regenerate with: dotnet run --project tools/VoxTile.BindGen");
        return 1;
    }
    var text = Generator.Generate(Path.Combine(root, Generator.HeaderPath));
    var output = Path.Combine(root, Generator.OutputPath);
    Directory.CreateDirectory(Path.GetDirectoryName(output)!);
    File.WriteAllText(output, text);
    Console.WriteLine($"voxtile-bindgen: wrote {Generator.OutputPath}");
    return 0;
}
catch (Exception e) when (e is BindGenException or IOException or DllNotFoundException or EntryPointNotFoundException)
{
    Console.Error.WriteLine($"voxtile-bindgen: {e.Message}");
    return 1;
}
