#pragma once
/// Portable random numbers on std::mt19937_64, whose output sequence the C++ standard
/// fixes. The std::*_distribution classes are not used anywhere in csd: their
/// algorithms are implementation-defined, so datasets would differ between standard
/// libraries. Everything here is plain arithmetic on the generator's 64-bit outputs.
///
///   std::mt19937_64 rng(seed);
///   double u = csd::uniform01(rng);          // [0, 1)
///   csd::StandardNormal gauss;
///   double z = gauss(rng);                   // N(0, 1)
///   std::uint64_t s = csd::splitmix64(seed); // a well-mixed seed derived from another
#include <cmath>
#include <cstdint>
#include <random>

namespace csd {

/// SplitMix64's increment, 2^64 / φ rounded to odd: adding multiples of it visits every
/// 64-bit word, so distinct counts give distinct inputs to the mix.
constexpr std::uint64_t kSplitMix64Gamma = 0x9E3779B97F4A7C15ULL;

/// SplitMix64's output function: a bijection on 64-bit words that spreads every input
/// bit over the whole output (distinct inputs always give distinct outputs).
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// SplitMix64 (Steele, Lea and Flood 2014): the output that follows state `x`,
/// mix(x + gamma). Used to derive independent seeds from (seed, stream ids).
constexpr std::uint64_t splitmix64(std::uint64_t x) { return splitmix64_mix(x + kSplitMix64Gamma); }

/// Uniform in [0, 1): the top 53 bits of one output, exactly representable.
inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

/// Uniform in (0, 1]: the same 53 bits shifted by one step, so log() of it is finite.
inline double uniform01_open_at_zero(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 1.0) * 0x1.0p-53;
}

/// Standard normal draws by the Box–Muller transform: two uniforms u1 ∈ (0, 1],
/// u2 ∈ [0, 1) give r = √(−2 ln u1) and θ = 2π u2, and r cos θ, r sin θ are two
/// independent N(0, 1) values. The first call of a pair draws both uniforms and returns
/// r cos θ; the second returns the kept r sin θ without drawing.
class StandardNormal {
 public:
  double operator()(std::mt19937_64& rng) {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform01_open_at_zero(rng);
    const double u2 = uniform01(rng);
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 2.0 * M_PI * u2;
    spare_ = r * std::sin(theta);
    has_spare_ = true;
    return r * std::cos(theta);
  }

 private:
  double spare_ = 0.0;
  bool has_spare_ = false;
};

/// One N(0, 1) value from two fresh uniforms (the first of a Box–Muller pair; the
/// second is discarded). For single draws whose stream position must not depend on
/// earlier calls.
inline double standard_normal(std::mt19937_64& rng) { return StandardNormal()(rng); }

}  // namespace csd
