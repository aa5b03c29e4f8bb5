namespace VoxTile.Server.Http;

/// <summary>A request refused with <paramref name="status"/>: answered as <c>{"error": {"message", "type"}}</c>.</summary>
internal sealed class ApiException(int status, string type, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, "invalid_request_error", message);
    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, "not_found_error", message);
    public static ApiException TooLarge(string message) => new(StatusCodes.Status413PayloadTooLarge, "invalid_request_error", message);
    public static ApiException UnsupportedMediaType(string message) => new(StatusCodes.Status415UnsupportedMediaType, "invalid_request_error", message);
}
