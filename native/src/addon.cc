// The module entry: it only registers what the addon offers.
#include <napi.h>
#include <time.h>

#include "errors.h"
#include "privileges.h"
#include "probe.h"

namespace {

Napi::Value HaveBtf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), addon::HaveKernelBtf());
}

// Both clocks read back to back: recordings map the kernel's CLOCK_BOOTTIME
// timestamps to wall time with the difference.
Napi::Value Clocks(const Napi::CallbackInfo& info) {
  struct timespec boot, real;
  clock_gettime(CLOCK_BOOTTIME, &boot);
  clock_gettime(CLOCK_REALTIME, &real);
  Napi::Object clocks = Napi::Object::New(info.Env());
  clocks.Set("bootNs", static_cast<double>(boot.tv_sec) * 1e9 + boot.tv_nsec);
  clocks.Set("realtimeNs", static_cast<double>(real.tv_sec) * 1e9 + real.tv_nsec);
  return clocks;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  addon::CaptureLibbpfLog();
  exports.Set("Probe", addon::Probe::Init(env));
  exports.Set("haveKernelBtf", Napi::Function::New(env, HaveBtf));
  exports.Set("dropPrivileges", Napi::Function::New(env, addon::DropPrivileges));
  exports.Set("clocks", Napi::Function::New(env, Clocks));
  exports.Set("recordSize", Napi::Number::New(env, 128));
  return exports;
}

}  // namespace

NODE_API_MODULE(sigscope, Init)
