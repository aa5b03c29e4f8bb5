using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace VoxTile.Server.Voices;

/// <summary>
/// A stored voice's id: the first 128 bits of the SHA-256 of its reference recordings, as 32 lowercase hex digits.
/// Only a string that matches this pattern ever becomes part of a file name: no path comes from a request.
/// </summary>
internal static partial class VoiceId
{
    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>The id of a voice made from <paramref name="references"/>: each file's length and bytes, in order.</summary>
    public static string Of(IReadOnlyList<byte[]> references)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var r in references)
        {
            hash.AppendData(BitConverter.GetBytes((long)r.Length));
            hash.AppendData(r);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
