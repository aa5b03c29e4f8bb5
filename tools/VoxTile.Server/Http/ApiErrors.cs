using System.Text.Json;
using VoxTile.IR;
using VoxTile.Server.Batching;

namespace VoxTile.Server.Http;

/// <summary>
/// Every failure as OpenAI's error shape, <c>{"error": {"message", "type"}}</c>, with the status that says whose fault
/// it is: bad input 400, too large 413, busy 429 (with Retry-After), past the deadline 504. A client that went away
/// gets nothing; a response already streaming is cut off so the client cannot take it for complete audio.
/// </summary>
internal static class ApiErrors
{
    public static async Task Handle(HttpContext context, RequestDelegate next)
    {
        try { await next(context); }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client hung up: its queued work was cancelled with it; there is no one to answer.
        }
        catch (Exception e)
        {
            var (status, type, message) = Classify(e, context);
            if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable && status != StatusCodes.Status504GatewayTimeout)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("VoxTile.Server").LogError(e, "request failed");
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            context.Response.Clear();
            if (status == StatusCodes.Status429TooManyRequests || status == StatusCodes.Status503ServiceUnavailable)
                context.Response.Headers.RetryAfter = "1";
            await Write(context, status, type, message);
        }
    }

    /// <summary>Writes the error body (headers already set, e.g. Retry-After or WWW-Authenticate, are kept).</summary>
    public static async Task Write(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        // Relaxed escaping: messages quote names ('voice'), and the body is JSON, never HTML.
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", message);
        json.WriteString("type", type);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static (int Status, string Type, string Message) Classify(Exception e, HttpContext context) => e switch
    {
        ApiException a => (a.Status, a.Type, a.Message),
        VoxTileException v => (StatusCodes.Status400BadRequest, "invalid_request_error", v.Message),
        QueueFullException q => (StatusCodes.Status429TooManyRequests, "rate_limit_error", q.Message),
        RequestDeadlineException d => (StatusCodes.Status504GatewayTimeout, "timeout_error", d.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "the request body is larger than the server accepts"),
        BadHttpRequestException b => (b.StatusCode, "invalid_request_error", b.Message),
        InvalidDataException d => (StatusCodes.Status400BadRequest, "invalid_request_error", $"malformed request body: {d.Message}"),
        JsonException j => (StatusCodes.Status400BadRequest, "invalid_request_error", $"malformed JSON: {j.Message}"),
        ObjectDisposedException => (StatusCodes.Status503ServiceUnavailable, "server_error", "the server is shutting down"),
        // Not the client's (that is handled above): the request's deadline passed while it wrote its answer.
        OperationCanceledException => (StatusCodes.Status504GatewayTimeout, "timeout_error", "the request ran past the server's deadline"),
        _ => (StatusCodes.Status500InternalServerError, "server_error", $"internal error ({e.GetType().Name}) on {context.Request.Path}"),
    };
}
