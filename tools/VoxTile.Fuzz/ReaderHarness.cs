using VoxTile.IR;

namespace VoxTile.Fuzz;

/// <summary>
/// One reader that faces files from outside (an upload, a download, a file handed on the command line), fed raw bytes.
/// The rule every reader keeps: the bytes parse, or the reader throws <see cref="VoxTileException"/> with a one-line
/// message. Anything else — another exception, a multi-line or empty message — is a finding, thrown as
/// <see cref="ReaderFinding"/> (SharpFuzz reports it to afl-fuzz as a crash).
/// </summary>
public sealed class ReaderHarness(string name, string corpus, params Action<byte[]>[] readers)
{
    /// <summary>Its name on the command line (wav, npy, checkpoint, plan, config).</summary>
    public string Name { get; } = name;

    /// <summary>Its seed corpus folder under tools/VoxTile.Fuzz/corpus.</summary>
    public string Corpus { get; } = corpus;

    /// <summary>
    /// Reads <paramref name="input"/> with each of the harness's readers; returns how many parsed it (the others refused
    /// it in one line), or throws <see cref="ReaderFinding"/>.
    /// </summary>
    public int Check(byte[] input) => readers.Count(read => Check(read, input));

    private bool Check(Action<byte[]> read, byte[] input)
    {
        try
        {
            read(input);
            return true;
        }
        catch (VoxTileException e)
        {
            if (string.IsNullOrWhiteSpace(e.Message) || e.Message.AsSpan().IndexOfAny('\n', '\r') >= 0)
                throw new ReaderFinding(Name, $"a refusal that is not one line: {e.Message.ReplaceLineEndings("⏎")}", e);
            return false;
        }
        catch (Exception e) when (e is not ReaderFinding)
        {
            throw new ReaderFinding(Name, $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }
}

/// <summary>A reader broke its rule on an input: the input is a crash to fix and to keep as a regression seed.</summary>
public sealed class ReaderFinding(string reader, string what, Exception inner) : Exception($"{reader} reader: {what}", inner);
