using System.Text.Json;
using VoxTile.IR;

namespace VoxTile.Models.Config;

/// <summary>
/// Typed access to a config.json with one-line errors that name the file and the dotted key, so a user with a wrong or
/// hand-edited config learns exactly which value to fix.
/// </summary>
internal sealed class ConfigReader(JsonElement root, string what)
{
    /// <summary>Reads a config file and builds the config from its JSON; I/O and syntax errors are one line naming the file.</summary>
    public static T Load<T>(string path, Func<string, string, T> parse)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new VoxTileException($"config {path}: cannot read the file ({OneLine(e.Message)})", e); }
        return parse(json, path);
    }

    /// <summary>Parses JSON text (comments and trailing commas allowed) and hands its root to <paramref name="build"/>.</summary>
    public static T Parse<T>(string json, string what, Func<JsonElement, ConfigReader, T> build)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new VoxTileException($"config {what}: not valid JSON ({OneLine(e.Message)})", e); }
        using (doc) return build(doc.RootElement, new ConfigReader(doc.RootElement, what));
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();

    public JsonElement Section(string name)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Error("the top level must be a JSON object");
        if (!root.TryGetProperty(name, out var section)) throw Error($"missing key '{name}'");
        if (section.ValueKind != JsonValueKind.Object) throw Error($"'{name}' must be an object (found {Kind(section)})");
        return section;
    }

    public int Int(JsonElement section, string prefix, string key) =>
        AsInt(Required(section, prefix, key), $"{prefix}.{key}");

    public int? OptionalInt(JsonElement section, string prefix, string key) =>
        Optional(section, key) is { } v ? AsInt(v, $"{prefix}.{key}") : null;

    public double? OptionalDouble(JsonElement section, string prefix, string key)
    {
        if (Optional(section, key) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d))
            throw Error($"'{prefix}.{key}' must be a number (found {Kind(v)})");
        return d;
    }

    public bool? OptionalBool(JsonElement section, string prefix, string key)
    {
        if (Optional(section, key) is not { } v) return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"'{prefix}.{key}' must be true or false (found {Kind(v)})"),
        };
    }

    public string String(JsonElement section, string prefix, string key)
    {
        var v = Required(section, prefix, key);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error($"'{prefix}.{key}' must be a string (found {Kind(v)})");
    }

    public string? OptionalString(JsonElement section, string key)
    {
        if (Optional(section, key) is not { } v) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw Error($"'{key}' must be a string (found {Kind(v)})");
    }

    public IReadOnlyList<int> Ints(JsonElement section, string prefix, string key) =>
        AsInts(Required(section, prefix, key), $"{prefix}.{key}");

    public IReadOnlyList<IReadOnlyList<int>> IntLists(JsonElement section, string prefix, string key)
    {
        var v = Required(section, prefix, key);
        if (v.ValueKind != JsonValueKind.Array) throw Error($"'{prefix}.{key}' must be a list of lists of integers (found {Kind(v)})");
        var lists = new List<IReadOnlyList<int>>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array)
                throw Error($"'{prefix}.{key}' must be a list of lists of integers (found an element that is {Kind(item)})");
            lists.Add(AsInts(item, $"{prefix}.{key}"));
        }
        return Array.AsReadOnly(lists.ToArray());
    }

    private IReadOnlyList<int> AsInts(JsonElement v, string key)
    {
        if (v.ValueKind != JsonValueKind.Array) throw Error($"'{key}' must be a list of integers (found {Kind(v)})");
        var list = new List<int>();
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var x))
                throw Error($"'{key}' must be a list of integers (found an element that is {Kind(item)})");
            list.Add(x);
        }
        return Array.AsReadOnly(list.ToArray());
    }

    private int AsInt(JsonElement v, string key) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var x) ? x : throw Error($"'{key}' must be an integer (found {Kind(v)})");

    private JsonElement Required(JsonElement section, string prefix, string key) =>
        section.TryGetProperty(key, out var v) ? v : throw Error($"missing key '{prefix}.{key}'");

    private static JsonElement? Optional(JsonElement section, string key) =>
        section.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.TryGetInt64(out _) ? $"the number {v.GetRawText()}" : $"the non-integer {v.GetRawText()}",
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => v.ValueKind.ToString(),
    };

    private VoxTileException Error(string message) => new($"config {what}: {message}");
}
