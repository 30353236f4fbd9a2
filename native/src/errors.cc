#include "errors.h"

#include <bpf/libbpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace addon {

namespace {

std::mutex log_mutex;
std::string log_text;
constexpr size_t kLogKeep = 64 * 1024;

int LibbpfPrint(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (n <= 0) return n;
  std::string line(static_cast<size_t>(n) + 1, '\0');
  vsnprintf(line.data(), line.size(), format, args);
  line.resize(n);
  std::lock_guard<std::mutex> lock(log_mutex);
  log_text += line;
  if (log_text.size() > kLogKeep) log_text.erase(0, log_text.size() - kLogKeep);
  return n;
}

bool HasCapability(int cap) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  return data[cap / 32].effective & (1u << (cap % 32));
}

bool MayUseBpf() {
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
  return HasCapability(CAP_SYS_ADMIN) || (HasCapability(CAP_BPF) && HasCapability(CAP_PERFMON));
}

}  // namespace

void CaptureLibbpfLog() { libbpf_set_print(LibbpfPrint); }

void ClearLibbpfLog() {
  std::lock_guard<std::mutex> lock(log_mutex);
  log_text.clear();
}

std::string LibbpfLogTail(size_t max_bytes) {
  std::lock_guard<std::mutex> lock(log_mutex);
  if (log_text.size() <= max_bytes) return log_text;
  return log_text.substr(log_text.size() - max_bytes);
}

bool HaveKernelBtf() { return access("/sys/kernel/btf/vmlinux", R_OK) == 0; }

ProbeError NoBtfError() {
  return {"no-btf",
          "This kernel has no BTF type information (/sys/kernel/btf/vmlinux is missing), "
          "so SigScope's probe cannot be loaded.",
          "Use a kernel built with CONFIG_DEBUG_INFO_BTF=y (the default on current Debian, "
          "Ubuntu, Fedora and RHEL kernels)."};
}

ProbeError ClassifyLoadError(int err, const std::string& stage) {
  int code = err < 0 ? -err : err;
  if ((code == EPERM || code == EACCES) && !MayUseBpf()) {
    return {"not-permitted",
            "Not permitted to load eBPF programs while " + stage + ": SigScope's capture needs "
            "root, or the capabilities CAP_BPF and CAP_PERFMON.",
            "Run it with sudo (sudo npx sigscope trace), or start the desktop app and let it "
            "ask for administrator rights."};
  }
  std::string tail = LibbpfLogTail(3000);
  bool verifier = tail.find("processed") != std::string::npos ||
                  tail.find("R0") != std::string::npos ||
                  tail.find("invalid") != std::string::npos ||
                  tail.find("verifier") != std::string::npos;
  if (stage == "loading" && (code == EACCES || code == EINVAL || code == E2BIG) && verifier) {
    return {"verifier",
            "The kernel's verifier rejected SigScope's probe (" + std::string(strerror(code)) +
                "). The end of its log:\n" + tail,
            "This kernel may be older or configured differently than SigScope supports. "
            "Please report the log above."};
  }
  std::string message = "Failed while " + stage + ": " + strerror(code);
  if (!tail.empty()) message += "\n" + tail;
  return {stage == "attaching" ? "attach" : "internal", message,
          code == EPERM ? "The kernel refused; a lockdown or security policy may forbid eBPF "
                          "tracing on this machine."
                        : ""};
}

Napi::Error ToJsError(Napi::Env env, const ProbeError& e) {
  Napi::Error error = Napi::Error::New(env, e.message);
  error.Set("code", Napi::String::New(env, e.code));
  if (!e.hint.empty()) error.Set("hint", Napi::String::New(env, e.hint));
  return error;
}

}  // namespace addon
