using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>
/// One plan step as a kernel class sees it while binding: its op, operand and output tensor ids (a fresh array
/// the kernel may keep), the plan's types, the uploaded weights, and how the step is named in errors.
/// </summary>
internal sealed class KernelSite
{
    public KernelSite(LoadedPlan plan, int step, TensorPool weights)
    {
        Plan = plan;
        Step = step;
        Op = plan.Ops[step] ?? throw new ArgumentException($"step {step} is a deallocate: it has no kernel");
        Inputs = [.. plan.Steps[step].Inputs];
        Output = plan.Steps[step].Output;
        Weights = weights;
    }

    public LoadedPlan Plan { get; }
    public int Step { get; }
    public Op Op { get; }
    public int[] Inputs { get; }
    public int Output { get; }
    public TensorPool Weights { get; }

    public TensorType TypeOf(int id) => Plan.Types[id];

    public TensorType InputType(int index) => Plan.Types[Inputs[index]];

    public TensorType OutputType => Plan.Types[Output];

    /// <summary>Whether the operand at <paramref name="index"/> is a weight of the plan (known at load, not computed).</summary>
    public bool IsWeight(int index) => index < Inputs.Length && Plan.Tensor(Inputs[index]).Kind == PlanTensorKind.Weight;

    public string What => Plan.Describe(Step);
}

/// <summary>What a kernel needs to know about an operand at bind time, before any run has produced it.</summary>
internal readonly record struct DeviceTensorProbe(DType DType);
