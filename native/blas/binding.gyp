{
  "targets": [
    {
      "target_name": "solarBlas",
      "sources": ["solarBlas.c", "solarFused.c", "solarSoftmax.c", "solarAttention.c", "solarRope.c"],
      "cflags": ["-O3", "-ffast-math", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-ldl", "-lpthread", "-lm"],
      "conditions": [
        ["OS=='linux' and target_arch=='x64'", { "libraries": ["-lmvec"] }]
      ]
    }
  ]
}
