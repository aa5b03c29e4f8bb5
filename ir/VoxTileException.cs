namespace VoxTile.IR;

/// <summary>
/// An error the user caused or can fix (bad input file, wrong shapes, a malformed graph): its message is one line,
/// printed by the command line as is, and the process exits non-zero.
/// </summary>
public class VoxTileException(string message, Exception? inner = null) : Exception(message, inner);
