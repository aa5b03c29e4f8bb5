namespace VoxTile.Cli.Dump;

/// <summary>One colour per placement, shared by the dot and HTML views.</summary>
internal static class Colors
{
    public static string Of(string placement) => placement switch
    {
        "l1-sharded" => "#8fd694",
        "l1" => "#cdeac0",
        "dram" => "#a9c8f0",
        "host-weight" => "#e4d7f0",
        "host" => "#f3d9a4",
        _ => "#e6e6e6",
    };

    /// <summary>What a colour stands for; a conv weight TTNN takes row-major on the host has its own, so that host means a host op, as in the summary.</summary>
    public static IReadOnlyList<(string Placement, string Meaning)> Legend { get; } =
    [
        ("l1-sharded", "L1, sharded"),
        ("l1", "L1, interleaved"),
        ("dram", "DRAM"),
        ("host-weight", "conv weight on the host (TTNN prepares it)"),
        ("host", "host op"),
        ("none", "not placed yet"),
    ];

    public static string Meaning(string placement) => Legend.FirstOrDefault(l => l.Placement == placement).Meaning ?? placement;
}
