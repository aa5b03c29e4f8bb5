namespace VoxTile.Server.Voices;

/// <summary>A voice kept by the server: its id, the seconds of reference audio it came from, and its embedding se [1, gin, 1].</summary>
internal sealed record StoredVoice(string Id, double Seconds, DateTimeOffset Created, float[] Embedding);
