using Spectre.Console;

namespace VoxTile.Cli.Terminal;

/// <summary>How progress and notes reach stderr: a live bar, plain lines, or not at all.</summary>
internal enum ProgressMode
{
    /// <summary>stderr is a terminal: a Spectre.Console bar redrawn in place, notes printed above it.</summary>
    Live,

    /// <summary>stderr is a file or a pipe (CI logs): a plain line now and then, never a control code.</summary>
    Lines,

    /// <summary><c>--quiet</c>: no progress and no notes; errors, warnings and the result line only.</summary>
    Off,
}

/// <summary>
/// Progress of long work (compiling, loading plans, converting chunk by chunk, synthesizing sentence by sentence,
/// emitting, benchmarking) and the notes that go with it, all on stderr so that stdout holds only results.
/// <see cref="Program"/> picks the <see cref="Mode"/> once per command line.
/// </summary>
internal static class Progress
{
    private static readonly object Gate = new();
    private static ProgressReporter? _active;

    public static ProgressMode Mode { get; set; } = ProgressMode.Lines;

    /// <summary>The least time between two plain progress lines; a quiet spell of five of them prints a "still working" line.</summary>
    public static TimeSpan LineInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The mode for this process: off with --quiet, a live bar when stderr is an interactive terminal, else plain lines.</summary>
    public static ProgressMode Detect(bool quiet)
    {
        if (quiet) return ProgressMode.Off;
        // stderr alone decides: `voxtile convert … > log.txt` still shows a bar on the terminal.
        return Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") == "dumb" ? ProgressMode.Lines : ProgressMode.Live;
    }

    /// <summary>A Spectre.Console console on stderr that draws in place (called only once stderr is known to be a terminal).</summary>
    internal static IAnsiConsole TerminalConsole(TextWriter err) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(err),
        Ansi = AnsiSupport.Yes,
        Interactive = InteractionSupport.Yes,
        ColorSystem = ColorSystemSupport.Detect,
    });

    /// <summary>Runs <paramref name="work"/> under a progress display titled <paramref name="title"/> ("converting").</summary>
    public static T Run<T>(string title, Func<IProgress<double>, T> work)
    {
        lock (Gate)
        {
            // Work inside work (a compile inside a conversion) reports into the display already shown.
            if (_active is { } outer) return work(outer.Nested(title));
        }
        var reporter = new ProgressReporter(title, Mode, Console.Error, LineInterval);
        lock (Gate) _active = reporter;
        try { return reporter.Run(work); }
        finally
        {
            lock (Gate) _active = null;
            reporter.Dispose();
        }
    }

    /// <summary>A note on what is happening ("compiling voice_conversion for 1024 frames"): above the bar, as a line, or not with --quiet.</summary>
    public static void Note(string message)
    {
        if (Mode == ProgressMode.Off) return;
        ProgressReporter? active;
        lock (Gate) active = _active;
        if (active is not null) active.Note(message);
        else Console.Error.WriteLine($"voxtile: {message}");
    }

    /// <summary>What the work under way is doing now ("compiling …: fuse (4 of 6)"): the bar's text, or the next plain line's; nothing outside a display.</summary>
    public static void Stage(string stage)
    {
        ProgressReporter? active;
        lock (Gate) active = _active;
        active?.Stage(stage);
    }

    /// <summary>
    /// A stage of work counted in stages (a compile's passes) on <paramref name="progress"/>: its text, and as the
    /// fraction done the stages before it plus <paramref name="within"/> of this one.
    /// </summary>
    public static void Stage(this IProgress<double> progress, int number, int count, string name, double within = 0)
    {
        double fraction = (number - 1 + Math.Clamp(within, 0, 1)) / count;
        if (progress is ProgressReporter r) r.Stage($"stage {number} of {count}, {name}", fraction);
        else progress.Report(fraction);
    }

    /// <summary>Stage <paramref name="number"/> of <paramref name="count"/> as a progress of its own, from 0 to 1 within the stage.</summary>
    public static IProgress<double> Within(this IProgress<double> progress, int number, int count, string name)
    {
        progress.Stage(number, count, name);
        return new StageProgress(progress, number, count, name);
    }

    /// <summary>
    /// Part <paramref name="number"/> of <paramref name="count"/> ("sentence 2 of 5") as a progress of its own: its
    /// fraction moves the whole within the part's share, and the display names the part.
    /// </summary>
    public static IProgress<double> Part(this IProgress<double> whole, int number, int count, string unit)
    {
        var part = new PartProgress(whole, number, count, unit);
        part.Report(0);
        return part;
    }

    private sealed class PartProgress(IProgress<double> whole, int number, int count, string unit) : IProgress<double>
    {
        public void Report(double value)
        {
            double fraction = (number - 1 + Math.Clamp(value, 0, 1)) / count;
            if (whole is ProgressReporter r) r.Stage($"{unit} {number} of {count}", fraction);
            else whole.Report(fraction);
        }
    }

    private sealed class StageProgress(IProgress<double> whole, int number, int count, string name) : IProgress<double>
    {
        public void Report(double value) =>
            whole.Stage(number, count, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} {value * 100:F0}%"), value);
    }

    /// <summary>A warning (a result that may not be what was wanted): shown even with --quiet.</summary>
    public static void Warn(string message)
    {
        ProgressReporter? active;
        lock (Gate) active = _active;
        if (active is not null) active.Line($"voxtile: warning: {message}");
        else Console.Error.WriteLine($"voxtile: warning: {message}");
    }
}
