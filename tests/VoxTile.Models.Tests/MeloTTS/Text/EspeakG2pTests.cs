using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;
using VoxTile.Models.MeloTTS.Text.Espeak;

namespace VoxTile.Models.Tests.MeloTTS.Text;

/// <summary>Out-of-lexicon words through espeak-ng: IPA mapped to ARPAbet with stress, then MeloTTS's phones and tones.</summary>
public sealed class EspeakG2pTests
{
    /// <summary>Invented words and rare names; each is checked absent from the carried lexicon before it is read.</summary>
    private static readonly string[] OutOfLexicon =
        ["zorblax", "quintessentialize", "blorptastic", "xiomara", "zbigniewa", "thandiwe", "oluwaseun", "kvetchiness", "snorfle", "grumplestiltskin"];

    private static EspeakNg Library() =>
        EspeakNg.Shared ?? throw new InvalidOperationException($"espeak-ng did not load: {EspeakNg.WhyNot}");

    [EspeakFact]
    public void TheLibraryLoadsWithAnAmericanVoice()
    {
        var espeak = Library();
        Assert.Equal("en-us", espeak.Voice);
        Assert.Matches(@"^\d+\.\d+", espeak.Version);
        Assert.Equal("h_ə_l_ˈoʊ", espeak.ToIpa("hello"));
    }

    [EspeakFact]
    public void WordsAbsentFromTheLexiconGetValidPhonesAndAPrimaryStress()
    {
        var lexicon = CmuLexicon.Default();
        var front = new EnglishFrontEnd(lexicon, outOfLexicon: new EspeakG2p(Library()));
        foreach (var word in OutOfLexicon)
        {
            Assert.Null(lexicon.Lookup(word));
            var r = front.Phonemize(word);
            Assert.True(r.Phones.Count > 3, word);
            Assert.All(r.Phones, p => Assert.Contains(p, MeloSymbols.All));
            Assert.DoesNotContain("UNK", r.Phones);
            Assert.Equal(r.Phones.Count, r.WordToPhone.Sum());
            var vowelTones = r.Phones.Zip(r.Tones).Where(pt => IpaToArpabet.Vowels.Contains(pt.First.ToUpperInvariant())).Select(pt => pt.Second).ToList();
            var consonantTones = r.Phones.Zip(r.Tones).Where(pt => !IpaToArpabet.Vowels.Contains(pt.First.ToUpperInvariant())).Select(pt => pt.Second);
            Assert.NotEmpty(vowelTones);
            Assert.All(vowelTones, t => Assert.InRange(t, 1, 3));
            Assert.Contains(2, vowelTones); // a primary stress (digit 1 → tone 2); espeak gives some words two, as CMUdict does
            Assert.All(consonantTones, t => Assert.Equal(0, t));
            MeloText.Default.Encode(r.Phones, r.Tones, "EN");
        }
    }

    [EspeakFact]
    public void EspeakAgreesWithCmudictOnCommonWords()
    {
        var g2p = new EspeakG2p(Library());
        Assert.Equal(["Z", "AO1", "R", "B", "L", "AE0", "K", "S"], g2p.Phonemize("zorblax"));
        Assert.Equal(["HH", "AH0", "L", "OW1"], g2p.Phonemize("hello"));
        Assert.Equal(["N", "EY1", "SH", "AH0", "N"], g2p.Phonemize("nation"));
        Assert.Equal(["B", "AH1", "T", "AH0", "N"], g2p.Phonemize("button"));     // glottal stop, syllabic n
        Assert.Equal(["TH", "AH1", "R", "OW0", "B", "R", "EH2", "D"], g2p.Phonemize("thoroughbred")); // secondary stress
        Assert.Empty(g2p.Phonemize("привет"));
    }

    [EspeakFact]
    public void LexiconEntriesWinOverEspeak()
    {
        var lexicon = CmuLexicon.Empty();
        lexicon.Add(["ZORBLAX  Z IY1 P"]);
        var r = new EnglishFrontEnd(lexicon, outOfLexicon: new EspeakG2p(Library())).Phonemize("zorblax snorfle");
        Assert.Equal(["_", "z", "iy", "p"], r.Phones.Take(4));
        Assert.Equal(3, r.WordToPhone[1]);
        Assert.True(r.WordToPhone[2] > 3);
    }

    [EspeakFact]
    public void TheDefaultFrontEndReadsOutOfLexiconWordsWithEspeak()
    {
        var front = TextFrontEnds.For("EN");
        Assert.StartsWith("words outside the lexicon are read by espeak-ng", front.Describe());
        Assert.IsType<EspeakG2p>(((EnglishFrontEnd)front).OutOfLexicon);
    }

    /// <summary>espeak-ng keeps global state; concurrent front ends (the server's requests) get what one thread gets.</summary>
    [EspeakFact]
    public void ConcurrentCallsGiveWhatOneThreadGives()
    {
        var g2p = new EspeakG2p(Library());
        var alone = OutOfLexicon.Select(w => string.Join(' ', g2p.Phonemize(w))).ToArray();
        var together = new string[OutOfLexicon.Length * 20];
        Parallel.For(0, together.Length, i => together[i] = string.Join(' ', g2p.Phonemize(OutOfLexicon[i % OutOfLexicon.Length])));
        for (int i = 0; i < together.Length; i++) Assert.Equal(alone[i % alone.Length], together[i]);
    }

    [Theory]
    [InlineData("h_ə_l_ˈoʊ", "HH AH0 L OW1")]
    [InlineData("θ_ˈʌ_ɹ_oʊ_b_ɹ_ˌɛ_d", "TH AH1 R OW0 B R EH2 D")]
    [InlineData("b_ˈʌ_ʔ_n̩", "B AH1 T AH0 N")]
    [InlineData("f_ˈɑːɹ_m", "F AA1 R M")]
    [InlineData("f_ˈaɪɚ", "F AY1 ER0")]
    [InlineData("b_j_ˈuː_ɾ_i_f_əl", "B Y UW1 T IY0 F AH0 L")]
    [InlineData("ɡ_ɹ_ˈɑ̃_d", "G R AA1 D")]
    [InlineData("tʃ_ˈɜː_tʃ dʒ_ˈʌ_dʒ", "CH ER1 CH JH AH1 JH")]
    [InlineData("z_ɪ__ə_m_ˈɑːɹ_ɹ_ə", "Z IH0 AH0 M AA1 R R AH0")]
    public void IpaMapsToStressedArpabet(string ipa, string arpabet) =>
        Assert.Equal(arpabet, string.Join(' ', IpaToArpabet.Convert(ipa)));
}
