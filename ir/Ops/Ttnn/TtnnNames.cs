namespace VoxTile.IR.Ops.Ttnn;

/// <summary>TTNN names that are not graph ops.</summary>
public static class TtnnOps
{
    /// <summary>
    /// <c>ttnn.deallocate(tensor, force)</c> frees a device buffer and has no result, so it is not a graph op: it is a
    /// step of the device plan, written by the planner after a value's last use.
    /// </summary>
    public const string Deallocate = "ttnn.deallocate";
}
