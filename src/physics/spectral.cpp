// The only translation unit that includes <fftw3.h> (see spectral.h).
#include "csd/physics/spectral.h"

#include <fftw3.h>

#include <algorithm>
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

Spectral::Spectral(int n, PlanEffort effort)
    : n_(checked_grid_size(n)),  // members below are sized from n_ (declaration order)
      plans_(std::make_unique<Plans>()),
      scratch_(static_cast<std::size_t>(n_) * (n_ / 2 + 1)),
      real_scratch_(static_cast<std::size_t>(n_) * n_) {
  // FFTW_MEASURE overwrites the arrays while planning: plan on the scratch buffers.
  const unsigned flags = effort == PlanEffort::kMeasure ? FFTW_MEASURE : FFTW_ESTIMATE;
  std::lock_guard<std::mutex> lock(planner_mutex());
  plans_->r2c = fftw_plan_dft_r2c_2d(n, n, real_scratch_.data(), as_fftw(scratch_.data()), flags);
  plans_->c2r = fftw_plan_dft_c2r_2d(n, n, as_fftw(scratch_.data()), real_scratch_.data(),
                                     flags | FFTW_DESTROY_INPUT);
  // FFTW reuses wisdom from more rigorous planning for FFTW_ESTIMATE plans of the same
  // size, which would silently change the rounding (and break bit-reproducible datasets)
  // of every later kEstimate plan in this process. Forget it: kEstimate stays heuristic.
  if (effort == PlanEffort::kMeasure) fftw_forget_wisdom();
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
