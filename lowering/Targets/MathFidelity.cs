namespace VoxTile.Lowering.Targets;

/// <summary>Tensix matrix-engine fidelity: how many passes over the mantissa bits a multiply takes.</summary>
public enum MathFidelity { LoFi, HiFi2, HiFi3, HiFi4 }
