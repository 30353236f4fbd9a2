{
  "targets": [
    {
      "target_name": "sigscope",
      "sources": ["src/addon.cc", "src/probe.cc", "src/errors.cc", "src/privileges.cc"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "../bpf",
        "../bpf/.output"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wno-missing-field-initializers"],
      "libraries": ["-lbpf", "-lelf", "-lz"],
      "ldflags": ["-Wl,-rpath,'$$ORIGIN'"]
    }
  ]
}
