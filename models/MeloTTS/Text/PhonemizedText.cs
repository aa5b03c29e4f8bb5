namespace VoxTile.Models.MeloTTS.Text;

/// <summary>
/// <c>clean_text</c>'s output for one piece of text (spec §3): the normalized text, the phones with <c>_</c> at both
/// ends, one raw tone per phone, and the phones per word piece (<c>word2ph</c>, the <c>_</c>s counting 1), before
/// add_blank.
/// </summary>
public sealed record PhonemizedText(string Text, IReadOnlyList<string> Phones, IReadOnlyList<int> Tones, IReadOnlyList<int> WordToPhone);
