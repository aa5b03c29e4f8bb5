using VoxTile.IR;

namespace VoxTile.Runtime.Execution.Kernels;

/// <summary>One-operand SFPU ops on vt_unary: the opcode and its parameter (a slope, a scalar) bound at load.</summary>
internal sealed class UnaryKernel(int step, Op op, int[] inputs, int output, int code, float param) : StepKernel(step, op, inputs, output)
{
    public int Code { get; } = code;
    public float Param { get; } = param;

    public override string Family => "eltwise";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Unary(Code, Param, pool[Inputs[0]].View(), output.View(), what);

    /// <summary>vt_unary_op codes of the ttnn unary ops, and the parameter each takes from its attributes.</summary>
    public static (int Code, float Param)? Of(Op op) => op switch
    {
        IR.Ops.Ttnn.Relu => (0, 0),
        IR.Ops.Ttnn.LeakyRelu l => (1, l.NegativeSlope),
        IR.Ops.Ttnn.Tanh => (2, 0),
        IR.Ops.Ttnn.Sigmoid => (3, 0),
        IR.Ops.Ttnn.Exp => (4, 0),
        IR.Ops.Ttnn.Sqrt => (5, 0),
        IR.Ops.Ttnn.Gelu => (6, 0),
        IR.Ops.Ttnn.Log => (7, 0),
        IR.Ops.Ttnn.Ceil => (9, 0),
        IR.Ops.Ttnn.Abs => (11, 0),
        IR.Ops.Ttnn.Rsqrt => (13, 0),
        IR.Ops.Ttnn.Softplus s when s.Beta == 1f && s.Threshold == 20f => (16, 0),
        _ => op.Name switch
        {
            "ttnn.neg" => (8, 0),
            "ttnn.reciprocal" => (10, 0),
            "ttnn.floor" => (12, 0),
            "ttnn.erf" => (14, 0),
            "ttnn.silu" => (15, 0),
            "ttnn.square" => (17, 0),
            _ => null,
        },
    };
}

/// <summary>Two-tensor ops on vt_binary (NumPy broadcasting to the output's shape; comparisons give 1/0).</summary>
internal sealed class BinaryKernel(int step, Op op, int[] inputs, int output, int code) : StepKernel(step, op, inputs, output)
{
    public int Code { get; } = code;

    public override string Family => "eltwise";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Binary(Code, pool[Inputs[0]].View(), pool[Inputs[1]].View(), output.View(), what);

    public static int? Of(Op op) => op.Name switch
    {
        "ttnn.add" => 0,
        "ttnn.subtract" => 1,
        "ttnn.multiply" => 2,
        "ttnn.divide" => 3,
        "ttnn.maximum" => 4,
        "ttnn.minimum" => 5,
        "ttnn.pow" => 6,
        "ttnn.lt" => 7,
        "ttnn.le" => 8,
        "ttnn.gt" => 9,
        "ttnn.ge" => 10,
        "ttnn.eq" => 11,
        "ttnn.ne" => 12,
        _ => null,
    };
}

/// <summary><c>ttnn.where</c> on vt_where.</summary>
internal sealed class WhereKernel(int step, Op op, int[] inputs, int output) : StepKernel(step, op, inputs, output)
{
    public override string Family => "eltwise";

    public override void Run(TensorPool pool, DeviceTensor output, string what) =>
        NativeKernels.Where(pool[Inputs[0]].View(), pool[Inputs[1]].View(), pool[Inputs[2]].View(), output.View(), what);
}
