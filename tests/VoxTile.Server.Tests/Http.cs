using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using VoxTile.Models.Audio;

namespace VoxTile.Server.Tests;

/// <summary>What the tests send (speech requests, uploads of generated WAVs) and check (errors, streamed WAVs).</summary>
internal static class Http
{
    /// <summary>A voiced, speech-like test signal: a pulse train through a moving resonance, with noise.</summary>
    public static byte[] Wav(double seconds, int seed, int rate = 16000)
    {
        var rng = new Random(seed);
        var y = new float[(int)(seconds * rate)];
        double pitch = 100 + 20 * seed, phase = 0, s1 = 0, s2 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double t = (double)i / rate;
            phase += pitch / rate;
            if (phase >= 1) phase -= 1;
            double src = (phase < 0.1 ? 1 : 0) + 0.05 * (rng.NextDouble() - 0.5);
            double fc = 500 + 300 * Math.Sin(2 * Math.PI * 2 * t), r = 0.97;
            double o = (1 - r) * src + 2 * r * Math.Cos(2 * Math.PI * fc / rate) * s1 - r * r * s2;
            (s2, s1) = (s1, o);
            y[i] = (float)(o * 4);
        }
        float peak = y.Max(Math.Abs);
        for (int i = 0; i < y.Length; i++) y[i] *= 0.6f / peak;
        return WavFile.Encode(y, rate);
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> Speech(HttpClient client, string input, string voice = "1", string format = "wav", double speed = 1.0) =>
        client.PostAsync("/v1/audio/speech", Json(new { model = "voxtile", input, voice, response_format = format, speed }));

    public static MultipartFormDataContent Files(params (string Field, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        int n = 0;
        foreach (var (field, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
            form.Add(part, field, $"clip{n++}.wav");
        }
        return form;
    }

    public static async Task<string> CreateVoice(HttpClient client, params byte[][] references)
    {
        var response = await client.PostAsync("/v1/voices", Files([.. references.Select(r => ("file", r))]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The response is <paramref name="status"/> with OpenAI's error shape; returns the message.</summary>
    public static async Task<string> AssertError(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {Printable(body)}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        var message = error.GetProperty("message").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.DoesNotContain('\n', message);
        return message;
    }

    private static string Printable(string body) =>
        body.Length > 0 && body.Take(64).All(c => c >= ' ' && c < 127) ? body[..Math.Min(body.Length, 300)] : $"({body.Length} chars of binary)";

    /// <summary>A streamed WAV (sizes unknown): checks the header, returns the rate and the 16-bit samples.</summary>
    public static (int Rate, short[] Samples) ReadStreamedWav(byte[] body)
    {
        Assert.True(body.Length > 44, $"a WAV of {body.Length} bytes");
        Assert.Equal("RIFF", Encoding.ASCII.GetString(body, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(body, 8, 4));
        Assert.Equal("data", Encoding.ASCII.GetString(body, 36, 4));
        Assert.Equal(1, BitConverter.ToInt16(body, 22));
        Assert.Equal(16, BitConverter.ToInt16(body, 34));
        Assert.Equal(0, (body.Length - 44) % 2);
        var samples = new short[(body.Length - 44) / 2];
        Buffer.BlockCopy(body, 44, samples, 0, samples.Length * 2);
        return (BitConverter.ToInt32(body, 24), samples);
    }
}
