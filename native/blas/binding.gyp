{
  "targets": [
    {
      "target_name": "solarBlas",
      "sources": ["solarBlas.c", "solarFused.c"],
      "cflags": ["-O3", "-fno-math-errno", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-ldl", "-lpthread", "-lm"]
    }
  ]
}
