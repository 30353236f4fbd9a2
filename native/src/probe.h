// The probe: opens, loads and attaches the kernel program, drains its ring
// buffer on a reader thread and hands JavaScript whole batches of records.
#ifndef SIGSCOPE_PROBE_H
#define SIGSCOPE_PROBE_H

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "errors.h"

struct sigscope;
struct ring_buffer;

namespace addon {

struct ProbeOptions {
  // 4 MiB lost nothing in a 1M kill() storm on a quiet machine, but lost 10 %
  // when another process held a core and the reader went unscheduled: 16 MiB
  // (0.4 s of the storm) rides that out.
  uint32_t ring_bytes = 16u << 20;
  uint64_t wakeup_bytes = 0;  // 0: a quarter of the ring
  int poll_ms = 10;
  // "auto": classic syscall tracepoints when tracefs is (or can be) mounted, else raw_tp;
  // "none": no syscall programs (no failed attempts, no return values; no cost on other syscalls).
  std::string syscall_attach = "auto";
  bool lifecycle = true;
};

struct FilterOptions {
  uint64_t signals = ~0ull;
  int32_t pid = 0;
  bool failed_only = false;
  bool no_kernel = false;
  bool no_sigchld = false;
  bool lifecycle = true;
  bool active = false;  // set once everything is attached
};

class Probe : public Napi::ObjectWrap<Probe> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Probe(const Napi::CallbackInfo& info);
  ~Probe() override;

 private:
  Napi::Value Open(const Napi::CallbackInfo& info);
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Snapshot(const Napi::CallbackInfo& info);
  Napi::Value Hold(const Napi::CallbackInfo& info);
  Napi::Value SetFilter(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Destroy(const Napi::CallbackInfo& info);

  bool Load(ProbeError* error);
  bool Attach(ProbeError* error);
  void Detach();
  void ReaderLoop();
  void Flush();
  void StopReader();
  void Teardown();
  static int OnRecord(void* ctx, void* data, size_t size);

  ProbeOptions options_;
  FilterOptions filter_;
  struct sigscope* skel_ = nullptr;
  struct ring_buffer* ring_ = nullptr;
  std::string attach_mode_;
  bool mounted_tracefs_ = false;

  std::thread reader_;
  std::atomic<bool> running_{false};
  std::atomic<bool> held_{false};
  std::atomic<bool> held_by_js_{false};
  Napi::ThreadSafeFunction on_batch_;
  bool have_tsfn_ = false;
  std::vector<uint8_t> batch_;

  std::atomic<uint64_t> events_{0};
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> pending_batches_{0};
  std::atomic<uint64_t> pending_bytes_{0};
};

}  // namespace addon

#endif
