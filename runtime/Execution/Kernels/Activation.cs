// The fused conv epilogue's activations are the bindings' own enum (vt_activation), never integers kept by hand.
global using Activation = VoxTile.Runtime.Native.VtActivation;
