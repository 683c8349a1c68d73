#pragma once
// Tiny datasets, temporary directories and a CSV/JSON reader for the evaluation tests.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "csd/core/json_config.h"
#include "csd/io/dataset.h"
#include "csd/physics/energy.h"
#include "csd/pipeline/generate.h"

namespace csd::test {

/// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = (std::filesystem::temp_directory_path() /
             ("csd_eval_" + name + "_" + std::to_string(::getpid())))
                .string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// φ(s, t, y, x) of a hand-made dataset.
using FieldFunction = std::function<float(int s, int t, int y, int x)>;

/// Writes an S×T×N×N dataset whose values come from `phi`, η = eta(s) = 0.002·s, with
/// energies computed from the fields (so the file is a valid csd dataset).
inline void write_dataset(const std::string& path, int sequences, int frames, int n,
                          const FieldFunction& phi, const std::function<double(int)>& eta = {}) {
  io::DatasetInfo info;
  info.shape = {sequences, frames, n};
  info.config_json = "{}";
  info.csd_version = "test";
  io::DatasetWriter writer(path, info, io::DatasetWriter::Mode::kOverwrite);
  const physics::EnergyCalculator energy(n, info.physics);
  for (int s = 0; s < sequences; ++s) {
    const double eta_s = eta ? eta(s) : 0.002 * s;
    std::vector<float> values(static_cast<std::size_t>(frames) * n * n);
    std::vector<physics::Energies> energies(frames);
    double mean0 = 0;
    for (int t = 0; t < frames; ++t) {
      float* frame = values.data() + static_cast<std::size_t>(t) * n * n;
      for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) frame[y * n + x] = phi(s, t, y, x);
      energies[t] = energy(frame, eta_s);
    }
    for (int k = 0; k < n * n; ++k) mean0 += values[k];
    writer.write_sequence(s, {eta_s, mean0 / (n * n), 0.1, static_cast<std::uint64_t>(s)},
                          values, energies);
  }
  writer.finish();
}

/// Smooth two-phase stripes whose width and phase drift with sequence and frame.
inline float stripes(int s, int t, int y, int x, int n) {
  const double kPi = 3.14159265358979323846;
  const double arg = 2 * kPi * (x + 0.5 * y + s + 0.7 * t) / n;
  return static_cast<float>(0.5 + 0.45 * std::tanh(2.0 * std::cos(arg) + 0.3 * std::sin(3 * arg)));
}

/// A small solver dataset: 32², S sequences, T frames, few steps per frame.
inline pipeline::GenerateConfig small_generate_config(const std::string& out, int sequences,
                                                      int frames) {
  pipeline::GenerateConfig c;
  c.out = out;
  c.sequences = sequences;
  c.frames = frames;
  c.size = 32;
  c.eta_range = {0.002, 0.008};
  c.mean_phi_range = {0.4, 0.6};
  c.amplitude = 0.1;
  c.feature_size = 8;
  c.physics.steps_per_frame = 40;
  c.seed = 7;
  c.threads = 1;
  c.overwrite = true;
  return c;
}

/// A CSV table as header + rows of numbers ("nan" → NaN, "" → NaN, text → NaN with the
/// raw text kept in `text`).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  std::vector<std::vector<std::string>> text;
  int column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
  double at(std::size_t row, const std::string& name) const { return rows.at(row).at(column(name)); }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

inline Table read_csv(const std::string& path) {
  std::ifstream in(path);
  Table t;
  std::string line;
  if (!std::getline(in, line)) return t;
  t.header = split_csv_line(line);
  while (std::getline(in, line)) {
    const std::vector<std::string> cells = split_csv_line(line);
    std::vector<double> values;
    for (const auto& c : cells) {
      char* end = nullptr;
      const double v = std::strtod(c.c_str(), &end);
      values.push_back(!c.empty() && end != nullptr && *end == '\0' ? v : std::nan(""));
    }
    t.rows.push_back(values);
    t.text.push_back(cells);
  }
  return t;
}

inline Json read_json(const std::string& path) { return read_json_file(path); }

}  // namespace csd::test
