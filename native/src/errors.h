// Turns libbpf failures into errors a user can act on.
#ifndef SIGSCOPE_ERRORS_H
#define SIGSCOPE_ERRORS_H

#include <napi.h>
#include <string>

namespace addon {

struct ProbeError {
  std::string code;     // not-permitted, no-btf, verifier, attach, internal
  std::string message;
  std::string hint;
};

// libbpf's own messages, kept so a verifier rejection can show the log's tail.
void CaptureLibbpfLog();
void ClearLibbpfLog();
std::string LibbpfLogTail(size_t max_bytes);

bool HaveKernelBtf();
ProbeError NoBtfError();
// err is a negative errno from libbpf; stage says what was being done.
ProbeError ClassifyLoadError(int err, const std::string& stage);

Napi::Error ToJsError(Napi::Env env, const ProbeError& e);

}  // namespace addon

#endif
