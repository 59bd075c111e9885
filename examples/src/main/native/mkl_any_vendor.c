/*
 * Lets Intel MKL (linked into DJL's libtorch) use the vector units an AMD CPU has.
 *
 * MKL picks its AVX-512 kernels only when these vendor checks say "Intel"; on AMD it falls back to
 * its AVX2 code, at about half the matrix-product speed on an AVX-512 CPU (measured here: 150-165
 * against 320-400 GFLOP/s on 2 Zen 5 cores). MKL still selects kernels by the CPU's feature flags,
 * so answering "yes" only makes it use instructions the CPU supports. The `spikegpt` launcher
 * builds this file and preloads it on AMD machines (SPIKEGPT_MKL_VENDOR_CHECK=keep turns it off).
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_intel_cpu(void) { return 1; }
