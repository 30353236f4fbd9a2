// Gives up the capabilities the helper no longer needs once its programs are attached.
#ifndef SIGSCOPE_PRIVILEGES_H
#define SIGSCOPE_PRIVILEGES_H

#include <napi.h>

namespace addon {

// dropPrivileges(): keeps CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH, drops the
// rest from every set, and locks it so nothing can bring them back.
Napi::Value DropPrivileges(const Napi::CallbackInfo& info);

}  // namespace addon

#endif
