using VoxTile.Models.Audio;

namespace VoxTile.Server.Http;

/// <summary>What every endpoint checks of a request before any work: its content type, and the audio it uploads.</summary>
internal static class Requests
{
    public static void RequireContentType(HttpContext context, string mediaType)
    {
        var type = context.Request.ContentType;
        if (type is null || !type.Split(';')[0].Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase))
            throw ApiException.UnsupportedMediaType($"the body must be {mediaType}, got {type ?? "none"}");
    }

    public static async Task<IFormCollection> Form(HttpContext context)
    {
        RequireContentType(context, "multipart/form-data");
        return await context.Request.ReadFormAsync(context.RequestAborted);
    }

    /// <summary>An uploaded WAV, its bytes and decoded audio; a file that is not WAV is bad input (400).</summary>
    public static async Task<(byte[] Bytes, AudioClip Clip)> ReadWav(IFormFile file, CancellationToken token)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, token);
        var bytes = buffer.ToArray();
        if (bytes.Length == 0) throw ApiException.BadRequest($"'{file.FileName}' is empty");
        buffer.Position = 0;
        var clip = WavFile.Read(buffer, string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName);
        if (clip.Samples.Length == 0) throw ApiException.BadRequest($"'{file.FileName}' holds no audio");
        if (clip.Samples.Any(s => !float.IsFinite(s))) throw ApiException.BadRequest($"'{file.FileName}' holds samples that are not finite");
        return (bytes, clip);
    }

    public static void CheckDuration(double seconds, ServerOptions options, string what)
    {
        if (seconds > options.MaxAudioSeconds)
            throw ApiException.TooLarge($"{what} holds {seconds:F1} s of audio; the most is {options.MaxAudioSeconds:F0} s");
    }
}
