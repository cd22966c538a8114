package dev.antorcha.cuda;

import dev.antorcha.backend.BinaryOp;
import dev.antorcha.backend.UnaryOp;
import dev.antorcha.tensor.DType;

/**
 * The element-wise ops of {@link EmulatedKernels}: which op a kernel's defines name (matched
 * against the expressions {@link CudaKernels} writes), and each op's value as the C expression
 * computes it, in float where the element type is float.
 */
final class EmulatedOps {
    private EmulatedOps() {
    }

    static UnaryOp unaryOp(String expr, DType dtype) {
        for (UnaryOp op : UnaryOp.values()) if (expr.equals(CudaKernels.unaryExpression(op, dtype))) return op;
        throw new IllegalArgumentException("no unary op " + expr);
    }

    static BinaryOp binaryOp(String expr, DType dtype) {
        for (BinaryOp op : BinaryOp.values()) if (expr.equals(CudaKernels.binaryExpression(op, dtype))) return op;
        throw new IllegalArgumentException("no binary op " + expr);
    }

    static DType dtypeOf(String c) {
        return switch (c) {
            case "float" -> DType.FLOAT32;
            case "double" -> DType.FLOAT64;
            case "long long" -> DType.INT64;
            case "int" -> DType.INT32;
            case "short" -> DType.INT16;
            case "signed char" -> DType.INT8;
            default -> DType.UINT8;
        };
    }

    static double unary(UnaryOp op, double v, double p0, double p1, boolean f32) {
        double r = switch (op) {
            case COPY -> v;
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> v > 0 ? 1 : v < 0 ? -1 : v;
            case CLAMP -> v < p0 ? p0 : v > p1 ? p1 : v;
            case RELU -> v != v ? v : v > 0 ? v : 0;
            case EXP -> f32 ? (float) Math.exp((float) v) : Math.exp(v);
            case LOG -> f32 ? (float) Math.log((float) v) : Math.log(v);
            case SQRT -> Math.sqrt(v);
            case SIGMOID -> f32 ? 1f / (1f + (float) Math.exp(-(float) v)) : 1 / (1 + Math.exp(-v));
            case TANH -> Math.tanh(v);
            case POW_SCALAR -> Math.pow(v, p0);
            case ERF -> erf(v, f32 ? DType.FLOAT32 : DType.FLOAT64);
        };
        return f32 ? (float) r : r;
    }

    /** The CPU backend's error function in {@code dtype} (the emulation's concern is the host side, not erf's digits). */
    private static double erf(double x, DType dtype) {
        dev.antorcha.tensor.Tensor in = dev.antorcha.Antorcha.tensor(new double[] {x}).to(dtype);
        dev.antorcha.tensor.Tensor out = dev.antorcha.backend.Backends.cpu().empty(dtype, 1);
        dev.antorcha.backend.Backends.cpu().unary(UnaryOp.ERF, in, out, 0, 0);
        return out.toDoubleArray()[0];
    }

    static double binary(BinaryOp op, double x, double y, boolean f32) {
        double r = switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> x != x ? x : y != y ? y : Math.max(x, y);
            case MINIMUM -> x != x ? x : y != y ? y : Math.min(x, y);
            case MASK_POSITIVE -> y <= 0 ? 0 : x;
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
        return f32 && !op.isComparison() ? (float) r : r;
    }

    static long binaryLong(BinaryOp op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case MASK_POSITIVE -> y <= 0 ? 0 : x;
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            default -> throw new IllegalArgumentException(op + " of integers has no kernel");
        };
    }

}
