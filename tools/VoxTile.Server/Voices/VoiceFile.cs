using System.Text.Json.Serialization;

namespace VoxTile.Server.Voices;

/// <summary>A voice as it lies on disk.</summary>
internal sealed record VoiceFile(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("embedding")] float[] Embedding);

[JsonSerializable(typeof(VoiceFile))]
internal sealed partial class VoiceFileJson : JsonSerializerContext;
