namespace VoxTile.Cli.Dump;

/// <summary>One colour per placement, shared by the dot and HTML views.</summary>
internal static class Colors
{
    public static string Of(string placement) => placement switch
    {
        "l1-sharded" => "#8fd694",
        "l1" => "#cdeac0",
        "dram" => "#a9c8f0",
        "host" => "#f3d9a4",
        _ => "#e6e6e6",
    };

    public static IReadOnlyList<(string Placement, string Meaning)> Legend { get; } =
    [
        ("l1-sharded", "L1, sharded"),
        ("l1", "L1, interleaved"),
        ("dram", "DRAM"),
        ("host", "host"),
        ("none", "not placed yet"),
    ];
}
