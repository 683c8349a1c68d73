#include "data.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "csd/core/error.h"
#include "csd/core/random.h"

namespace csd::surrogate::detail {
namespace {

constexpr std::uint64_t kCacheLimitBytes = std::uint64_t{1} << 30;  // 1 GiB

/// Fisher–Yates with a 64-bit generator (std::shuffle's algorithm is
/// implementation-defined; this one is the same everywhere).
void shuffle(std::vector<int>& values, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (size_t i = values.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(rng() % i);
    std::swap(values[i - 1], values[j]);
  }
}

enum Purpose : std::uint64_t { kSplit = 1, kOrder = 2, kAugment = 3, kNoise = 4, kWindow = 5 };

}  // namespace

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  std::uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ a);
  h = splitmix64(h ^ b);
  return splitmix64(h ^ c);
}

// ---- SequenceSource ---------------------------------------------------------------

SequenceSource::SequenceSource(const std::string& path, int max_sequences, int max_frames)
    : reader_(path) {
  const auto& shape = reader_.shape();
  require(shape.frames >= 2, "dataset '" + path + "' has T = " + std::to_string(shape.frames) +
                                 " frame(s); training needs sequences of at least 2 frames");
  frames_ = max_frames > 0 ? std::min(max_frames, shape.frames) : shape.frames;
  size_ = shape.size;

  const std::vector<bool> complete = reader_.completed();
  for (int s = 0; s < shape.sequences; ++s) {
    if (!complete[static_cast<size_t>(s)]) continue;
    if (max_sequences > 0 && static_cast<int>(indices_.size()) >= max_sequences) break;
    indices_.push_back(s);
  }
  const int skipped = shape.sequences - static_cast<int>(std::count(complete.begin(), complete.end(), true));
  if (skipped > 0) spdlog::warn("dataset '{}': {} incomplete sequence(s) skipped", path, skipped);
  require(indices_.size() >= 2, "dataset '" + path + "' has " + std::to_string(indices_.size()) +
                                    " complete sequence(s); training needs at least 2 "
                                    "(one for training, one for validation)");
  for (int s : indices_) {
    const double eta = reader_.meta(s).eta;
    require(std::isfinite(eta) && eta >= 0 && eta <= physics::kMaxEta,
            "dataset '" + path + "': /eta of sequence " + std::to_string(s) + " = " +
                fmt::format("{:g}", eta) + " is outside [0, " +
                fmt::format("{:g}", physics::kMaxEta) +
                "] (η is stored as a fraction: 0.006 = 0.6 %); fix or regenerate the dataset");
    eta_.push_back(eta);
  }
  const double bytes = 4.0 * indices_.size() * frames_ * static_cast<double>(size_) * size_;
  cache_enabled_ = bytes <= static_cast<double>(kCacheLimitBytes);
  cache_.resize(indices_.size());
  spdlog::info("training data '{}': {} sequences x {} frames of {}x{} ({:.1f} MiB, {})", path,
               indices_.size(), frames_, size_, size_, bytes / (1 << 20),
               cache_enabled_ ? "cached in RAM" : "read on demand");
}

double SequenceSource::eta_min() const { return *std::min_element(eta_.begin(), eta_.end()); }
double SequenceSource::eta_max() const { return *std::max_element(eta_.begin(), eta_.end()); }

torch::Tensor SequenceSource::sequence(int i) {
  require(i >= 0 && i < sequences(), "sequence " + std::to_string(i) + " is out of range [0, " +
                                         std::to_string(sequences()) + ")");
  const auto slot = static_cast<size_t>(i);
  if (cache_enabled_ && cache_[slot].defined()) return cache_[slot];
  std::vector<float> values = reader_.read_frames(indices_[slot], 0, frames_);
  auto frames = torch::from_blob(values.data(), {frames_, size_, size_}, torch::kFloat32).clone();
  require(torch::isfinite(frames).all().item<bool>(),
          "dataset sequence " + std::to_string(indices_[slot]) +
              " holds NaN or Inf values; regenerate or exclude it");
  if (cache_enabled_) cache_[slot] = frames;
  return frames;
}

// ---- split, order, augmentation, noise --------------------------------------------

DataSplit split_sequences(int count, double validation_fraction, std::uint64_t seed) {
  require(count >= 2, "a train/validation split needs at least 2 sequences");
  std::vector<int> order(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) order[static_cast<size_t>(i)] = i;
  shuffle(order, derive_seed(seed, kSplit));
  const int validation =
      std::clamp(static_cast<int>(std::lround(count * validation_fraction)), 1, count - 1);
  DataSplit split;
  split.validation.assign(order.begin(), order.begin() + validation);
  split.train.assign(order.begin() + validation, order.end());
  std::sort(split.validation.begin(), split.validation.end());
  std::sort(split.train.begin(), split.train.end());
  return split;
}

std::vector<int> epoch_order(const std::vector<int>& train, std::uint64_t seed, int epoch) {
  std::vector<int> order = train;
  shuffle(order, derive_seed(seed, kOrder, static_cast<std::uint64_t>(epoch)));
  return order;
}

Augmentation draw_augmentation(std::uint64_t seed, int epoch, int batch, int item) {
  const std::uint64_t bits =
      derive_seed(seed, kAugment, static_cast<std::uint64_t>(epoch),
                  (static_cast<std::uint64_t>(batch) << 20) + static_cast<std::uint64_t>(item));
  return Augmentation{static_cast<int>(bits & 7u), ((bits >> 3) & 1u) != 0};
}

torch::Tensor augment(const torch::Tensor& frames, const Augmentation& a) {
  auto out = frames;
  if (a.symmetry % 4 != 0) out = torch::rot90(out, a.symmetry % 4, {-2, -1});
  if (a.symmetry >= 4) out = out.transpose(-2, -1);
  if (a.complement) out = 1.0 - out;
  return out.contiguous();
}

std::uint64_t noise_seed(std::uint64_t seed, int epoch, int batch) {
  return derive_seed(seed, kNoise, static_cast<std::uint64_t>(epoch), static_cast<std::uint64_t>(batch));
}

torch::Tensor mean_free_noise(at::IntArrayRef sizes, double sigma, std::uint64_t seed,
                              const torch::TensorOptions& options) {
  if (sigma <= 0) return torch::zeros(sizes, options);
  auto generator = at::detail::createCPUGenerator(seed);
  auto noise = (torch::randn(sizes, generator, torch::dtype(torch::kFloat32)) * sigma).to(options);
  return noise - noise.mean({-2, -1}, /*keepdim=*/true);
}

torch::Tensor add_mean_free_noise(const torch::Tensor& frames, double sigma, std::uint64_t seed) {
  if (sigma <= 0) return frames;
  return frames + mean_free_noise(frames.sizes(), sigma, seed, frames.options());
}

Window draw_window(std::uint64_t seed, int epoch, int batch, int items, int frames,
                   int loss_frames, double cold_fraction, int warmup_min, int warmup_max,
                   int pushforward_cold, int pushforward_warm) {
  require(frames >= 2, "a training window needs sequences of at least 2 frames");
  std::mt19937_64 rng(derive_seed(seed, kWindow, static_cast<std::uint64_t>(epoch),
                                  static_cast<std::uint64_t>(batch)));
  auto uniform = [&rng](int lo, int hi) {  // inclusive, the same on every platform
    return hi <= lo ? lo : lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  };
  Window w;
  w.cold = static_cast<double>(rng() >> 11) * 0x1.0p-53 < cold_fraction;
  w.loss_frames = std::clamp(loss_frames, 1, frames - 1);
  const int room = frames - w.loss_frames;  // frames left for warm-up and pushforward, ≥ 1
  w.warmup = w.cold ? 1 : std::min(uniform(warmup_min, warmup_max), room);
  w.pushforward = std::min(uniform(0, w.cold ? pushforward_cold : pushforward_warm), room - w.warmup);
  const int last_start = w.cold ? 0 : frames - w.length();
  for (int k = 0; k < items; ++k) w.start.push_back(uniform(0, last_start));
  return w;
}

torch::Tensor window_frames(const torch::Tensor& frames, const Window& window) {
  TORCH_CHECK(frames.size(0) == static_cast<int64_t>(window.start.size()),
              "one window start per batch item");
  std::vector<torch::Tensor> items;
  for (size_t b = 0; b < window.start.size(); ++b)
    items.push_back(frames[static_cast<int64_t>(b)].narrow(0, window.start[b], window.length()));
  return torch::stack(items);
}

Batch load_batch(SequenceSource& source, const std::vector<int>& items, bool augment_items,
                 std::uint64_t seed, int epoch, int batch, int first_item) {
  std::vector<torch::Tensor> frames;
  std::vector<double> eta;
  for (size_t k = 0; k < items.size(); ++k) {
    auto sequence = source.sequence(items[k]);
    if (augment_items)
      sequence = augment(sequence, draw_augmentation(seed, epoch, batch,
                                                     first_item + static_cast<int>(k)));
    frames.push_back(sequence);
    eta.push_back(source.eta(items[k]));
  }
  Batch b;
  b.frames = torch::stack(frames);
  b.eta = torch::tensor(eta, torch::kFloat64);
  return b;
}

}  // namespace csd::surrogate::detail
