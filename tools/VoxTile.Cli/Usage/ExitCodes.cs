namespace VoxTile.Cli.Usage;

/// <summary>The exit codes of every verb (stated in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Anything the user can fix: a mistyped or missing option, a value out of range, an unreadable or wrong input file.</summary>
    public const int UserError = 1;

    /// <summary>A bug in VoxTile (EX_SOFTWARE): the message names the exception; VOXTILE_TRACE=1 prints its stack.</summary>
    public const int InternalError = 70;
}
