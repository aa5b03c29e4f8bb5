using System.Diagnostics.CodeAnalysis;
using VoxTile.IR;

namespace VoxTile.Models.Config;

/// <summary>
/// Validation of a parsed config: failures are one-line <see cref="VoxTileException"/>s in the <c>config {what}: …</c> form
/// that <see cref="ConfigReader"/> uses for parse errors, and the first failure stops the check.
/// </summary>
internal readonly struct ConfigCheck(string what)
{
    [DoesNotReturn]
    public void Fail(string message) => throw new VoxTileException($"config {what}: {message}");

    public void Positive(int value, string key)
    {
        if (value <= 0) Fail($"{key} must be positive (found {value})");
    }
}
