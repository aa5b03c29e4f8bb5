using System.Security.Cryptography;
using System.Text;

namespace VoxTile.Server.Http;

/// <summary>
/// Who may call: with keys configured, every route but <c>/healthz</c> needs <c>Authorization: Bearer KEY</c>. The
/// caller's owner name (which voices it sees) is a hash of its key, so no key is ever written to disk; with no keys,
/// everyone is the owner <c>public</c>.
/// </summary>
internal sealed class ApiKeys
{
    public const string PublicOwner = "public";
    private const string OwnerItem = "voxtile.owner";
    private readonly Dictionary<string, byte[]> _byOwner;

    public ApiKeys(IEnumerable<string> keys)
    {
        _byOwner = [];
        foreach (var key in keys.Where(k => !string.IsNullOrEmpty(k)))
            _byOwner[OwnerOf(key)] = Hash(key);
    }

    public bool Required => _byOwner.Count > 0;

    public static string OwnerOf(string key) => Convert.ToHexStringLower(Hash(key))[..16];

    /// <summary>The owner of the request's key (set by <see cref="Handle"/>).</summary>
    public static string Owner(HttpContext context) => context.Items[OwnerItem] as string ?? PublicOwner;

    public async Task Handle(HttpContext context, RequestDelegate next)
    {
        if (!Required || context.Request.Path.Equals("/healthz", StringComparison.Ordinal))
        {
            context.Items[OwnerItem] = PublicOwner;
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || Match(header[bearer.Length..].Trim()) is not { } owner)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.Write(context, StatusCodes.Status401Unauthorized, "authentication_error",
                header.Length == 0 ? "missing Authorization: Bearer API key" : "invalid API key");
            return;
        }
        context.Items[OwnerItem] = owner;
        await next(context);
    }

    private string? Match(string key)
    {
        var hash = Hash(key);
        string? found = null;
        // Compare against every key in constant time: the answer's timing says nothing about which bytes matched.
        foreach (var (owner, expected) in _byOwner)
            if (CryptographicOperations.FixedTimeEquals(hash, expected)) found = owner;
        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
