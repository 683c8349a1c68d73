#pragma once
/// Tiny synthetic datasets for the io tests: every value depends on (sequence, frame,
/// pixel) so that any mix-up between sequences, frames or energy terms shows.
#include <cmath>
#include <vector>

#include "csd/init/initial_conditions.h"
#include "csd/io/dataset.h"

namespace csd::test {

struct SequenceData {
  io::SequenceMeta meta;
  std::vector<float> frames;
  std::vector<physics::Energies> energies;
};

/// S = 4, T = 3, N = 8 with non-default physics so that a default cannot pass for a
/// stored value.
inline io::DatasetInfo tiny_info(int sequences = 4, int frames = 3, int size = 8) {
  io::DatasetInfo info;
  info.shape = {sequences, frames, size};
  info.physics.grid_spacing = 0.5;
  info.physics.epsilon = 4.5;
  info.physics.mobility = 2.0;
  info.physics.dt = 0.02;
  info.physics.steps_per_frame = 50;
  info.physics.c11 = 2.0e4;
  info.physics.c12 = 1.2e4;
  info.physics.c44 = 2.5e4;
  info.noise = 1e-3;
  info.config_json = R"({"generate":{"sequences":4},"physics":{"epsilon":4.5}})";
  info.csd_version = "0.1.0-test";
  info.source = "solver";
  return info;
}

inline SequenceData tiny_sequence(int index, const io::DatasetInfo& info) {
  const int t_count = info.shape.frames, n = info.shape.size;
  SequenceData d;
  d.meta.eta = 0.001 * index;
  d.meta.mean_phi = 0.3 + 0.1 * index;
  d.meta.amplitude = 0.05 + 0.01 * index;
  d.meta.seed = init::sequence_seed(7, static_cast<std::uint64_t>(index));
  init::PerlinOptions options;
  options.mean_phi = d.meta.mean_phi;
  options.amplitude = d.meta.amplitude;
  options.feature_size = 4;
  options.seed = d.meta.seed;
  const Field phi0 = init::perlin_field(n, options);
  for (int t = 0; t < t_count; ++t)
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        d.frames.push_back(static_cast<float>(phi0(y, x) * (1.0 + 0.1 * t)));
  for (int t = 0; t < t_count; ++t) {
    physics::Energies e;
    e.grad = 1.0 + index + 0.1 * t;
    e.w = 2.0 + index + 0.1 * t;
    e.rho = 3.0 + index + 0.1 * t;
    e.f = 4.0 + index + 0.1 * t;
    e.total = 5.0 + index + 0.1 * t;
    d.energies.push_back(e);
  }
  return d;
}

inline void write_tiny(io::DatasetWriter& writer, int index, const io::DatasetInfo& info) {
  const SequenceData d = tiny_sequence(index, info);
  writer.write_sequence(index, d.meta, d.frames, d.energies);
}

/// Writes every sequence of `info` in index order and finishes.
inline void write_tiny_dataset(const std::string& path, const io::DatasetInfo& info,
                               io::DatasetWriter::Mode mode = io::DatasetWriter::Mode::kCreate) {
  io::DatasetWriter writer(path, info, mode);
  for (int s = 0; s < info.shape.sequences; ++s) write_tiny(writer, s, info);
  writer.finish();
}

}  // namespace csd::test
