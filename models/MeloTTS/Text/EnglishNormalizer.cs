namespace VoxTile.Models.MeloTTS.Text;

/// <summary>MeloTTS's English <c>text_normalize</c> (spec §2): lowercase, times, numbers, abbreviations, in that order.</summary>
public static class EnglishNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.ToLowerInvariant();
        text = TimeNormalizer.Expand(text);
        text = NumberNormalizer.Normalize(text);
        return Abbreviations.Expand(text);
    }
}
