using System.Runtime.InteropServices;
using System.Text;

namespace VoxTile.Models.MeloTTS.Text.Espeak;

/// <summary>
/// The few calls of libespeak-ng (Debian's <c>libespeak-ng1</c>) that turn text into phonemes: loaded once per process
/// with <see cref="NativeLibrary"/>, initialized without audio, one voice. espeak-ng keeps its state in globals and is
/// not thread-safe, so every call holds one lock. Absent library or data: <see cref="Shared"/> is null and
/// <see cref="WhyNot"/> says why.
/// </summary>
public sealed unsafe class EspeakNg
{
    public const string LibraryName = "libespeak-ng.so.1";

    // speak_lib.h: AUDIO_OUTPUT_SYNCHRONOUS plays nothing; espeakINITIALIZE_DONT_EXIT returns an error instead of
    // exit() when the data folder is missing; espeakCHARS_UTF8; phoneme mode bit 1 = IPA, bits 8–23 = separator.
    private const int AudioOutputSynchronous = 2;
    private const int InitializeDontExit = 0x8000;
    private const int CharsUtf8 = 1;
    private const int PhonemesIpa = 0x02;

    /// <summary>Put between phonemes, so "tʃ" (one phoneme) and "t ʃ" (two) differ.</summary>
    public const char Separator = '_';

    private static readonly Lazy<(EspeakNg? Library, string? WhyNot)> Loaded = new(Load);
    private static readonly Lock Gate = new();

    private readonly delegate* unmanaged<nint*, int, int, nint> _textToPhonemes;

    private EspeakNg(delegate* unmanaged<nint*, int, int, nint> textToPhonemes, string version, string voice)
    {
        _textToPhonemes = textToPhonemes;
        Version = version;
        Voice = voice;
    }

    /// <summary>The process's espeak-ng, set to American English; null when the library or its data is missing.</summary>
    public static EspeakNg? Shared => Loaded.Value.Library;

    /// <summary>Why <see cref="Shared"/> is null (null when it loaded).</summary>
    public static string? WhyNot => Loaded.Value.WhyNot;

    public string Version { get; }

    public string Voice { get; }

    /// <summary>The IPA phonemes of <paramref name="text"/>, <see cref="Separator"/> between phonemes, a space between words, stress marks (ˈ ˌ) before the stressed vowel.</summary>
    public string ToIpa(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        var ipa = new StringBuilder();
        lock (Gate)
        {
            fixed (byte* start = bytes)
            {
                // espeak_TextToPhonemes reads one clause per call and moves the pointer on; NULL at the end.
                nint at = (nint)start;
                while (at != 0)
                {
                    nint before = at;
                    var clause = Marshal.PtrToStringUTF8(_textToPhonemes(&at, CharsUtf8, PhonemesIpa | (Separator << 8)));
                    if (ipa.Length > 0) ipa.Append(' ');
                    ipa.Append(clause);
                    if (at == before) break;
                }
            }
        }
        return ipa.ToString().Trim();
    }

    private static (EspeakNg?, string?) Load()
    {
        if (!OperatingSystem.IsLinux()) return (null, "espeak-ng is loaded on Linux only");
        if (!NativeLibrary.TryLoad(LibraryName, out var handle))
            return (null, $"{LibraryName} not found (Debian: apt-get install libespeak-ng1; scripts/setup.sh installs it)");
        try
        {
            var initialize = (delegate* unmanaged<int, int, byte*, int, int>)NativeLibrary.GetExport(handle, "espeak_Initialize");
            var setVoice = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(handle, "espeak_SetVoiceByName");
            var info = (delegate* unmanaged<byte**, byte*>)NativeLibrary.GetExport(handle, "espeak_Info");
            var textToPhonemes = (delegate* unmanaged<nint*, int, int, nint>)NativeLibrary.GetExport(handle, "espeak_TextToPhonemes");
            const string voice = "en-us";
            lock (Gate)
            {
                if (initialize(AudioOutputSynchronous, 0, null, InitializeDontExit) <= 0)
                    return (null, "espeak-ng did not initialize (its data folder, espeak-ng-data, is missing?)");
                fixed (byte* name = Encoding.ASCII.GetBytes(voice + "\0"))
                    if (setVoice(name) != 0) return (null, $"espeak-ng has no '{voice}' voice");
                var version = Marshal.PtrToStringUTF8((nint)info(null)) ?? "?";
                return (new EspeakNg(textToPhonemes, version, voice), null);
            }
        }
        catch (EntryPointNotFoundException e) { return (null, $"{LibraryName} lacks {e.Message}"); }
    }
}
