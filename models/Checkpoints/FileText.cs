namespace VoxTile.Models.Checkpoints;

/// <summary>
/// Names taken from a checkpoint (zip entry names, pickle globals, storage keys) quoted in a message: a hostile file can
/// put control characters, newlines included, in any of them, and a refusal is one line.
/// </summary>
internal static class FileText
{
    public static string Printable(string s) =>
        string.Concat(s.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
