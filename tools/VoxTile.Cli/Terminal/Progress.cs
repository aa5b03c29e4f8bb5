using Spectre.Console;

namespace VoxTile.Cli.Terminal;

/// <summary>Progress bars on stderr for long work (hidden when stderr is not a terminal, so logs stay clean).</summary>
internal static class Progress
{
    public static T Run<T>(string title, Func<IProgress<double>, T> work)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected || !console.Profile.Capabilities.Interactive)
            return work(new Progress<double>(_ => { }));
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 1.0);
                result = work(new SyncProgress(v => task.Value = v));
            });
        return result;
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
