// The only translation unit that includes <fftw3.h> (see spectral.h).
#include "csd/physics/spectral.h"

#include <fcntl.h>
#include <fftw3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <new>
#include <string>
#include <utility>

#include "csd/core/error.h"

namespace csd::physics {
namespace {

/// FFTW's planner (plan creation and destruction) is not thread-safe; execution is.
std::mutex& planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

fftw_complex* as_fftw(std::complex<double>* p) { return reinterpret_cast<fftw_complex*>(p); }

/// Plans are made on fftw_malloc'd arrays; the new-array execute functions are valid
/// only for arrays with the same alignment (fftw_alignment_of == 0).
bool fftw_aligned(const void* p) {
  return fftw_alignment_of(static_cast<double*>(const_cast<void*>(p))) == 0;
}

int checked_grid_size(int n) {
  require(n >= 2, "FFT grid size must be at least 2 (got " + std::to_string(n) + ")");
  return n;
}

/// Where the per-machine FFTW wisdom lives ("" when no location can be created).
std::string wisdom_path() {
  namespace fs = std::filesystem;
  if (const char* explicit_path = std::getenv("CSD_FFTW_WISDOM")) return explicit_path;
  fs::path dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) dir = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) dir = fs::path(home) / ".cache";
  else return "";
  dir /= "csd";
  std::error_code ec;
  fs::create_directories(dir, ec);
  return ec ? "" : (dir / "fftw-wisdom").string();
}

/// Exclusive lock on "<wisdom>.lock" so that two processes never time the same size
/// concurrently and both keep different plans.
class WisdomLock {
 public:
  explicit WisdomLock(const std::string& path) {
    fd_ = ::open((path + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~WisdomLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// Process-wide copy of the wisdom after its first use, so that the second and later
/// plans (one per solver, i.e. per sequence) neither take the file lock nor rewrite the
/// file. Guarded by planner_mutex().
std::string& cached_wisdom() {
  static std::string wisdom;
  return wisdom;
}

/// Plans both transforms; caller holds planner_mutex().
void make_plans(int n, double* real, fftw_complex* spectrum, unsigned flags, fftw_plan& r2c,
                fftw_plan& c2r) {
  r2c = fftw_plan_dft_r2c_2d(n, n, real, spectrum, flags);
  c2r = fftw_plan_dft_c2r_2d(n, n, spectrum, real, flags | FFTW_DESTROY_INPUT);
}

}  // namespace

// ---- AlignedBuffer ---------------------------------------------------------

template <class T>
AlignedBuffer<T>::AlignedBuffer(std::size_t size) : size_(size) {
  if (size == 0) return;
  data_ = static_cast<T*>(fftw_malloc(size * sizeof(T)));
  if (data_ == nullptr) throw std::bad_alloc();
  std::fill(data_, data_ + size, T{});
}

template <class T>
AlignedBuffer<T>::~AlignedBuffer() {
  fftw_free(data_);
}

template <class T>
AlignedBuffer<T>::AlignedBuffer(AlignedBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

template <class T>
AlignedBuffer<T>& AlignedBuffer<T>::operator=(AlignedBuffer&& other) noexcept {
  if (this != &other) {
    fftw_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

template class AlignedBuffer<double>;
template class AlignedBuffer<std::complex<double>>;

// ---- Spectral ----------------------------------------------------------------

struct Spectral::Plans {
  fftw_plan r2c = nullptr;
  fftw_plan c2r = nullptr;
  ~Plans() {
    std::lock_guard<std::mutex> lock(planner_mutex());
    if (r2c) fftw_destroy_plan(r2c);
    if (c2r) fftw_destroy_plan(c2r);
  }
};

/// Measured plans remembered per machine (see PlanEffort::kWisdom); caller holds
/// planner_mutex(). Returns false when no wisdom file can be used.
bool Spectral::plan_from_wisdom(int n, double* real, std::complex<double>* spectrum, Plans& plans) {
  std::string& wisdom = cached_wisdom();
  if (!wisdom.empty()) {
    fftw_import_wisdom_from_string(wisdom.c_str());
    make_plans(n, real, as_fftw(spectrum), FFTW_MEASURE, plans.r2c, plans.c2r);
    char* updated = fftw_export_wisdom_to_string();  // grows only for a new size
    const bool new_size = updated != nullptr && wisdom != updated;
    fftw_free(updated);
    if (!new_size) return true;
    fftw_forget_wisdom();
    fftw_destroy_plan(plans.r2c);
    fftw_destroy_plan(plans.c2r);
    plans.r2c = plans.c2r = nullptr;  // a size this process has not seen: go through the file
  }
  const std::string path = wisdom_path();
  const WisdomLock file_lock(path);
  if (path.empty() || !file_lock.held()) return false;
  fftw_import_wisdom_from_filename(path.c_str());  // absent on first use: fine
  if (!wisdom.empty()) fftw_import_wisdom_from_string(wisdom.c_str());
  make_plans(n, real, as_fftw(spectrum), FFTW_MEASURE, plans.r2c, plans.c2r);
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  if (fftw_export_wisdom_to_filename(tmp.c_str())) std::rename(tmp.c_str(), path.c_str());
  if (char* all = fftw_export_wisdom_to_string()) {
    wisdom = all;
    fftw_free(all);
  }
  return true;
}

Spectral::Spectral(int n, PlanEffort effort)
    : n_(checked_grid_size(n)),  // members below are sized from n_ (declaration order)
      plans_(std::make_unique<Plans>()),
      scratch_(static_cast<std::size_t>(n_) * (n_ / 2 + 1)),
      real_scratch_(static_cast<std::size_t>(n_) * n_) {
  // FFTW_MEASURE overwrites the arrays while planning: plan on the scratch buffers.
  std::lock_guard<std::mutex> lock(planner_mutex());
  double* real = real_scratch_.data();
  fftw_complex* spectrum = as_fftw(scratch_.data());
  if (effort == PlanEffort::kWisdom && !plan_from_wisdom(n, real, scratch_.data(), *plans_))
    effort = PlanEffort::kEstimate;
  if (effort != PlanEffort::kWisdom) {
    make_plans(n, real, spectrum, effort == PlanEffort::kMeasure ? FFTW_MEASURE : FFTW_ESTIMATE,
               plans_->r2c, plans_->c2r);
  }
  // FFTW reuses wisdom from more rigorous planning for FFTW_ESTIMATE plans of the same
  // size, which would silently change the rounding (and break bit-reproducible datasets)
  // of every later kEstimate plan in this process. Forget it: kEstimate stays heuristic.
  if (effort != PlanEffort::kEstimate) fftw_forget_wisdom();
  require(plans_->r2c != nullptr && plans_->c2r != nullptr,
          "FFTW could not create a plan for an " + std::to_string(n) + "x" + std::to_string(n) +
              " grid");
}

Spectral::~Spectral() = default;

void Spectral::forward(const double* real, std::complex<double>* spectrum) const {
  // Out-of-place r2c preserves its input (FFTW default), so the const_cast is safe.
  double* in = const_cast<double*>(real);
  if (!fftw_aligned(in)) {
    std::copy(real, real + real_scratch_.size(), real_scratch_.data());
    in = real_scratch_.data();
  }
  if (fftw_aligned(spectrum)) {
    fftw_execute_dft_r2c(plans_->r2c, in, as_fftw(spectrum));
  } else {
    fftw_execute_dft_r2c(plans_->r2c, in, as_fftw(scratch_.data()));
    std::copy(scratch_.data(), scratch_.data() + scratch_.size(), spectrum);
  }
}

void Spectral::backward_unnormalised_destroying(std::complex<double>* spectrum,
                                                double* real) const {
  if (!fftw_aligned(spectrum)) {
    std::copy(spectrum, spectrum + scratch_.size(), scratch_.data());
    spectrum = scratch_.data();
  }
  if (fftw_aligned(real)) {
    fftw_execute_dft_c2r(plans_->c2r, as_fftw(spectrum), real);
  } else {
    fftw_execute_dft_c2r(plans_->c2r, as_fftw(spectrum), real_scratch_.data());
    std::copy(real_scratch_.data(), real_scratch_.data() + real_scratch_.size(), real);
  }
}

void Spectral::backward_destroying(std::complex<double>* spectrum, double* real) const {
  backward_unnormalised_destroying(spectrum, real);
  const double scale = 1.0 / (static_cast<double>(n_) * n_);
  const std::size_t count = static_cast<std::size_t>(n_) * n_;
  for (std::size_t i = 0; i < count; ++i) real[i] *= scale;
}

void Spectral::backward(const std::complex<double>* spectrum, double* real) const {
  std::copy(spectrum, spectrum + scratch_.size(), scratch_.data());
  backward_destroying(scratch_.data(), real);
}

}  // namespace csd::physics
