using VoxTile.Cli.Usage;
using VoxTile.IR;

namespace VoxTile.Cli.Commands;

/// <summary>
/// Runs a command body and turns failures into one line on stderr and a non-zero exit: 1 for bad input
/// (<see cref="VoxTileException"/> and I/O errors), 70 for a bug, with its message.
/// </summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (VoxTileException e)
        {
            Console.Error.WriteLine($"voxtile: error: {OneLine(e.Message)}");
            return ExitCodes.UserError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"voxtile: error: {OneLine(e.Message)}");
            return ExitCodes.UserError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"voxtile: internal error: {e.GetType().Name}: {OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("VOXTILE_TRACE") == "1") Console.Error.WriteLine(e);
            return ExitCodes.InternalError;
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
