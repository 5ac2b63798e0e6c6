// Float32 matrix products on the wasm backend's own memory, through the machine's BLAS.
//
// Why: a SOLAR training step on tfjs-wasm spends 69-83% of its time in BatchMatMul
// (bench/kernelProfile.ts), and wasm's XNNPACK runs on one core at 12-28% of the
// machine's sgemm peak. OpenBLAS's cblas_sgemm runs close to a core's peak, and this
// addon splits each product across the cores with threads of its own (runThreaded).
//
// How: the library is opened at run time with dlopen (so building this addon needs no
// BLAS headers or -dev package, only a C compiler), and the operands are Float32Array
// views onto the wasm heap: the product is computed in place, with no copies.
//
// JS API (see trainer/backend/nativeBlas.ts):
//   open(path) -> { path, config }     throws Error with dlerror()'s text;
//                  sets the BLAS's own threads to 1 (see solarThreadCount)
//   setThreads(n)   threads a product is split across (default 1; the JS side sets the core count)
//   matmul(a, b, c, batch, M, N, K, transA, transB, strideA, strideB)
//     a: Float32Array holding `batch` slices [M, K] ([K, M] when transA), slice i at
//        i * strideA elements (strideA = 0 broadcasts one slice to every batch);
//     b: likewise [K, N] ([N, K] when transB) at i * strideB;
//     c: Float32Array [batch, M, N], overwritten (beta = 0).
//   adamw, swiglu, swigluGrad, rmsnorm(Grad): fused elementwise kernels (solarFused.c);
//   maskedSoftmax, softmaxGrad: solarSoftmax.c; attention (decoding): solarAttention.c;
//   ropeHeads (rotary positions, into heads and back): solarRope.c.
//   Sizes are checked against the arrays' lengths before any pointer is touched.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "solarNative.h"

// The CBLAS ABI (cblas.h); declared here so no header package is needed.
enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };
typedef void (*SgemmFn)(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a,
                        int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*SetThreadsFn)(int);
typedef char *(*GetConfigFn)(void);

static SgemmFn sgemm = NULL;
static GetConfigFn getConfig = NULL;
static char loadedPath[1024] = ""; // the library sgemm came from
// Threads a product is split across (setThreads). The BLAS itself is set to one thread:
// OpenBLAS's own workers spin while they wait, which on a busy machine (the extension
// host, a second run, a test suite) made products 10x slower than one thread; ours are
// started per product and joined, and they split attention's many small slices, which
// OpenBLAS would run one after the other.
int solarThreadCount = 1;

// Below this many multiply-adds in all, a product runs on the calling thread alone:
// starting a thread costs ~20-50 us, what ~2-5 M multiply-adds take on one core.
#define MIN_THREADED_MACS (1 << 21)

// One thread's share of a product: slices [first, last), rows [row0, row1) of each.
typedef struct {
  int64_t first, last, row0, row1, m, n, k, strideA, strideB;
  int transA, transB, lda, ldb;
  const float *a, *b;
  float *c;
} Share;

static void runShare(const Share *w) {
  const int64_t rows = w->row1 - w->row0;
  if (rows <= 0) return;
  // Rows r0.. of op(A): rows of A itself, or columns of a transposed A (stored [K, M]).
  const int64_t aOffset = w->transA ? w->row0 : w->row0 * w->lda;
  for (int64_t i = w->first; i < w->last; i++) {
    sgemm(CBLAS_ROW_MAJOR, w->transA ? CBLAS_TRANS : CBLAS_NO_TRANS, w->transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
          (int)rows, (int)w->n, (int)w->k, 1.0f, w->a + i * w->strideA + aOffset, w->lda, w->b + i * w->strideB, w->ldb,
          0.0f, w->c + i * w->m * w->n + w->row0 * w->n, (int)w->n);
  }
}

static void *runShareThread(void *arg) {
  runShare((const Share *)arg);
  return NULL;
}

// Runs `whole` on up to solarThreadCount threads: by slices when there are at least as many
// slices as threads, else by row blocks of every slice. This thread runs the last share;
// a thread that cannot start leaves its share to this one.
static void runThreaded(const Share *whole, int64_t batch) {
  int threads = solarThreadCount;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  const int64_t macs = batch * whole->m * whole->n * whole->k;
  const bool bySlices = batch >= threads;
  if (!bySlices && whole->m < threads) threads = (int)whole->m;
  if (threads <= 1 || macs < MIN_THREADED_MACS) {
    runShare(whole);
    return;
  }
  Share parts[MAX_THREADS];
  pthread_t ids[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  for (int t = 0; t < threads; t++) {
    parts[t] = *whole;
    if (bySlices) {
      parts[t].first = batch * t / threads;
      parts[t].last = batch * (t + 1) / threads;
    } else {
      parts[t].row0 = whole->m * t / threads;
      parts[t].row1 = whole->m * (t + 1) / threads;
    }
  }
  for (int t = 0; t + 1 < threads; t++) started[t] = pthread_create(&ids[t], NULL, runShareThread, &parts[t]) == 0;
  runShare(&parts[threads - 1]);
  for (int t = 0; t + 1 < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else runShare(&parts[t]);
  }
}

static napi_value setNamed(napi_env env, napi_value obj, const char *name, napi_value value) {
  return napi_set_named_property(env, obj, name, value) == napi_ok ? obj : NULL;
}

// open(path): loads the library and resolves cblas_sgemm. Idempotent per process for
// the first library that works; a later call returns that one, whatever path it names.
static napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[1024];
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, NULL) != napi_ok) {
    return throwError(env, "solarBlas.open(path): path must be a string");
  }
  if (sgemm == NULL) {
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) return throwError(env, dlerror());
    SgemmFn fn = (SgemmFn)dlsym(lib, "cblas_sgemm");
    if (fn == NULL) {
      char msg[1200];
      snprintf(msg, sizeof msg, "%s has no cblas_sgemm", path);
      dlclose(lib);
      return throwError(env, msg);
    }
    sgemm = fn;
    snprintf(loadedPath, sizeof loadedPath, "%s", path);
    getConfig = (GetConfigFn)dlsym(lib, "openblas_get_config");
    SetThreadsFn setThreads = (SetThreadsFn)dlsym(lib, "openblas_set_num_threads");
    if (setThreads != NULL) setThreads(1);
  }
  napi_value result, value;
  CHECK(env, napi_create_object(env, &result));
  CHECK(env, napi_create_string_utf8(env, loadedPath, NAPI_AUTO_LENGTH, &value));
  if (setNamed(env, result, "path", value) == NULL) return NULL;
  const char *config = getConfig != NULL ? getConfig() : "unknown BLAS";
  CHECK(env, napi_create_string_utf8(env, config, NAPI_AUTO_LENGTH, &value));
  if (setNamed(env, result, "config", value) == NULL) return NULL;
  return result;
}

static bool int64Arg(napi_env env, napi_value value, int64_t *out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

// Elements that `batch` slices of `rows * cols` at `stride` apart reach.
static int64_t reach(int64_t batch, int64_t stride, int64_t rows, int64_t cols) {
  return (batch - 1) * stride + rows * cols;
}

static napi_value Matmul(napi_env env, napi_callback_info info) {
  if (sgemm == NULL) return throwError(env, "solarBlas.matmul: no BLAS library is open (call open first)");
  napi_value argv[11];
  if (!exactArgs(env, info, 11, argv, "matmul")) return NULL;
  size_t lenA = 0, lenB = 0, lenC = 0;
  const float *a = floatArray(env, argv[0], &lenA);
  const float *b = floatArray(env, argv[1], &lenB);
  float *c = floatArray(env, argv[2], &lenC);
  if (a == NULL || b == NULL || c == NULL) return throwError(env, "solarBlas.matmul: a, b, c must be Float32Arrays");
  int64_t n64[6];
  for (int i = 0; i < 3; i++) {
    if (!int64Arg(env, argv[3 + i], &n64[i])) return throwError(env, "solarBlas.matmul: batch, M, N must be integers");
  }
  int64_t batch = n64[0], m = n64[1], n = n64[2], k = 0, strideA = 0, strideB = 0;
  bool transA = false, transB = false;
  if (!int64Arg(env, argv[6], &k) || napi_get_value_bool(env, argv[7], &transA) != napi_ok ||
      napi_get_value_bool(env, argv[8], &transB) != napi_ok || !int64Arg(env, argv[9], &strideA) ||
      !int64Arg(env, argv[10], &strideB)) {
    return throwError(env, "solarBlas.matmul: K, strides must be integers and transA, transB booleans");
  }
  // cblas takes int sizes: anything past 2^31 elements per dimension is refused.
  if (batch < 1 || m < 1 || n < 1 || k < 1 || strideA < 0 || strideB < 0 || m > INT32_MAX || n > INT32_MAX ||
      k > INT32_MAX) {
    return throwRange(env, "solarBlas.matmul: sizes must be positive and strides non-negative");
  }
  if (reach(batch, strideA, m, k) > (int64_t)lenA || reach(batch, strideB, k, n) > (int64_t)lenB ||
      batch * m * n > (int64_t)lenC) {
    return throwRange(env, "solarBlas.matmul: an operand is shorter than its shape and strides say");
  }
  // Row-major leading dimensions: the stored row length of each operand.
  Share whole = {0, batch, 0, m, m, n, k, strideA, strideB, transA, transB, (int)(transA ? m : k),
                 (int)(transB ? k : n), a, b, c};
  runThreaded(&whole, batch);
  return NULL;
}

// setThreads(n): how many threads a product is split across (1: the calling thread only).
static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1 || n > 64) {
    return throwRange(env, "solarBlas.setThreads(n): n must be an integer from 1 to 64");
  }
  solarThreadCount = n;
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, Open, NULL, NULL, NULL, napi_default, NULL},
      {"matmul", NULL, Matmul, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"adamw", NULL, solarAdamw, NULL, NULL, NULL, napi_default, NULL},
      {"swiglu", NULL, solarSwiglu, NULL, NULL, NULL, napi_default, NULL},
      {"swigluGrad", NULL, solarSwigluGrad, NULL, NULL, NULL, napi_default, NULL},
      {"softmaxGrad", NULL, solarSoftmaxGrad, NULL, NULL, NULL, napi_default, NULL},
      {"rmsnorm", NULL, solarRmsnorm, NULL, NULL, NULL, napi_default, NULL},
      {"maskedSoftmax", NULL, solarMaskedSoftmax, NULL, NULL, NULL, napi_default, NULL},
      {"rmsnormGrad", NULL, solarRmsnormGrad, NULL, NULL, NULL, napi_default, NULL},
      {"attention", NULL, solarAttention, NULL, NULL, NULL, napi_default, NULL},
      {"ropeHeads", NULL, solarRopeHeads, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
