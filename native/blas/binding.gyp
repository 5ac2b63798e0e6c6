{
  "targets": [
    {
      "target_name": "solarBlas",
      "sources": ["solarBlas.c"],
      "cflags": ["-O2", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-ldl", "-lpthread"]
    }
  ]
}
