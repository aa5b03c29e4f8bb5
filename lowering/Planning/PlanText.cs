using System.Text;
using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Planning;

/// <summary>
/// A device plan as graph text: the planned graph in schedule order, each value's type with its layout and
/// memory config, spills as <c>ttnn.to_memory_config</c>, and each <c>ttnn.deallocate</c> as a comment line (it
/// frees a buffer and defines no value), so the text parses back with the IR's parser. Noise draws are inputs that
/// carry their seed (<c>{noise_seed = N}</c>).
/// With <c>explain</c>, each value's line ends with why the planner placed it there.
/// </summary>
public static class PlanText
{
    private static string NoiseSeed(PlanTensor t) =>
        t.Kind == PlanTensorKind.Noise ? $" {{{IR.Ops.Graph.Input.NoiseSeedAttribute} = {AttributeMap.Format(t.Seed ?? 0)}}}" : "";

    public static string Print(DevicePlan plan, bool explain = false)
    {
        var sb = new StringBuilder();
        var s = plan.Summary;
        sb.Append("// plan for ").Append(plan.Target);
        if (plan.Bucket.Count > 0) sb.Append(", ").AppendJoin(", ", plan.Bucket.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key} {b.Value}"));
        sb.Append($": peak L1 {s.PeakL1BytesPerCore} of {s.L1BudgetPerCore} B per core, {s.Spills} spills, {s.Reshards} reshards, {s.Slices} ops sliced\n");
        sb.Append("graph @").Append(plan.Graph).Append('(');
        sb.AppendJoin(", ", plan.Inputs.Select(i => $"%{plan.Tensor(i).Name}: {plan.Tensor(i).Type}{NoiseSeed(plan.Tensor(i))}"));
        sb.Append(") {\n");
        foreach (var i in plan.Inputs)
        {
            var t = plan.Tensor(i);
            if (t.Kind == PlanTensorKind.Noise) sb.Append($"  // %{t.Name}: standard-normal draw, seed {t.Seed}\n");
            if (explain && t.Why is not null) sb.Append($"  // %{t.Name}: {OneLine(t.Why)}\n");
        }
        var defined = new HashSet<int>(plan.Inputs);
        foreach (var step in plan.Steps)
        {
            if (step.IsDeallocate)
            {
                sb.Append("  // ").Append(PlanStep.Deallocate).AppendJoin("", step.Inputs.Select(i => " %" + plan.Tensor(i).Name)).Append('\n');
                continue;
            }
            foreach (var i in step.Inputs)
            {
                var t = plan.Tensor(i);
                if (t.Kind != PlanTensorKind.Weight || !defined.Add(i)) continue;
                sb.Append($"  %{t.Name} = weight {AttributeMap.Quote(t.Key ?? t.Name)} : {t.Type}");
                if (explain && t.Why is not null) sb.Append("  // ").Append(OneLine(t.Why));
                sb.Append('\n');
            }
            var output = plan.Tensor(step.Output);
            defined.Add(step.Output);
            sb.Append($"  %{output.Name} = {step.Op}(").AppendJoin(", ", step.Inputs.Select(i => "%" + plan.Tensor(i).Name)).Append(')');
            if (step.Attributes.Count > 0)
                sb.Append(" {").AppendJoin(", ", step.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} = {a.Value}")).Append('}');
            sb.Append(" : ").Append(output.Type);
            if (explain && (output.Why ?? step.Why) is { } why) sb.Append("  // ").Append(OneLine(why));
            sb.Append('\n');
        }
        sb.Append("  return ").AppendJoin(", ", plan.Outputs.Select(o => "%" + plan.Tensor(o).Name)).Append("\n}\n");
        return sb.ToString();
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
