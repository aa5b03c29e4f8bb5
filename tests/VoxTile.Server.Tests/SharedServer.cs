namespace VoxTile.Server.Tests;

/// <summary>The endpoint tests share one server (starting one compiles plans).</summary>
[CollectionDefinition(nameof(SharedServer))]
public sealed class SharedServer : ICollectionFixture<ServerFixture>;
