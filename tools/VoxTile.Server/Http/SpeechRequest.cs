using System.Text.Json.Serialization;

namespace VoxTile.Server.Http;

/// <summary>The body of <c>POST /v1/audio/speech</c>, OpenAI's shape.</summary>
internal sealed record SpeechRequest(
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("input")] string? Input,
    [property: JsonPropertyName("voice")] string? Voice,
    [property: JsonPropertyName("response_format")] string? ResponseFormat,
    [property: JsonPropertyName("speed")] double? Speed);

[JsonSerializable(typeof(SpeechRequest))]
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
internal sealed partial class SpeechRequestJson : JsonSerializerContext;
