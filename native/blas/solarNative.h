// What solarBlas.c (the BLAS products, the module) and solarFused.c (fused elementwise
// kernels) share: argument helpers, the thread setting, the fused kernels' entry points.
#ifndef SOLAR_NATIVE_H
#define SOLAR_NATIVE_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

// A Float32Array argument's data pointer and length (elements); NULL on a wrong type.
static inline float *floatArray(napi_env env, napi_value value, size_t *length) {
  bool isTyped = false;
  if (napi_is_typedarray(env, value, &isTyped) != napi_ok || !isTyped) return NULL;
  napi_typedarray_type type;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &type, length, &data, NULL, NULL) != napi_ok) return NULL;
  return type == napi_float32_array ? (float *)data : NULL;
}

// solarFused.c
napi_value solarAdamw(napi_env env, napi_callback_info info);
napi_value solarSwiglu(napi_env env, napi_callback_info info);
napi_value solarSwigluGrad(napi_env env, napi_callback_info info);
napi_value solarSoftmaxGrad(napi_env env, napi_callback_info info);
napi_value solarRmsnorm(napi_env env, napi_callback_info info);
napi_value solarMaskedSoftmax(napi_env env, napi_callback_info info);
napi_value solarRmsnormGrad(napi_env env, napi_callback_info info);

#endif
