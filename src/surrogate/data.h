#pragma once
/// Training data for the surrogate (paper Sec. 2.3): sequences read through
/// csd::io::DatasetReader, a seeded 4:1 train/validation split, augmentation by the
/// 8 symmetries of the square and φ → 1 − φ, and mean-free input noise. Internal.
///
/// Memory: a dataset whose used part (S·T·N²·4 bytes) is at most 1 GiB is cached in
/// RAM as sequences are first read; a larger one (the paper's set is 13 GB) is read
/// sequence by sequence on demand for every batch, never whole.
///
/// Randomness: every random choice (epoch order, augmentation, noise) is drawn from a
/// generator seeded by derive_seed(seed, epoch, batch, ...), never from a running
/// stream, so a run resumed at epoch k repeats exactly what an uninterrupted run does
/// without saving any RNG state.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "csd/io/dataset.h"

namespace csd::surrogate::detail {

/// SplitMix64-mixed seed of a stream identified by (seed, a, b, c).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                          std::uint64_t c = 0);

class SequenceSource {
 public:
  /// Opens `path`; uses the first `max_sequences` complete sequences (0 = all) and
  /// their first `max_frames` frames (0 = all). Throws csd::Error for T < 2, fewer than
  /// 2 sequences, or η outside [0, physics::kMaxEta] (η is a fraction: 0.006 = 0.6 %).
  SequenceSource(const std::string& path, int max_sequences, int max_frames);

  int sequences() const { return static_cast<int>(indices_.size()); }
  int frames() const { return frames_; }
  int size() const { return size_; }
  const io::DatasetInfo& info() const { return reader_.info(); }
  bool cached() const { return cache_enabled_; }
  /// Index in the dataset file of used sequence `i`.
  int dataset_index(int i) const { return indices_[static_cast<size_t>(i)]; }
  /// η (fraction) of used sequence `i` (0 ≤ i < sequences()).
  double eta(int i) const { return eta_[static_cast<size_t>(i)]; }
  double eta_min() const;
  double eta_max() const;
  /// Frames of used sequence `i`: [T, N, N] float32 on the CPU. Throws csd::Error if the
  /// data hold NaN or Inf.
  torch::Tensor sequence(int i);

 private:
  io::DatasetReader reader_;
  std::vector<int> indices_;  ///< dataset index of each used sequence
  std::vector<double> eta_;
  int frames_ = 0, size_ = 0;
  bool cache_enabled_ = false;
  std::vector<torch::Tensor> cache_;
};

struct DataSplit {
  std::vector<int> train, validation;
};

/// Seeded random split of [0, count): round(count · validation_fraction) sequences,
/// at least 1, go to validation; both lists sorted.
DataSplit split_sequences(int count, double validation_fraction, std::uint64_t seed);

/// Training order of one epoch: a permutation of `train` drawn from (seed, epoch).
std::vector<int> epoch_order(const std::vector<int>& train, std::uint64_t seed, int epoch);

/// One of the 8 symmetries of the square and the Z₂ map φ → 1 − φ.
struct Augmentation {
  int symmetry = 0;         ///< rot90 by (symmetry % 4) quarter turns, then transpose if ≥ 4
  bool complement = false;  ///< φ → 1 − φ
};

/// Augmentation of item `item` of batch `batch` in `epoch`, drawn from the seed.
Augmentation draw_augmentation(std::uint64_t seed, int epoch, int batch, int item);

/// Applies `a` to every frame of `frames` ([..., N, N]); returns a contiguous tensor.
torch::Tensor augment(const torch::Tensor& frames, const Augmentation& a);

/// Seed of the input noise of batch `batch` in `epoch`.
std::uint64_t noise_seed(std::uint64_t seed, int epoch, int batch);

/// frames + δ with δ ~ N(0, σ²) per pixel, minus δ's spatial mean per frame so that
/// Σφ of every frame is unchanged. Drawn on the CPU from `seed` (device-independent).
torch::Tensor add_mean_free_noise(const torch::Tensor& frames, double sigma, std::uint64_t seed);

/// The δ of add_mean_free_noise alone: shape `sizes` ([..., N, N]), on `options`' device
/// and dtype; all zeros when σ = 0.
torch::Tensor mean_free_noise(at::IntArrayRef sizes, double sigma, std::uint64_t seed,
                              const torch::TensorOptions& options);

/// Scheme "rollout": which part of its sequences one training batch sees. Window
/// frames are [start_b, start_b + warmup + pushforward + loss_frames) of each item b;
///  - warmup true frames are fed without gradient (they build up the hidden state),
///  - then pushforward free steps run without gradient (the model's own errors become
///    its inputs, as in a long rollout),
///  - then loss_frames free predictions carry the loss.
/// A cold window starts at φ₀ (start 0) with warmup 1 and a zero hidden state.
struct Window {
  bool cold = false;
  int warmup = 1, pushforward = 0, loss_frames = 1;
  std::vector<int> start;  ///< per batch item
  int length() const { return warmup + pushforward + loss_frames; }
};

/// Draws the window of batch `batch` of `epoch` for `items` sequences of `frames`
/// frames from (seed, epoch, batch): cold with probability cold_fraction, warm-up
/// U{warmup_min..warmup_max}, pushforward U{0..pushforward_cold|warm}, start uniform.
/// `loss_frames` is the scheduled count. Everything is shortened to fit: loss frames
/// first keep min(loss_frames, frames − 1), then warm-up, then pushforward shrink.
Window draw_window(std::uint64_t seed, int epoch, int batch, int items, int frames,
                   int loss_frames, double cold_fraction, int warmup_min, int warmup_max,
                   int pushforward_cold, int pushforward_warm);

/// Frames [start_b, start_b + length) of every item of `frames` ([B, T, N, N]).
torch::Tensor window_frames(const torch::Tensor& frames, const Window& window);

struct Batch {
  torch::Tensor frames;  ///< [B, T, N, N] float32, CPU
  torch::Tensor eta;     ///< [B] float64 (fraction)
};

/// Stacks the sequences `items` (indices into `source`); with `augment_items`, each is
/// transformed by draw_augmentation(seed, epoch, batch, item position), the position of
/// items[k] in the whole batch being first_item + k (a rank loads a slice of it).
Batch load_batch(SequenceSource& source, const std::vector<int>& items, bool augment_items,
                 std::uint64_t seed, int epoch, int batch, int first_item = 0);

}  // namespace csd::surrogate::detail
