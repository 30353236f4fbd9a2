#include "probe.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

// clang-format off
#include "sigscope.h"
#include "sigscope.skel.h"
// clang-format on

namespace addon {

namespace {

constexpr size_t kFlushBytes = 1u << 20;
constexpr uint64_t kMaxPendingBytes = 64u << 20;
const char* kTracefs = "/sys/kernel/tracing";
const char* kSyscallEvents = "/sys/kernel/tracing/events/syscalls/sys_enter_kill";
const char* kDebugfsSyscallEvents = "/sys/kernel/debug/tracing/events/syscalls/sys_enter_kill";

bool HaveSyscallTracepoints() {
  return access(kSyscallEvents, F_OK) == 0 || access(kDebugfsSyscallEvents, F_OK) == 0;
}

bool IsPowerOfTwo(uint32_t n) { return n && !(n & (n - 1)); }

struct Batch {
  std::vector<uint8_t> bytes;
  std::atomic<uint64_t>* pending;
  std::atomic<uint64_t>* pending_bytes;
};

void DeliverBatch(Napi::Env env, Napi::Function callback, Batch* batch) {
  if (env != nullptr && callback != nullptr) {
    Napi::HandleScope scope(env);
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, batch->bytes.size());
    memcpy(buffer.Data(), batch->bytes.data(), batch->bytes.size());
    callback.Call({buffer});
  }
  batch->pending->fetch_sub(1);
  batch->pending_bytes->fetch_sub(batch->bytes.size());
  delete batch;
}

FilterOptions ReadFilter(const Napi::Object& object, FilterOptions base) {
  // The JS side (electron/node/probe.ts) has validated every field.
  if (object.Has("signalsLow") && object.Has("signalsHigh")) {
    uint64_t low = object.Get("signalsLow").As<Napi::Number>().Uint32Value();
    uint64_t high = object.Get("signalsHigh").As<Napi::Number>().Uint32Value();
    base.signals = (high << 32) | low;
  }
  if (object.Has("pid")) base.pid = object.Get("pid").As<Napi::Number>().Int32Value();
  if (object.Has("failedOnly")) base.failed_only = object.Get("failedOnly").ToBoolean();
  if (object.Has("noKernel")) base.no_kernel = object.Get("noKernel").ToBoolean();
  if (object.Has("noSigchld")) base.no_sigchld = object.Get("noSigchld").ToBoolean();
  if (object.Has("lifecycle")) base.lifecycle = object.Get("lifecycle").ToBoolean();
  return base;
}

void WriteFilter(struct ss_filter* target, const FilterOptions& f) {
  target->signals = f.signals;
  target->pid = f.pid;
  target->failed_only = f.failed_only;
  target->no_kernel = f.no_kernel;
  target->no_sigchld = f.no_sigchld;
  target->lifecycle = f.lifecycle;
  target->active = f.active;
}

}  // namespace

Napi::Function Probe::Init(Napi::Env env) {
  return DefineClass(env, "Probe",
                     {
                         InstanceMethod("open", &Probe::Open),
                         InstanceMethod("hold", &Probe::Hold),
                         InstanceMethod("start", &Probe::Start),
                         InstanceMethod("snapshot", &Probe::Snapshot),
                         InstanceMethod("setFilter", &Probe::SetFilter),
                         InstanceMethod("stats", &Probe::Stats),
                         InstanceMethod("stop", &Probe::Stop),
                         InstanceMethod("destroy", &Probe::Destroy),
                     });
}

Probe::Probe(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Probe>(info) {}

Probe::~Probe() { Teardown(); }

// open(options, filter): opens and loads the program; nothing is attached yet.
Napi::Value Probe::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (skel_) {
    Napi::Error::New(env, "The probe is already open.").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object options = info[0].As<Napi::Object>();
  if (options.Has("ringBytes"))
    options_.ring_bytes = options.Get("ringBytes").As<Napi::Number>().Uint32Value();
  if (options.Has("wakeupBytes"))
    options_.wakeup_bytes = options.Get("wakeupBytes").As<Napi::Number>().Int64Value();
  if (options.Has("pollMs")) options_.poll_ms = options.Get("pollMs").As<Napi::Number>().Int32Value();
  if (options.Has("syscallAttach"))
    options_.syscall_attach = options.Get("syscallAttach").As<Napi::String>().Utf8Value();
  filter_ = ReadFilter(info[1].As<Napi::Object>(), filter_);
  if (!IsPowerOfTwo(options_.ring_bytes) || options_.ring_bytes < 4096) {
    Napi::RangeError::New(env, "ringBytes must be a power of two of at least 4096.")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }

  ProbeError error;
  if (!Load(&error)) {
    Teardown();
    ToJsError(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("syscallAttach", attach_mode_);
  result.Set("mountedTracefs", mounted_tracefs_);
  result.Set("ringBytes", options_.ring_bytes);
  return result;
}

bool Probe::Load(ProbeError* error) {
  if (!HaveKernelBtf()) {
    *error = NoBtfError();
    return false;
  }
  ClearLibbpfLog();
  skel_ = sigscope__open();
  if (!skel_) {
    *error = ClassifyLoadError(-errno, "opening the probe");
    return false;
  }
  bpf_map__set_max_entries(skel_->maps.events, options_.ring_bytes);
  skel_->rodata->wakeup_bytes = options_.wakeup_bytes ? options_.wakeup_bytes : options_.ring_bytes / 4;
  WriteFilter(&skel_->data->filter, filter_);

  // The classic per-syscall tracepoints cost less on unrelated syscalls but need
  // tracefs: mount it where it belongs when it is missing (as systemd does at
  // boot), else use the raw tracepoints. It stays mounted: another capture may
  // be reading it, and unmounting under it made that capture fail to attach.
  bool classic = false;
  bool none = options_.syscall_attach == "none";
  if (options_.syscall_attach == "tracepoint" || options_.syscall_attach == "auto") {
    if (!HaveSyscallTracepoints() && mount("nodev", kTracefs, "tracefs", 0, nullptr) == 0)
      mounted_tracefs_ = true;
    classic = HaveSyscallTracepoints();
  }
  attach_mode_ = none ? "none" : classic ? "tracepoint" : "raw_tp";
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, skel_->obj) {
    const char* section = bpf_program__section_name(prog);
    bool is_classic = strncmp(section, "tracepoint/", 11) == 0;
    bool is_raw = strncmp(section, "raw_tp/", 7) == 0;
    if (is_classic) bpf_program__set_autoload(prog, classic && !none);
    if (is_raw) bpf_program__set_autoload(prog, !classic && !none);
  }

  int err = sigscope__load(skel_);
  if (err) {
    *error = ClassifyLoadError(err, "loading");
    return false;
  }
  return true;
}

bool Probe::Attach(ProbeError* error) {
  // signal_generate and the lifecycle programs first, the syscall programs
  // after them: an attempt that has been entered always has its signals seen.
  for (int pass = 0; pass < 2; pass++) {
    struct bpf_program* prog;
    bpf_object__for_each_program(prog, skel_->obj) {
      if (!bpf_program__autoload(prog) || prog == skel_->progs.snapshot) continue;
      const char* section = bpf_program__section_name(prog);
      bool syscall = strncmp(section, "tracepoint/", 11) == 0 || strncmp(section, "raw_tp/", 7) == 0;
      if (syscall != (pass == 1)) continue;
      struct bpf_link* link = bpf_program__attach(prog);
      int err = libbpf_get_error(link);
      if (err) {
        *error = ClassifyLoadError(err, "attaching");
        error->message += std::string(" (program ") + bpf_program__name(prog) + ")";
        return false;
      }
      // The skeleton destroys the links it knows of; keep ours with them.
      for (int i = 0; i < skel_->skeleton->prog_cnt; i++)
        if (*skel_->skeleton->progs[i].prog == prog) *skel_->skeleton->progs[i].link = link;
    }
  }
  filter_.active = true;
  WriteFilter(&skel_->data->filter, filter_);
  return true;
}

// Each link's release waits for a kernel grace period; released together,
// the waits overlap instead of adding up.
void Probe::Detach() {
  if (!skel_) return;
  if (filter_.active) {
    filter_.active = false;
    WriteFilter(&skel_->data->filter, filter_);
    // Attempts already entered finish (their exit is still attached).
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::vector<std::thread> releases;
  for (int i = 0; i < skel_->skeleton->prog_cnt; i++) {
    struct bpf_link** slot = skel_->skeleton->progs[i].link;
    if (!slot || !*slot) continue;
    struct bpf_link* link = *slot;
    *slot = nullptr;
    releases.emplace_back([link] { bpf_link__destroy(link); });
  }
  for (auto& t : releases) t.join();
}

// start(onBatch): attaches every program and starts draining the ring buffer.
Napi::Value Probe::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!skel_ || running_) {
    Napi::Error::New(env, skel_ ? "The probe is already capturing." : "The probe is not open.")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  ProbeError error;
  if (!Attach(&error)) {
    Detach();
    ToJsError(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), OnRecord, this, nullptr);
  if (!ring_) {
    Detach();
    ToJsError(env, ClassifyLoadError(-errno, "opening the ring buffer")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  on_batch_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "sigscope-reader", 0, 1);
  have_tsfn_ = true;
  batch_.reserve(kFlushBytes + 4096);
  running_ = true;
  reader_ = std::thread(&Probe::ReaderLoop, this);
  return env.Undefined();
}

int Probe::OnRecord(void* ctx, void* data, size_t size) {
  Probe* self = static_cast<Probe*>(ctx);
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  self->batch_.insert(self->batch_.end(), bytes, bytes + size);
  self->events_.fetch_add(1, std::memory_order_relaxed);
  if (self->batch_.size() >= kFlushBytes) self->Flush();
  return 0;
}

void Probe::Flush() {
  if (batch_.empty()) return;
  Batch* batch = new Batch{std::move(batch_), &pending_batches_, &pending_bytes_};
  batch_ = std::vector<uint8_t>();
  batch_.reserve(kFlushBytes + 4096);
  bytes_.fetch_add(batch->bytes.size(), std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  pending_batches_.fetch_add(1);
  pending_bytes_.fetch_add(batch->bytes.size());
  if (on_batch_.BlockingCall(batch, DeliverBatch) != napi_ok) {
    pending_batches_.fetch_sub(1);
    pending_bytes_.fetch_sub(batch->bytes.size());
    delete batch;
  }
}

// The kernel side writes without waking us unless the ring is filling up, so
// wait at most poll_ms and then drain whatever is there.
void Probe::ReaderLoop() {
  while (running_.load()) {
    // JavaScript has more than it can pass on (its reader fell behind): leave
    // the records in the ring, where the kernel counts what no longer fits,
    // instead of holding them in memory without bound.
    held_ = held_by_js_.load() || pending_bytes_.load() > kMaxPendingBytes;
    if (held_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.poll_ms));
      continue;
    }
    ring_buffer__poll(ring_, options_.poll_ms);
    ring_buffer__consume(ring_);
    Flush();
  }
  ring_buffer__consume(ring_);
  Flush();
}

Napi::Value Probe::Snapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!skel_) {
    Napi::Error::New(env, "The probe is not open.").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  struct bpf_link* link = bpf_program__attach_iter(skel_->progs.snapshot, nullptr);
  int err = libbpf_get_error(link);
  if (err) {
    ToJsError(env, ClassifyLoadError(err, "listing live processes")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int fd = bpf_iter_create(bpf_link__fd(link));
  std::vector<uint8_t> bytes;
  if (fd >= 0) {
    uint8_t chunk[16384];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof(chunk))) > 0) bytes.insert(bytes.end(), chunk, chunk + n);
    err = n < 0 ? -errno : 0;
    close(fd);
  } else {
    err = -errno;
  }
  bpf_link__destroy(link);
  if (err) {
    ToJsError(env, ClassifyLoadError(err, "listing live processes")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes.size());
  if (!bytes.empty()) memcpy(buffer.Data(), bytes.data(), bytes.size());
  return buffer;
}

// hold(true): leave records in the ring until hold(false), for when what
// JavaScript passed on has not been taken yet (a slow reader of the helper).
Napi::Value Probe::Hold(const Napi::CallbackInfo& info) {
  held_by_js_ = info[0].ToBoolean();
  return info.Env().Undefined();
}

// setFilter(filter): takes effect at once; the program reads it on every event.
Napi::Value Probe::SetFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!skel_) {
    Napi::Error::New(env, "The probe is not open.").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  filter_ = ReadFilter(info[0].As<Napi::Object>(), filter_);
  WriteFilter(&skel_->data->filter, filter_);
  return env.Undefined();
}

Napi::Value Probe::Stats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object stats = Napi::Object::New(env);
  stats.Set("events", static_cast<double>(events_.load()));
  stats.Set("batches", static_cast<double>(batches_.load()));
  stats.Set("bytes", static_cast<double>(bytes_.load()));
  stats.Set("pendingBatches", static_cast<double>(pending_batches_.load()));
  stats.Set("held", held_.load());
  stats.Set("syscallAttach", attach_mode_);
  Napi::Array per_cpu = Napi::Array::New(env);
  if (skel_ && skel_->bss) {
    int cpus = libbpf_num_possible_cpus();
    if (cpus > SS_MAX_CPUS) cpus = SS_MAX_CPUS;
    for (int i = 0; i < cpus; i++) {
      uint64_t n = __atomic_load_n(&skel_->bss->drops[i].n, __ATOMIC_RELAXED);
      per_cpu.Set(i, static_cast<double>(n));
    }
  }
  stats.Set("dropsPerCpu", per_cpu);
  return stats;
}

void Probe::StopReader() {
  if (running_.exchange(false) && reader_.joinable()) reader_.join();
  if (ring_) {
    ring_buffer__free(ring_);
    ring_ = nullptr;
  }
  if (have_tsfn_) {
    on_batch_.Release();
    have_tsfn_ = false;
  }
}

// stop(): detaches every program, then hands over what is left in the ring.
Napi::Value Probe::Stop(const Napi::CallbackInfo& info) {
  Detach();
  StopReader();
  return info.Env().Undefined();
}

void Probe::Teardown() {
  Detach();
  StopReader();
  if (skel_) {
    sigscope__destroy(skel_);
    skel_ = nullptr;
  }
}

Napi::Value Probe::Destroy(const Napi::CallbackInfo& info) {
  Teardown();
  return info.Env().Undefined();
}

}  // namespace addon
