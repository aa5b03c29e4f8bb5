namespace VoxTile.Cli.Tests;

/// <summary>Runs the command line in-process and captures what it prints (tests of this assembly run one at a time).</summary>
internal static class CliRun
{
    private static readonly object Gate = new();

    /// <summary>
    /// Runs the command line with no progress lines (they come by the clock, and a slow machine would print some), so
    /// that what a test reads does not depend on the machine's speed; <see cref="RunWithProgress"/> shows them.
    /// </summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => RunWithProgress(TimeSpan.FromDays(1), args);

    /// <summary>Runs the command line with a plain progress line at most every <paramref name="interval"/> (zero: one per report).</summary>
    public static (int Code, string Out, string Err) RunWithProgress(TimeSpan interval, params string[] args)
    {
        lock (Gate)
        {
            var oldOut = Console.Out;
            var oldErr = Console.Error;
            var oldInterval = Terminal.Progress.LineInterval;
            var o = new StringWriter();
            var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            Terminal.Progress.LineInterval = interval;
            try { return (Program.Main(args), o.ToString(), e.ToString()); }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
                Terminal.Progress.LineInterval = oldInterval;
            }
        }
    }

    /// <summary>Runs <paramref name="template"/> (space-separated arguments, {0} standing for <paramref name="folder"/>).</summary>
    public static (int Code, string Out, string Err) RunTemplate(string template, string folder) =>
        Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, folder).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Bad input: exit code 1 and one line on stderr (besides the demo notice) saying what was wrong.</summary>
    public static void AssertOneLineError(int code, string err, string fragment)
    {
        Assert.Equal(1, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("voxtile: demo:", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.StartsWith("voxtile: error: ", lines[0]);
        Assert.Contains(fragment, lines[0]);
    }

    /// <summary>Splits a command line as a shell would: words on spaces, double quotes keep a phrase together.</summary>
    public static string[] Words(string line)
    {
        var words = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted)
            {
                if (any) words.Add(cur.ToString());
                cur.Clear();
                any = false;
            }
            else { cur.Append(c); any = true; }
        }
        if (any) words.Add(cur.ToString());
        Assert.False(quoted, $"unbalanced quotes in {line}");
        return [.. words];
    }
}
