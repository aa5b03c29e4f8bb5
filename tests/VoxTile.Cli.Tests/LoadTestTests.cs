using System.Net;
using System.Net.Sockets;

namespace VoxTile.Cli.Tests;

/// <summary><c>voxtile loadtest</c> refuses, in one line and before sending anything, what it must not or cannot load.</summary>
public sealed class LoadTestTests
{
    [Theory]
    [InlineData(new[] { "loadtest", "--url", "http://example.com:8000" }, "only calls a server on this machine")]
    [InlineData(new[] { "loadtest", "--url", "http://192.168.1.20:8000" }, "not '192.168.1.20'")]
    [InlineData(new[] { "loadtest", "--url", "not a url" }, "is not an absolute URL")]
    [InlineData(new[] { "loadtest", "--concurrency", "0" }, "--concurrency")]
    [InlineData(new[] { "loadtest", "--requests", "1000000" }, "--requests")]
    [InlineData(new[] { "loadtest", "--seconds", "0" }, "--seconds")]
    [InlineData(new[] { "loadtest", "--route", "tts" }, "--route")]
    [InlineData(new[] { "loadtest", "--source", "missing.wav", "--route", "convert" }, "missing.wav: file not found")]
    public void BadCommandLinesAreOneLine(string[] args, string fragment)
    {
        var (code, _, err) = CliRun.Run(args);
        CliRun.AssertOneLineError(code, err, fragment);
    }

    [Fact]
    public void NoServerIsOneLine()
    {
        // A port nothing listens on: bound, then released.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        socket.Close();
        var (code, _, err) = CliRun.Run("loadtest", "--url", $"http://127.0.0.1:{port}", "--requests", "1", "--seconds", "20");
        CliRun.AssertOneLineError(code, err, "no server at");
    }
}
