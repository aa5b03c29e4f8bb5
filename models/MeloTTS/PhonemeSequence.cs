namespace VoxTile.Models.MeloTTS;

/// <summary>Model-ready ids per token: symbol ids, tone ids (language offset applied) and language ids, of equal length.</summary>
public sealed record PhonemeSequence(int[] Phones, int[] Tones, int[] Languages)
{
    public int Length => Phones.Length;
}
