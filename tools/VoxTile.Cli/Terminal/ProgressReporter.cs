using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using VoxTile.Models.Api;

namespace VoxTile.Cli.Terminal;

/// <summary>
/// One piece of long work as <see cref="Progress"/> shows it. It takes a fraction (<see cref="Report"/>) or a count
/// (<see cref="Step"/>: "chunk 3 of 8") and notes ("compiling voice_conversion for 1024 frames", shown as the stage
/// until the next count). Live: a Spectre.Console bar, notes printed above it. Lines: "voxtile: converting: chunk 3
/// of 8 (38%), 12.4 s" at most once per interval, the last count always once a line has been printed, and a line
/// after five intervals without one (a compile gives no counts), so a CI log shows the work is alive.
/// </summary>
internal sealed class ProgressReporter : IProgress<double>, IProgressCount, IDisposable
{
    private readonly string _title;
    private readonly ProgressMode _mode;
    private readonly TextWriter _err;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private double? _fraction;
    private string? _stage;
    private TimeSpan _lastLine;
    private bool _printed, _printedEnd, _closed;
    private Timer? _heartbeat;
    private IAnsiConsole? _console;
    private ProgressTask? _task;

    public ProgressReporter(string title, ProgressMode mode, TextWriter err, TimeSpan interval)
    {
        _title = title;
        _mode = mode;
        _err = err;
        _interval = interval;
    }

    public T Run<T>(Func<IProgress<double>, T> work)
    {
        if (_mode != ProgressMode.Live)
        {
            if (_mode == ProgressMode.Lines && _interval > TimeSpan.Zero)
                _heartbeat = new Timer(_ => Heartbeat(), null, _interval * 5, _interval * 5);
            return work(this);
        }
        _console = Progress.TerminalConsole(_err);
        T result = default!;
        _console.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                lock (_gate)
                {
                    _task = ctx.AddTask(BarText(), maxValue: 1.0);
                    _task.IsIndeterminate = true;
                }
                result = work(this);
            });
        return result;
    }

    public void Report(double value)
    {
        lock (_gate)
        {
            _fraction = Math.Clamp(value, 0, 1);
            Update();
        }
    }

    public void Step(int done, int total, string unit)
    {
        lock (_gate)
        {
            _fraction = Math.Clamp((double)done / total, 0, 1);
            _stage = $"{unit} {done} of {total}";
            Update();
        }
    }

    /// <summary>A note: printed above the bar, or as a line.</summary>
    public void Note(string message) => Line($"voxtile: {message}");

    /// <summary>A line of its own (a note or a warning), above the bar when there is one.</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            if (_closed) return;
            if (_console is not null) _console.WriteLine(text);
            else _err.WriteLine(text);
            _lastLine = _clock.Elapsed;
        }
    }

    /// <summary>Progress of work run inside this one (a plan compiled within a conversion): it names its stage here, its own fraction shown in words.</summary>
    public IProgress<double> Nested(string title) => new NestedView(this, title);

    /// <summary>What the work is doing now, and how far it is when known; shown at the next redraw or plain line.</summary>
    public void Stage(string stage, double? fraction = null)
    {
        lock (_gate)
        {
            _stage = stage;
            if (fraction is { } f) _fraction = Math.Clamp(f, 0, 1);
            Update();
        }
    }

    private void Update()
    {
        if (_closed) return;
        if (_task is not null)
        {
            _task.IsIndeterminate = _fraction is null;
            _task.Value = _fraction ?? 0;
            _task.Description = BarText();
            return;
        }
        if (_mode != ProgressMode.Lines) return;
        var now = _clock.Elapsed;
        bool end = _fraction >= 1;
        if (now - _lastLine >= _interval || (end && _printed && !_printedEnd)) Print(now, end);
    }

    private void Heartbeat()
    {
        lock (_gate)
        {
            if (_closed) return;
            var now = _clock.Elapsed;
            if (now - _lastLine >= _interval * 5) Print(now, false);
        }
    }

    private void Print(TimeSpan now, bool end)
    {
        _err.WriteLine(string.Create(CultureInfo.InvariantCulture, $"voxtile: {Describe()}{(_fraction is { } f ? $" ({f * 100:F0}%)" : "")}, {now.TotalSeconds:F1} s"));
        _lastLine = now;
        _printed = true;
        _printedEnd |= end;
    }

    private string Describe() => _stage is null ? _title : $"{_title}: {_stage}";

    /// <summary>The bar's text: <see cref="Describe"/> cut to leave the bar, percentage and clock their room on one line.</summary>
    private string BarText()
    {
        var text = Describe();
        int room = Math.Max(24, (_console?.Profile.Width ?? 80) - 48);
        return Markup.Escape(text.Length <= room ? text : text[..(room - 1)] + "…");
    }

    public void Dispose()
    {
        lock (_gate) _closed = true;
        _heartbeat?.Dispose();
    }

    private sealed class NestedView(ProgressReporter outer, string title) : IProgress<double>, IProgressCount
    {
        public void Report(double value) => outer.Stage(string.Create(CultureInfo.InvariantCulture, $"{title} {value * 100:F0}%"));

        public void Step(int done, int total, string unit) => outer.Stage($"{title}: {unit} {done} of {total}");
    }
}
