#pragma once
/// RAII wrapper around FFTW3 real-to-complex transforms on an N×N periodic grid.
/// The only file that includes <fftw3.h> is src/physics/spectral.cpp.
/// Plans are made once (under a global planner mutex, FFTW's planner is not
/// thread-safe) and executed with the new-array interface, so one Spectral object
/// can transform any fftw_malloc-aligned buffer of the right size.
/// Convention: forward is unnormalised (φ̂_k = Σ_x φ_x e^{-ik·x}); backward divides
/// by N², so backward(forward(f)) == f.
/// Buffers that are not aligned like fftw_malloc's (e.g. an Eigen Field's data()) are
/// accepted too: they are staged through internal aligned scratch buffers.
/// A Spectral object is not safe to share between threads (its scratch buffers are
/// mutable); give each thread its own.
#include <complex>
#include <memory>
#include <vector>

namespace csd::physics {

/// 64-byte aligned buffer (fftw_malloc) so the SIMD code paths chosen at plan time
/// are valid for every buffer.
template <class T>
class AlignedBuffer {
 public:
  explicit AlignedBuffer(std::size_t size = 0);
  ~AlignedBuffer();
  AlignedBuffer(AlignedBuffer&& other) noexcept;
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// kEstimate: heuristic plans, the same on every run and machine.
/// kMeasure: timed plans, faster but chosen anew in every process (other rounding).
/// kWisdom: timed once per machine and remembered in a wisdom file
///   ($CSD_FFTW_WISDOM, else $XDG_CACHE_HOME/csd/fftw-wisdom, else ~/.cache/csd/...),
///   shared between processes under a file lock, so every later run on this machine
///   uses the same plans: fast and bit-reproducible on one machine. Falls back to
///   kEstimate when no wisdom file can be written.
enum class PlanEffort { kEstimate, kMeasure, kWisdom };

class Spectral {
 public:
  /// kEstimate is deterministic across runs (datasets are bit-reproducible), also
  /// after kMeasure plans in the same process (their FFTW wisdom is discarded);
  /// kMeasure may pick faster kernels but also other rounding, and re-plans each time.
  explicit Spectral(int n, PlanEffort effort = PlanEffort::kEstimate);
  ~Spectral();
  Spectral(const Spectral&) = delete;
  Spectral& operator=(const Spectral&) = delete;

  int n() const { return n_; }
  /// Number of complex coefficients of the half spectrum: N × (N/2+1).
  int spectral_size() const { return n_ * (n_ / 2 + 1); }

  /// r2c, unnormalised. `real` is not modified.
  void forward(const double* real, std::complex<double>* spectrum) const;
  /// c2r, normalised by 1/N². Destroys `spectrum` (FFTW c2r semantics).
  void backward_destroying(std::complex<double>* spectrum, double* real) const;
  /// c2r, normalised, input preserved (copies into an internal scratch first).
  void backward(const std::complex<double>* spectrum, double* real) const;
  /// c2r without the 1/N² factor (result is N² times the field), destroys `spectrum`.
  /// For hot loops that fold the normalisation into a pass they make anyway.
  void backward_unnormalised_destroying(std::complex<double>* spectrum, double* real) const;

 private:
  struct Plans;
  static bool plan_from_wisdom(int n, double* real, std::complex<double>* spectrum, Plans& plans);
  int n_;
  std::unique_ptr<Plans> plans_;
  mutable AlignedBuffer<std::complex<double>> scratch_;
  mutable AlignedBuffer<double> real_scratch_;
};

}  // namespace csd::physics
