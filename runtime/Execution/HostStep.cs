namespace VoxTile.Runtime.Execution;

/// <summary>
/// A plan step no native kernel runs: its op has none, or its kernel cannot take this step's attributes. It runs on
/// the host with the op's fp32 reference only where the caller allows it (<see cref="ExecutorOptions.AllowHost"/>,
/// <c>--allow-host</c>).
/// </summary>
public sealed record HostStep(int Step, string Op, string? Origin, string Reason)
{
    /// <summary>The one line that refuses the plan.</summary>
    public string Refusal(int of) =>
        $"plan step {Step} {Op}{(Origin is { } o ? $" (from %{o})" : "")} has no CPU kernel{(Reason.Length > 0 ? " " + Reason : "")}"
        + $"{(of > 1 ? $" (the first of {of} such steps)" : "")}; pass --allow-host to run it on the host with its fp32 reference";
}
