using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VoxTile.Models.Config;

/// <summary>Writes a config.json in the released layout (indented like Python's json.dump(indent=2)).</summary>
internal static class ConfigWriter
{
    /// <summary>The top-level object whose members <paramref name="members"/> writes; <paramref name="encoder"/> null is the default escaping.</summary>
    public static string Write(Action<Utf8JsonWriter> members, JavaScriptEncoder? encoder = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = encoder }))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A list of integers, as the member <paramref name="name"/> or, when it is null, as an array value.</summary>
    public static void WriteInts(this Utf8JsonWriter w, string? name, IReadOnlyList<int> values)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (var x in values) w.WriteNumberValue(x);
        w.WriteEndArray();
    }
}
