#pragma once
/// Internal to src/io: names shared by the dataset writer and reader (docs/architecture.md §4).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "hdf5_wrap.h"

namespace csd::io::schema {

/// deflate level of /phi (after shuffle). Measured on 128² float32 frames: level 4
/// stores 42.6 kB (Perlin field) and 50.3 kB (two-phase tanh field) per frame, within
/// 2% of level 9 (41.8 / 49.8 kB) at 1/4 of its time (~2 ms per frame, paid in the
/// worker threads); level 1 is 3% larger and only ~20% faster.
inline constexpr int kDeflateLevel = 4;

inline constexpr const char* kPhi = "phi";
inline constexpr const char* kEta = "eta";
inline constexpr const char* kMeanPhi = "mean_phi";
inline constexpr const char* kAmplitude = "amplitude";
inline constexpr const char* kSeed = "seed";
inline constexpr const char* kComplete = "complete";
inline constexpr const char* kEnergyGroup = "energy";
inline constexpr std::array<const char*, 5> kEnergyTerms = {"grad", "w", "rho", "f", "total"};

inline constexpr const char* kFormatAttr = "format";
inline constexpr const char* kVersionAttr = "version";
inline constexpr const char* kCsdVersionAttr = "csd_version";
inline constexpr const char* kConfigAttr = "config";
inline constexpr const char* kSourceAttr = "source";
inline constexpr const char* kStepsPerFrameAttr = "steps_per_frame";
inline constexpr const char* kNoiseAttr = "noise";
inline constexpr const char* kShardIndexAttr = "shard_index";
inline constexpr const char* kShardCountAttr = "shard_count";

/// The floating-point physical parameters stored as file attributes, by name.
/// (steps_per_frame is an integer attribute and noise lives outside Params.)
struct PhysicsAttribute {
  const char* name;
  double physics::Params::*member;
};
inline constexpr std::array<PhysicsAttribute, 7> kPhysicsAttributes = {{
    {"dt", &physics::Params::dt},
    {"epsilon", &physics::Params::epsilon},
    {"mobility", &physics::Params::mobility},
    {"grid_spacing", &physics::Params::grid_spacing},
    {"C11", &physics::Params::c11},
    {"C12", &physics::Params::c12},
    {"C44", &physics::Params::c44},
}};

/// Energies as the five per-term values, in kEnergyTerms order.
inline std::array<double, 5> energy_terms(const physics::Energies& e) {
  return {e.grad, e.w, e.rho, e.f, e.total};
}
inline physics::Energies energies_from_terms(const std::array<double, 5>& t) {
  physics::Energies e;
  e.grad = t[0];
  e.w = t[1];
  e.rho = t[2];
  e.f = t[3];
  e.total = t[4];
  return e;
}

/// The shard attributes of an open file (absent: the whole dataset, 0/1).
inline Shard read_shard(hid_t root, const std::string& file) {
  Shard shard;
  if (!h5::has_attribute(root, kShardCountAttr)) return shard;
  shard.count = static_cast<int>(h5::read_int_attribute(root, kShardCountAttr, file));
  shard.index = static_cast<int>(h5::read_int_attribute(root, kShardIndexAttr, file));
  require(shard.count >= 1 && shard.index >= 0 && shard.index < shard.count,
          "'" + file + "': shard attributes " + shard.text() + " are not I/N with 0 <= I < N");
  return shard;
}

/// Throws "'<file>': <what> <value> is outside [0, <bound>)".
inline void require_index(int value, std::uint64_t bound, const std::string& what,
                          const std::string& file) {
  require(value >= 0 && static_cast<std::uint64_t>(value) < bound,
          "'" + file + "': " + what + " " + std::to_string(value) + " is outside [0, " +
              std::to_string(bound) + ")");
}

}  // namespace csd::io::schema
