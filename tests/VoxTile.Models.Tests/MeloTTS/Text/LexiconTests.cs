using VoxTile.IR;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Models.Tests.MeloTTS.Text;

/// <summary>A fact skipped, with the reason, when ../shared/lexicon/cmudict.rep (what the carried lexicon is packed from) is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedLexiconFactAttribute : FactAttribute
{
    public SharedLexiconFactAttribute()
    {
        if (LexiconTests.SharedFile() is null) Skip = "../shared/lexicon/cmudict.rep beside the repository is absent";
    }
}

/// <summary>The lexicon VoxTile carries is MeloTTS's cmudict.rep, entry for entry; a --lexicon file goes over it.</summary>
public sealed class LexiconTests : IDisposable
{
    private readonly string _overlay = Path.Combine(Path.GetTempPath(), $"voxtile-overlay-{Guid.NewGuid():N}.dict");

    public void Dispose() => File.Delete(_overlay);

    internal static string? SharedFile()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VoxTile.slnx")))
            {
                var path = Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "lexicon", "cmudict.rep"));
                return File.Exists(path) ? path : null;
            }
        return null;
    }

    /// <summary>"and" and "company" differ between MeloTTS's cmudict.rep and npm's cmu-pronouncing-dictionary 3.0.0.</summary>
    [Fact]
    public void TheCarriedLexiconHasMeloTtssPhones()
    {
        var lexicon = CmuLexicon.Carried();
        Assert.InRange(lexicon.Count, 100_000, 200_000);
        Assert.Equal(["AE1", "N", "D"], lexicon.Lookup("and"));
        Assert.Equal(["K", "AH1", "M", "P", "AH0", "N", "IY0"], lexicon.Lookup("Company"));
        Assert.Equal(["HH", "AH0", "L", "OW1"], lexicon.Lookup("HELLO"));
        Assert.Null(lexicon.Lookup("AND(2)"));
        Assert.Null(lexicon.Lookup("qwzxv"));
    }

    [SharedLexiconFact]
    public void TheCarriedLexiconIsTheSharedFileEntryForEntry()
    {
        var shared = CmuLexicon.Load(SharedFile()!);
        var carried = CmuLexicon.Carried();
        var plain = shared.Words.Where(w => !w.EndsWith(')')).ToList();
        Assert.Equal(plain.Count, carried.Count);
        foreach (var word in plain) Assert.Equal(shared.Lookup(word), carried.Lookup(word));
    }

    [Fact]
    public void AnOverlayAddsAndReplacesEntriesAndLeavesTheRest()
    {
        File.WriteAllLines(_overlay, [";;; plain CMUdict form", "and  AH0 N D", "VOXTILE  V AA1 K S - T AY2 L"]);
        var under = CmuLexicon.Carried();
        var over = under.Overlay(_overlay);
        Assert.Equal(["AH0", "N", "D"], over.Lookup("and"));
        Assert.Equal(["V", "AA1", "K", "S", "T", "AY2", "L"], over.Lookup("VoxTile"));
        Assert.Equal(under.Lookup("hello"), over.Lookup("hello"));
        Assert.Equal(under.Count + 1, over.Count);
        Assert.Equal(["AE1", "N", "D"], under.Lookup("and"));
        Assert.Null(under.Lookup("voxtile"));
    }

    [Fact]
    public void TheFrontEndReadsTheOverlayFirst()
    {
        File.WriteAllLines(_overlay, ["CAT  K AE1 T S"]);
        var p = TextFrontEnds.For("EN", _overlay).Phonemize("cat and dog");
        Assert.Equal(["_", "k", "ae", "t", "s", "ae", "n", "d", "d", "ao", "g", "_"], p.Phones);
    }

    [Theory]
    [InlineData("ES")]
    [InlineData("ZH")]
    [InlineData("klingon")]
    public void OtherLanguagesAreRefusedNamingTheSupportedOnes(string language)
    {
        var e = Assert.Throws<VoxTileException>(() => TextFrontEnds.For(language));
        Assert.Contains($"'{language}'", e.Message);
        Assert.Contains("(supported: EN)", e.Message);
    }

    [Fact]
    public void AMissingOverlayIsOneClearError()
    {
        var e = Assert.Throws<VoxTileException>(() => TextFrontEnds.For("EN", "/no/such/words.dict"));
        Assert.Contains("/no/such/words.dict", e.Message);
    }
}
