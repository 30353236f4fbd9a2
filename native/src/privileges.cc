#include "privileges.h"

#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace addon {

namespace {

// What reading /proc of other users' processes needs:
//  - CAP_SYS_PTRACE: /proc/PID/exe (and the files of non-dumpable processes)
//    are behind a ptrace access check;
//  - CAP_DAC_READ_SEARCH: /proc mounted with hidepid, and directories the
//    helper's uid could not otherwise search.
constexpr int kKeep[] = {CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH};

std::string Fail(const char* what) { return std::string(what) + ": " + strerror(errno); }

}  // namespace

Napi::Value DropPrivileges(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string error;

  // Root gets no capabilities back through exec or a uid change, ever.
  int secure = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
               SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;
  if (prctl(PR_SET_SECUREBITS, secure, 0, 0, 0) != 0) error = Fail("PR_SET_SECUREBITS");

  // The bounding set limits what any later exec could gain.
  for (int cap = 0; error.empty() && cap <= CAP_LAST_CAP; cap++) {
    bool keep = false;
    for (int k : kKeep) keep = keep || k == cap;
    if (!keep && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      error = Fail("PR_CAPBSET_DROP");
  }
  if (error.empty() && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
    error = Fail("PR_CAP_AMBIENT_CLEAR_ALL");

  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {};
  for (int cap : kKeep) {
    data[cap / 32].effective |= 1u << (cap % 32);
    data[cap / 32].permitted |= 1u << (cap % 32);
  }
  if (error.empty() && syscall(SYS_capset, &header, data) != 0) error = Fail("capset");
  if (error.empty() && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) error = Fail("PR_SET_NO_NEW_PRIVS");

  if (!error.empty()) {
    Napi::Error e = Napi::Error::New(env, "Could not drop the helper's privileges (" + error + ").");
    e.Set("code", Napi::String::New(env, "internal"));
    e.ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array kept = Napi::Array::New(env);
  kept.Set(0u, Napi::String::New(env, "cap_sys_ptrace"));
  kept.Set(1u, Napi::String::New(env, "cap_dac_read_search"));
  return kept;
}

}  // namespace addon
