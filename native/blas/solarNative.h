// What solarBlas.c (the BLAS products, the module) and solarFused.c (fused elementwise
// kernels) share: argument helpers, the thread setting, the fused kernels' entry points.
#ifndef SOLAR_NATIVE_H
#define SOLAR_NATIVE_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

// The build has no -march (the packaged extension carries it to other machines), so loops
// vectorise for SSE2 only; a hot kernel marked with this is also compiled for AVX2, the
// variant picked when the addon loads (GCC's target_clones: an ifunc, so Linux x86-64 only).
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define SOLAR_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SOLAR_VECTOR_CLONES
#endif

// The most threads any one call is split across.
#define MAX_THREADS 64

// Threads a call is split across (setThreads; 1: the calling thread only).
extern int solarThreadCount;

#define CHECK(env, call)                                  \
  do {                                                    \
    if ((call) != napi_ok) {                              \
      napi_throw_error((env), NULL, "solarBlas: " #call); \
      return NULL;                                        \
    }                                                     \
  } while (0)

static inline napi_value throwError(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static inline napi_value throwRange(napi_env env, const char *message) {
  napi_throw_range_error(env, NULL, message);
  return NULL;
}

// Reads exactly `count` arguments into argv (room for `count`); false, with
// "solarBlas.<name> expects <count> arguments" thrown, otherwise.
static inline bool exactArgs(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *name) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "solarBlas: napi_get_cb_info");
    return false;
  }
  if (argc != count) {
    char message[96];
    snprintf(message, sizeof message, "solarBlas.%s expects %zu arguments", name, count);
    napi_throw_error(env, NULL, message);
    return false;
  }
  return true;
}

// A Float32Array argument's data pointer and length (elements); NULL on a wrong type.
static inline float *floatArray(napi_env env, napi_value value, size_t *length) {
  bool isTyped = false;
  if (napi_is_typedarray(env, value, &isTyped) != napi_ok || !isTyped) return NULL;
  napi_typedarray_type type;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &type, length, &data, NULL, NULL) != napi_ok) return NULL;
  return type == napi_float32_array ? (float *)data : NULL;
}

// `count` Float32Array arguments from argv (any lengths, into lengths[]) and `ints` positive
// integer arguments after them; false, with `floats` or `sizes` thrown, otherwise.
static inline bool floatsThenSizes(napi_env env, napi_value *argv, int count, float **arrays, size_t *lengths, int ints,
                                   int64_t *sizes, const char *floats, const char *sizesMessage) {
  for (int i = 0; i < count; i++) {
    arrays[i] = floatArray(env, argv[i], &lengths[i]);
    if (arrays[i] == NULL) {
      napi_throw_error(env, NULL, floats);
      return false;
    }
  }
  for (int i = 0; i < ints; i++) {
    if (napi_get_value_int64(env, argv[count + i], &sizes[i]) != napi_ok || sizes[i] < 1) {
      napi_throw_range_error(env, NULL, sizesMessage);
      return false;
    }
  }
  return true;
}

// solarFused.c: fn(ctx, begin, end) over items [0, n) of `grain` elements each, split
// across the threads; and `count` Float32Array arguments of one length (false with a JS
// error thrown on a wrong type or length).
typedef void (*RangeFn)(const void *ctx, int64_t begin, int64_t end);
void parallelFor(int64_t n, int64_t grain, RangeFn fn, const void *ctx);
bool floatArgs(napi_env env, napi_value *argv, int count, float **arrays, int64_t *n, const char *what);

// Entry points: solarFused.c, solarSoftmax.c, solarAttention.c, solarRope.c
napi_value solarAdamw(napi_env env, napi_callback_info info);
napi_value solarSwiglu(napi_env env, napi_callback_info info);
napi_value solarSwigluGrad(napi_env env, napi_callback_info info);
napi_value solarSoftmaxGrad(napi_env env, napi_callback_info info);
napi_value solarRmsnorm(napi_env env, napi_callback_info info);
napi_value solarMaskedSoftmax(napi_env env, napi_callback_info info);
napi_value solarRmsnormGrad(napi_env env, napi_callback_info info);
napi_value solarAttention(napi_env env, napi_callback_info info);
napi_value solarRopeHeads(napi_env env, napi_callback_info info);

#endif
