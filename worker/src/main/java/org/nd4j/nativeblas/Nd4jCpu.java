package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Restores DL4J's oneDNN layer helpers on ND4J 1.0.0-M2.1. DL4J checks for oneDNN by calling
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} reflectively, but
 * that class moved (to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment}, method
 * {@code isUseONEDNN}); the failed lookup silently disables every oneDNN convolution, pooling and
 * BatchNorm helper, a ~10× slowdown on CPU. This class answers under the old name with what the
 * native library reports. It must keep this package name: do not relocate it when shading.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name DL4J looks up. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();
        private final boolean useOneDnn = nativeUsesOneDnn();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return useOneDnn;
        }

        /** False on a non-CPU backend or a native build without oneDNN. */
        private static boolean nativeUsesOneDnn() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = env.getMethod("getInstance").invoke(null);
                Method isUseOneDnn = env.getMethod("isUseONEDNN");
                return (boolean) isUseOneDnn.invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
