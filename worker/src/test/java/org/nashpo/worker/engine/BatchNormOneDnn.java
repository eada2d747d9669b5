package org.nashpo.worker.engine;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Design (a): oneDNN's batch-normalization primitive called directly through JavaCPP's bindings of its C API
 * ({@code org.bytedeco:dnnl} 2.5.2, a second oneDNN beside the 2.3.0 libnd4j links in statically, whose
 * {@code dnnl_*} symbols are local to libnd4jcpu.so). {@code forward_training} with {@code use_scale |
 * use_shift} computes the batch mean and biased variance itself; {@code backward} gives dx, dγ and dβ in one
 * call. Both primitives and every memory object are made once, here, each memory object over the INDArray's
 * own native memory (its buffer's address plus the view's offset): a call copies nothing.
 *
 * <p>float32 only: oneDNN 2.5 has no f64 data type at all (f32, bf16, f16 and the integer types). The running
 * statistics are not oneDNN's business; they are updated here from the batch statistics it wrote.
 */
final class BatchNormOneDnn implements BatchNormDesign {

    private static dnnl_engine engine;
    private static dnnl_stream stream;

    private final BatchNormArrays a;
    private final int channels;
    private final double unbiased;
    private final List<dnnl_memory> memories = new ArrayList<>();
    private final dnnl_primitive_desc forwardDescriptor;
    private final dnnl_primitive_desc backwardDescriptor;
    private final dnnl_primitive forward;
    private final dnnl_primitive backward;
    private final dnnl_exec_arg_t forwardArgs;
    private final dnnl_exec_arg_t backwardArgs;

    BatchNormOneDnn(BatchNormArrays a) {
        if (a.type != DataType.FLOAT) {
            throw new IllegalArgumentException("oneDNN's batch normalization is float32 only, was " + a.type);
        }
        this.a = a;
        channels = (int) a.shape[1];
        long m = a.x.length() / channels;
        unbiased = m > 1 ? m / (m - 1.0) : 1;
        start();
        dnnl_memory_desc_t data = new dnnl_memory_desc_t();
        check(dnnl.dnnl_memory_desc_init_by_tag(data, 4, a.shape, dnnl.dnnl_f32, dnnl.dnnl_nchw), "data descriptor");
        dnnl_memory_desc_t perChannel = new dnnl_memory_desc_t();
        check(dnnl.dnnl_memory_desc_init_by_tag(perChannel, 1, new long[] {channels}, dnnl.dnnl_f32, dnnl.dnnl_x),
                "per-channel descriptor");
        int flags = dnnl.dnnl_use_scale | dnnl.dnnl_use_shift;
        float eps = (float) CellEngine.BN_EPS;

        dnnl_batch_normalization_desc_t fd = new dnnl_batch_normalization_desc_t();
        check(dnnl.dnnl_batch_normalization_forward_desc_init(fd, dnnl.dnnl_forward_training, data, eps, flags),
                "forward descriptor");
        forwardDescriptor = descriptor(fd, null, "forward");
        dnnl_batch_normalization_desc_t bd = new dnnl_batch_normalization_desc_t();
        check(dnnl.dnnl_batch_normalization_backward_desc_init(bd, dnnl.dnnl_backward, data, data, eps, flags),
                "backward descriptor");
        backwardDescriptor = descriptor(bd, forwardDescriptor, "backward");
        forward = primitive(forwardDescriptor, "forward");
        backward = primitive(backwardDescriptor, "backward");

        dnnl_memory x = memory(data, a.x);
        dnnl_memory mean = memory(perChannel, a.mean);
        dnnl_memory variance = memory(perChannel, a.variance);
        dnnl_memory gamma = memory(perChannel, a.gamma);
        dnnl_memory beta = memory(perChannel, a.beta);
        forwardArgs = args(new int[] {DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN,
            DNNL_ARG_VARIANCE}, x, memory(data, a.y), gamma, beta, mean, variance);
        // oneDNN 2.5 counts the shift among the backward's inputs when use_shift is set (without it the call
        // fails with dnnl_invalid_arguments), although dx does not depend on it
        backwardArgs = args(new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_SCALE, DNNL_ARG_SHIFT, DNNL_ARG_MEAN,
            DNNL_ARG_VARIANCE, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_SCALE, DNNL_ARG_DIFF_SHIFT}, x, memory(data, a.dy),
                gamma, beta, mean, variance, memory(data, a.dx), memory(perChannel, a.dGamma),
                memory(perChannel, a.dBeta));
    }

    /** The oneDNN that answers this class's calls (2.5.2, not libnd4j's). */
    static String version() {
        dnnl_version_t v = dnnl.dnnl_version();
        return v.major() + "." + v.minor() + "." + v.patch();
    }

    /** One CPU engine and one in-order stream for the process, as oneDNN intends. */
    private static synchronized void start() {
        if (engine != null) {
            return;
        }
        PointerPointer<?> p = new PointerPointer<>(1);
        check(dnnl.dnnl_engine_create(p, dnnl.dnnl_cpu, 0), "CPU engine");
        engine = new dnnl_engine(p.get(0));
        check(dnnl.dnnl_stream_create(p, engine, dnnl.dnnl_stream_default_flags), "stream");
        stream = new dnnl_stream(p.get(0));
    }

    private static dnnl_primitive_desc descriptor(Pointer opDescriptor, dnnl_primitive_desc hint, String what) {
        PointerPointer<?> p = new PointerPointer<>(1);
        check(dnnl.dnnl_primitive_desc_create(p, new const_dnnl_op_desc_t(opDescriptor), null, engine, hint),
                what + " primitive descriptor");
        return new dnnl_primitive_desc(p.get(0));
    }

    private static dnnl_primitive primitive(dnnl_primitive_desc descriptor, String what) {
        PointerPointer<?> p = new PointerPointer<>(1);
        check(dnnl.dnnl_primitive_create(p, descriptor), what + " primitive");
        return new dnnl_primitive(p.get(0));
    }

    /** A memory object over the array's own native memory, which oneDNN then reads and writes in place. */
    private dnnl_memory memory(dnnl_memory_desc_t descriptor, INDArray array) {
        PointerPointer<?> p = new PointerPointer<>(1);
        check(dnnl.dnnl_memory_create(p, descriptor, engine, at(address(array))), "memory");
        dnnl_memory m = new dnnl_memory(p.get(0));
        memories.add(m);
        return m;
    }

    /** Where an INDArray view's first element lives: its buffer's address plus the view's offset. */
    static long address(INDArray array) {
        if (array.ordering() != 'c' || !Shape.isContiguousInBuffer(array)) {
            throw new IllegalArgumentException("a contiguous c-order array, was " + array.shapeInfoToString());
        }
        return array.data().address() + array.offset() * array.data().getElementSize();
    }

    /**
     * A JavaCPP pointer at a raw address. (Inside the anonymous subclass an unqualified {@code address} is
     * Pointer's own field, not a parameter of that name: the parameter must be named otherwise.)
     */
    private static Pointer at(long where) {
        return new Pointer() {
            {
                address = where;
            }
        };
    }

    private static dnnl_exec_arg_t args(int[] kinds, dnnl_memory... memory) {
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(kinds.length);
        for (int i = 0; i < kinds.length; i++) {
            args.position(i).arg(kinds[i]).memory(memory[i]);
        }
        return args.position(0);
    }

    private static void check(int status, String what) {
        if (status != dnnl.dnnl_success) {
            throw new IllegalStateException("oneDNN: " + what + " failed with status " + status);
        }
    }

    @Override
    public void forwardTraining() {
        check(dnnl.dnnl_primitive_execute(forward, stream, (int) forwardArgs.capacity(), forwardArgs), "forward");
        double momentum = CellEngine.BN_MOMENTUM;
        for (int k = 0; k < channels; k++) {
            a.runningMean.putScalar(k, (1 - momentum) * a.runningMean.getDouble(k) + momentum * a.mean.getDouble(k));
            a.runningVar.putScalar(k, (1 - momentum) * a.runningVar.getDouble(k)
                    + momentum * unbiased * a.variance.getDouble(k));
        }
    }

    @Override
    public void backward() {
        check(dnnl.dnnl_primitive_execute(backward, stream, (int) backwardArgs.capacity(), backwardArgs), "backward");
    }

    @Override
    public void close() {
        memories.forEach(dnnl::dnnl_memory_destroy);
        memories.clear();
        dnnl.dnnl_primitive_destroy(forward);
        dnnl.dnnl_primitive_destroy(backward);
        dnnl.dnnl_primitive_desc_destroy(forwardDescriptor);
        dnnl.dnnl_primitive_desc_destroy(backwardDescriptor);
        forwardArgs.close();
        backwardArgs.close();
    }
}
