namespace VoxTile.Models.Tests.Device;

/// <summary>
/// The tests that compile and run whole models on the device runtime: heavy in memory and time, so they run one
/// after another (xunit runs the classes of one collection in sequence) while the light model tests run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DeviceRuns
{
    public const string Name = "device runs";
}
