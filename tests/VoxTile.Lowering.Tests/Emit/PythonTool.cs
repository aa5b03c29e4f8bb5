using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>
/// python3 (with numpy) for checking emitted programs, the ttnn API reference (../shared/spec/ttnn-api.json beside
/// the repository) and the validator script. Tests that need them skip with the reason when one is missing.
/// </summary>
internal static class PythonTool
{
    public static string? Executable { get; } = Find();

    public static string? ApiJson { get; } = FindApi();

    /// <summary>The folder of this file's sources (for the checked-in goldens, which VOXTILE_UPDATE_GOLDEN=1 rewrites).</summary>
    public static string SourceDir([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    public static string Validator
    {
        get
        {
            var copied = Path.Combine(AppContext.BaseDirectory, "Emit", "validate_ttnn.py");
            return File.Exists(copied) ? copied : Path.Combine(SourceDir(), "validate_ttnn.py");
        }
    }

    /// <summary>The numpy stand-in for ttnn (and the two torch calls programs make) that runs emitted programs without a card.</summary>
    public static string FakeTtnn
    {
        get
        {
            var copied = Path.Combine(AppContext.BaseDirectory, "Emit", "fake_ttnn");
            return File.Exists(Path.Combine(copied, "ttnn.py")) ? copied : Path.Combine(SourceDir(), "fake_ttnn");
        }
    }

    public static bool HasNumpy { get; } = Executable is not null && Run(["-c", "import numpy"]).Code == 0;

    /// <summary>Why the Python checks cannot run here, or null.</summary>
    public static string? SkipReason =>
        Executable is null ? "python3 not found (/usr/bin/python3 or on PATH); scripts/setup.sh installs it"
        : ApiJson is null ? "the ttnn API reference ../shared/spec/ttnn-api.json is absent"
        : null;

    public static string? NumpySkipReason => SkipReason ?? (HasNumpy ? null : "python3 has no numpy; scripts/setup.sh installs it");

    public static (int Code, string Output) Run(IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(Executable ?? "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(" ", args)} ran over 5 minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Runs an emitted program with the fake ttnn (and torch) first on the module path.</summary>
    public static (int Code, string Output) RunOnFakeDevice(string program, params string[] args) =>
        Run([program, .. args], Path.GetDirectoryName(program), new Dictionary<string, string> { ["PYTHONPATH"] = FakeTtnn });

    /// <summary>Runs the validator over a program; the output lists any problem with its line.</summary>
    public static (int Code, string Output) Validate(string program) => Run([Validator, ApiJson!, program]);

    /// <summary><c>python3 -m py_compile</c>: the program is valid Python.</summary>
    public static (int Code, string Output) Compile(string program) => Run(["-m", "py_compile", program]);

    private static string? Find()
    {
        if (File.Exists("/usr/bin/python3")) return "/usr/bin/python3";
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var p = Path.Combine(dir, "python3");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private static string? FindApi()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VoxTile.slnx")))
            {
                var api = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "spec", "ttnn-api.json"));
                return File.Exists(api) ? api : null;
            }
            dir = dir.Parent;
        }
        return null;
    }
}
