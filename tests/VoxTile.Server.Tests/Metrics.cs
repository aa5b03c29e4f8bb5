using System.Globalization;

namespace VoxTile.Server.Tests;

/// <summary>A scrape of <c>/metrics</c> (Prometheus text), read by series name and labels.</summary>
internal sealed class Metrics(string text)
{
    public string Text { get; } = text;

    public static async Task<Metrics> Read(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new Metrics(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of the series <paramref name="name"/> whose labels contain <paramref name="labels"/>; 0 when absent.</summary>
    public double Value(string name, string labels = "")
    {
        foreach (var line in Text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.StartsWith('#')) continue;
            var rest = line[name.Length..];
            if (rest.Length > 0 && rest[0] != '{' && rest[0] != ' ') continue;
            if (labels.Length > 0 && !rest.Contains(labels, StringComparison.Ordinal)) continue;
            return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
