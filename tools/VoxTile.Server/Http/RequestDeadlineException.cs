namespace VoxTile.Server.Http;

/// <summary>The request ran past the server's --request-timeout (504).</summary>
internal sealed class RequestDeadlineException(TimeSpan limit)
    : Exception($"the request did not finish within the server's {limit.TotalSeconds:0.###} s deadline");
