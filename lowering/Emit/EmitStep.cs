using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>One op step as an op emitter sees it: the typed op, its operands and result as Python expressions and types.</summary>
internal sealed class EmitStep(PlanStep step, Op op, EmitContext context)
{
    public PlanStep Step { get; } = step;
    public Op Op { get; } = op;
    public EmitContext Context { get; } = context;

    public int InputCount => Step.Inputs.Count;

    /// <summary>Operand <paramref name="i"/> as a Python expression.</summary>
    public string In(int i) => Context.Var(Step.Inputs[i]);

    public TensorType InType(int i) => Context.TypeOf(Step.Inputs[i]);

    /// <summary>The result's variable.</summary>
    public string Out => Context.Local(Step.Output);

    public TensorType OutType => Context.TypeOf(Step.Output);

    /// <summary><c>memory_config=…</c> for the result's placement (nothing for a host result).</summary>
    public string? MemoryConfigArg => OutType.Memory is null ? null : "memory_config=" + Context.MemoryConfig(OutType);

    /// <summary><c>dtype=…</c> when the result's dtype is not operand <paramref name="input"/>'s (TTNN's default).</summary>
    public string? DTypeArgUnlessFrom(int input) => OutType.DType == InType(input).DType ? null : "dtype=" + TtnnSpelling.DType(OutType.DType);

    /// <summary><c>out = fn(args…)</c>, leaving out the null arguments.</summary>
    public string Assign(string function, params string?[] args) => $"{Out} = {Call(function, args)}";

    public static string Call(string function, params string?[] args) => function + "(" + string.Join(", ", args.Where(a => a is not null)) + ")";
}
